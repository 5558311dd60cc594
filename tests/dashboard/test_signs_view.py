"""The CRPS signs table on the dashboard and the clinician's review, and signs_for (the report's)."""

import datetime

import pytest
from django.urls import reverse

from careteam.services import access_grant
from dashboard.selectors import signs_for
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
URL = reverse("dashboard:patient")
D = datetime.timedelta(days=1)


def flat(response) -> str:
    return " ".join(response.text.split())


def signs_diary(patient):
    """Six weeks before the last 7 days: colder limb on 1 day in 5; the last 7 days: on 5 of them.
    Allodynia never answered; sleep 8 usually, 2 now; worst pain 5 usually, 8 now."""
    for d in range(7, 49):
        DiaryEntryFactory(
            patient=patient,
            date=TODAY - d * D,
            swelling=1,
            limb_temperature="colder" if d % 5 == 0 else "same",
            sleep_quality=8,
            worst_pain=5,
        )
    for d in range(7):
        DiaryEntryFactory(
            patient=patient,
            date=TODAY - d * D,
            swelling=1,
            limb_temperature="colder" if d < 5 else "same",
            sleep_quality=2,
            worst_pain=8,
        )


def test_the_dashboard_shows_the_signs_table_with_the_usual_share_and_more_often(patient_client, patient):
    signs_diary(patient)
    text = flat(patient_client.get(URL))
    assert "CRPS signs and sleep, the 7 days to 24 Nov" in text
    # Temperature: 5 of 7 now; usually 8 of 42 days (2 in 10): 1.3 expected, so more often.
    assert (
        'Temperature difference<br><span class="small text-body-secondary">Vasomotor</span></th> '
        '<td>5 of 7 recorded days<br><strong class="sign-trend">more often than usual</strong></td> '
        "<td>9 of 28 recorded days</td> <td>2 in 10 days</td>"
    ) in text
    # Allodynia never answered: "not recorded", never "0 days".
    assert 'Allodynia (touch-evoked pain)<br><span class="small text-body-secondary">Sensory</span></th> ' in text
    assert "<td>not recorded</td> <td>not recorded</td> <td>not recorded</td>" in text
    # Swelling rated 1 every day: recorded, absent.
    assert "<td>0 of 7 recorded days</td> <td>0 of 28 recorded days</td> <td>never</td>" in text
    # Poor sleep, then the detail ratings now against usual.
    assert '<td>7 of 7 recorded days<br><strong class="sign-trend">more often than usual</strong></td>' in text
    assert 'Worst pain</th> <td>8.0 <span class="small text-body-secondary">(7 days)</span></td> <td>5.0</td> ' in text
    assert "<td>+3.0 <strong>worse</strong></td>" in text
    assert 'Sleep quality <span class="small text-body-secondary">(10 = best)</span></th>' in text
    assert "<td>-6.0 <strong>worse</strong></td>" in text
    assert 'Anxiety</th> <td><span class="text-body-secondary">too few days</span></td>' in text


def test_the_review_shows_the_same_signs_table(client, patient, clinician):
    signs_diary(patient)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    text = flat(client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})))
    assert "CRPS signs and sleep, the 7 days to 24 Nov" in text
    assert '<td>5 of 7 recorded days<br><strong class="sign-trend">more often than usual</strong></td>' in text
    assert "You can add them" not in text


def test_an_empty_diary_says_no_signs_were_recorded(patient_client):
    text = flat(patient_client.get(URL))
    assert "No CRPS signs (allodynia, skin colour, temperature, sweating, tremor, sleep) recorded" in text
    assert "signs-table" not in text


def test_the_signs_table_ends_on_the_ranges_last_day(patient_client, patient):
    signs_diary(patient)
    text = flat(patient_client.get(URL, {"start": (TODAY - 60 * D).isoformat(), "end": (TODAY - 10 * D).isoformat()}))
    assert f"the 7 days to {(TODAY - 10 * D):%-d %b}" in text


def test_signs_for_reads_one_query_whatever_the_history(patient, django_assert_num_queries):
    signs_diary(patient)
    for d in range(49, 400):
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, limb_temperature="colder")
    with django_assert_num_queries(1):
        table = signs_for(patient, TODAY)
    temperature = next(s for s in table.signs if s.sign.key == "temperature_difference")
    assert (temperature.week.present, temperature.usual.present, temperature.usual.recorded) == (5, 8, 42)
    assert temperature.trend == "more often"
    worst = next(r for r in table.details if r.measure.name == "worst_pain")
    assert (worst.comparison.now_shown, worst.comparison.usual_shown) == (8.0, 5.0)
