"""The patient list tells flags a clinician has acknowledged from those nobody has looked at yet."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam.services import access_grant
from flags.services import flag_acknowledge
from tests.conftest import login_with_second_factor
from tests.factories import DiaryEntryFactory, FlagFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_flags_no_clinician_has_acknowledged_come_first_in_red(client, clinician, django_assert_num_queries):
    today = timezone.localdate()
    reviewed = PatientFactory(username="reviewed")  # the newer flag, but a colleague has seen it
    unreviewed = PatientFactory(username="unreviewed")
    seen_by_patient = PatientFactory(username="seen-by-patient")  # the patient's own acknowledgement is not a review
    quiet = PatientFactory(username="quiet")
    # No flag (yet), but the last 7 days are 3 points worse than the 6 weeks before: before those
    # whose flags a clinician has seen, after those nobody has.
    worsening = PatientFactory(username="worsening")
    for days_ago in range(30):
        DiaryEntryFactory(
            patient=worsening, date=today - datetime.timedelta(days=days_ago), pain=7 if days_ago < 7 else 4
        )
    flags = {
        who: FlagFactory(patient=who, date=today - datetime.timedelta(days=days_ago))
        for who, days_ago in ((reviewed, 1), (unreviewed, 9), (seen_by_patient, 5))
    }
    flag_acknowledge(flag=flags[reviewed], by=clinician, note="Seen")
    flag_acknowledge(flag=flags[seen_by_patient], by=seen_by_patient)
    for who in (quiet, reviewed, unreviewed, seen_by_patient, worsening):
        access_grant(patient=who, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    with django_assert_num_queries(8):  # as many as without acknowledgements (test_consent.py)
        page = client.get(reverse("careteam:clinician_home")).text
    order = [page.index(f">{name}<") for name in ("seen-by-patient", "unreviewed", "worsening", "reviewed", "quiet")]
    assert order == sorted(order)
    red, grey = 'class="badge text-bg-danger"', 'class="badge text-bg-secondary"'
    assert page.count(red) == 2 and page.count(grey) == 1
    day = today - datetime.timedelta(days=1)
    assert f"{grey}>Pain since {day:%-d %b}, acknowledged</span>" in page
