"""Two imports of one patient's overlapping dates, at the same moment, in opposite orders.

Before, PostgreSQL found a deadlock in most such pairs (rows locked in file order, batch by
batch, from opposite ends): one import was rolled back and the patient saw a server error.
Now each import locks the patient's row first and writes its rows in date order: they run one
after the other and both succeed.
"""

import datetime

import pytest

from symptoms.models import DiaryEntry
from symptoms.services import diary_import
from tests.conftest import TODAY, needs, run_at_once, uses_postgresql
from tests.factories import PatientFactory
from tests.symptoms.test_services import values

pytestmark = pytest.mark.usefixtures("frozen_now")
DAYS = 1500  # three batches of bulk_create each way


@pytest.mark.django_db(transaction=True)
def test_overlapping_imports_in_opposite_orders_both_succeed():
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL) for real concurrent transactions")
    patient = PatientFactory()
    dates = [TODAY - datetime.timedelta(days=n) for n in range(1, DAYS + 1)]
    diary_import(patient=patient, rows=[{"date": d, **values(pain=1)} for d in dates])  # they exist: updates lock
    forwards = [{"date": d, **values(pain=2)} for d in dates]
    backwards = [{"date": d, **values(pain=3)} for d in reversed(dates)]
    for _ in range(3):
        errors = run_at_once(lambda rows: diary_import(patient=patient, rows=rows), [(forwards,), (backwards,)])
        assert errors == []
        # One import wrote every row, then the other did: never a mixture.
        assert DiaryEntry.objects.filter(patient=patient).values("pain").distinct().count() == 1
    assert DiaryEntry.objects.filter(patient=patient).count() == DAYS
