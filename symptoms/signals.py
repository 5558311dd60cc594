"""What the diary tells the apps above it, without knowing them."""

from django.dispatch import Signal

# Sent inside the transaction that changed a patient's diary (a save, a deletion, an import), with
# `patient_id`: a receiver's writes commit or roll back with the change. flags connects its evaluation
# (flags/apps.py), so that a saved day is evaluated whatever the broker does.
diary_changed = Signal()
