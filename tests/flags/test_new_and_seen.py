"""A flag the patient has acknowledged stops raising the alarm: it is seen, and still watched until it settles."""

import datetime
import re

import pytest
from django.urls import reverse

from flags.services import flag_acknowledge
from tests.conftest import TODAY
from tests.factories import FlagFactory

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


@pytest.fixture
def flags(patient):
    ages = {"pain": 3, "spasms": 10, "mood": 20}  # days ago
    return [FlagFactory(patient=patient, measure=m, date=TODAY - datetime.timedelta(days=n)) for m, n in ages.items()]


def test_the_banner_counts_only_the_changes_the_patient_has_not_acknowledged(patient_client, patient, flags):
    pain, spasms, mood = flags
    page = text(patient_client.get(reverse("dashboard:patient")))
    assert "Worth a look: 3 changes in your diary" in page
    flag_acknowledge(flag=pain, by=patient)
    flag_acknowledge(flag=spasms, by=patient)
    response = patient_client.get(reverse("dashboard:patient"))
    page = text(response)
    assert "Worth a look: 1 change in your diary" in page
    assert "2 other changes you have seen are still being watched." in page
    banner = response.text[response.text.index('class="flag-banner"') :].split("</section>")[0]
    assert mood.reason in banner and pain.reason not in banner and spasms.reason not in banner


def test_when_every_open_flag_is_acknowledged_the_dashboard_says_so_calmly(patient_client, patient, flags, clinician):
    for flag in flags:
        flag_acknowledge(flag=flag, by=patient)
    flag_acknowledge(flag=flags[0], by=clinician)  # the clinician's acknowledgement changes nothing here
    response = patient_client.get(reverse("dashboard:patient"))
    page = text(response)
    assert "flag-banner" not in response.text and "Worth a look" not in page
    assert "3 changes you have seen are still being watched: see them on the Changes page" in page
    flag_acknowledge(flag=flags[0], by=patient)
    flags[1].resolved_on = flags[2].resolved_on = TODAY
    flags[1].save()
    flags[2].save()
    assert "1 change you have seen is still being watched" in text(patient_client.get(reverse("dashboard:patient")))


def test_a_clinicians_acknowledgement_alone_keeps_the_flag_new_for_the_patient(patient_client, flags, clinician):
    for flag in flags:
        flag_acknowledge(flag=flag, by=clinician, note="Seen in clinic")
    assert "Worth a look: 3 changes in your diary" in text(patient_client.get(reverse("dashboard:patient")))


def test_the_changes_page_keeps_new_seen_and_past_apart(patient_client, patient, flags):
    pain, spasms, mood = flags
    flag_acknowledge(flag=pain, by=patient, note="Told my physio")
    mood.resolved_on = TODAY - datetime.timedelta(days=2)
    flag_acknowledge(flag=mood, by=patient, note="Better now")
    mood.save()
    response = patient_client.get(reverse("flags:list"))
    sections = {}  # each h2's text and what follows it
    for part in response.text.split("<h2")[1:]:
        heading, rest = part.split("</h2>", 1)
        sections[heading.split(">", 1)[1]] = " ".join(re.sub(r"<[^>]+>", " ", rest).split())
    assert list(sections) == ["New", "Seen, still being watched", "Past", "How closely the app watches: Standard"]
    new, seen, past, setting = sections.values()
    assert "The usual setting" in setting
    assert spasms.reason in new and "Acknowledge" in new
    assert pain.reason in seen and "You acknowledged this on" in seen and "“Told my physio”" in seen
    assert "Acknowledge " not in seen
    assert "Mood: fall" not in new + seen and mood.reason in past and "“Better now”" in past
    assert response.text.count('action="/flags/') == 1  # one Acknowledge: the spasms flag's
    flag_acknowledge(flag=spasms, by=patient)
    page = text(patient_client.get(reverse("flags:list")))
    assert "New Nothing new. Seen, still being watched" in page
