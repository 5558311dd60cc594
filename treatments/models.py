# Treatments and care history arrive with their own issue.
