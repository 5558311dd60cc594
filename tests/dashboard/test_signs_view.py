"""The CRPS signs table on the dashboard, the clinician's review and the report (Dashboard.signs)."""

import datetime
import re

import pytest
from django.urls import reverse

from careteam.services import access_grant
from dashboard.selectors import dashboard
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")
URL = reverse("dashboard:patient")
D = datetime.timedelta(days=1)


def flat_text(html: str) -> str:
    return " ".join(html.split())


def flat(response) -> str:
    return flat_text(response.text)


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


def table_rows(html: str, name: str) -> list[str]:
    """The rows of the table of class `name` as a wide screen shows them: "cell | cell | ..."."""
    table = html[html.index(f'class="table table-sm {name}') :]
    table = table[table.index("<thead>") : table.index("</table>")]
    table = re.sub(r'<span class="visually-hidden d-sm-none">.*?</span>', "", table)  # read on phones only
    rows = []
    for row in table.split("</tr>")[:-1]:
        cells = [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.split(r"</t[dh]>", row)[:-1]]
        rows.append(" | ".join(cells))
    return rows


def test_the_dashboard_shows_the_signs_table_with_the_usual_share_and_more_often(patient_client, patient):
    signs_diary(patient)
    html = patient_client.get(URL).text
    assert "CRPS signs and sleep, the 7 days to 24 Nov" in flat_text(html)
    assert table_rows(html, "signs-table") == [
        "Sign | Last 7 days | Last 28 days | Usually",
        # Allodynia never answered: "not recorded", never "0 days".
        "Allodynia (touch-evoked pain) Sensory | not recorded | not recorded | not recorded",
        # Colder on 5 of the last 7; usually 8 of 42 days (2 in 10): 1.3 expected, so more often.
        "Temperature difference Vasomotor | 5 of 7 recorded days more often than usual | 9 of 28 recorded days"
        " | 2 in 10 days",
        "Skin colour change Vasomotor | not recorded | not recorded | not recorded",
        "Sweating change Sudomotor / oedema | not recorded | not recorded | not recorded",
        # Swelling rated 1 every day: recorded, absent.
        "Swelling Sudomotor / oedema | 0 of 7 recorded days | 0 of 28 recorded days | never",
        # The factory's spasms rating of 4 every day.
        "Tremor or dystonia Motor / trophic | 7 of 7 recorded days | 28 of 28 recorded days | every day",
        "Poor sleep Sleep (not a Budapest sign) | 7 of 7 recorded days more often than usual"
        " | 7 of 28 recorded days | never",
    ]
    assert table_rows(html, "detail-table") == [
        "Rating | Last 7 days | Usual | Change",
        "Worst pain | 8.0 (7 days) | 5.0 | +3.0 worse",
        "Sleep quality (10 = best) | 2.0 (7 days) | 8.0 | -6.0 worse",
        "Anxiety | too few days | too few days | \u2013",
        "Interference with daily activities | too few days | too few days | \u2013",
    ]
    # On a phone the counts read "5 of 7" and "more often", in full to screen readers.
    assert '5 of 7<span class="d-none d-sm-inline"> recorded days</span>' in html
    assert '<span class="visually-hidden d-sm-none"> recorded days</span>' in html


def test_the_review_shows_the_same_signs_table(client, patient, clinician):
    signs_diary(patient)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    html = client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text
    text = flat_text(html)
    assert "CRPS signs and sleep, the 7 days to 24 Nov" in text
    assert (
        "Temperature difference Vasomotor | 5 of 7 recorded days more often than usual"
        in table_rows(html, "signs-table")[2]
    )
    assert "You can add them" not in text


def test_an_empty_diary_says_no_signs_were_recorded(patient_client):
    text = flat(patient_client.get(URL))
    assert "No CRPS signs (allodynia, skin colour, temperature, sweating, tremor, sleep) recorded" in text
    assert "signs-table" not in text


def test_the_signs_table_ends_on_the_ranges_last_day(patient_client, patient):
    signs_diary(patient)
    text = flat(patient_client.get(URL, {"start": (TODAY - 60 * D).isoformat(), "end": (TODAY - 10 * D).isoformat()}))
    assert f"the 7 days to {(TODAY - 10 * D):%-d %b}" in text


def test_the_signs_read_the_usual_window_and_no_further(patient):
    signs_diary(patient)
    for d in range(49, 400):  # before the usual window: not counted
        DiaryEntryFactory(patient=patient, date=TODAY - d * D, limb_temperature="colder")
    table = dashboard(patient, {"range": "30"}, today=TODAY).signs
    temperature = next(s for s in table.signs if s.sign.key == "temperature_difference")
    assert (temperature.week.present, temperature.usual.present, temperature.usual.recorded) == (5, 8, 42)
    assert temperature.trend == "more often"
    worst = next(r for r in table.details if r.measure.name == "worst_pain")
    assert (worst.comparison.now_shown, worst.comparison.usual_shown) == (8.0, 5.0)
