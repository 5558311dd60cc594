"""Dates every record is checked against."""

import datetime

# The earliest date a diary day, a treatment or a range may carry: older is a typing error (a year 0019
# for 2019), and the diary's longest export must still import again (symptoms.diary_csv.max_rows).
EARLIEST_DATE = datetime.date(1950, 1, 1)
