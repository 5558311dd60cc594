"""Logging and editing one day: /diary/today/ and /diary/<date>/."""

import datetime

import pytest
from django.urls import reverse

from symptoms.forms import values_to_copy
from symptoms.models import DiaryEntry
from tests.conftest import TODAY, login_with_second_factor
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.usefixtures("frozen_now")

YESTERDAY = TODAY - datetime.timedelta(days=1)
TODAY_URL = reverse("symptoms:today")


def day_url(date):
    return reverse("symptoms:day", kwargs={"date": date})


def test_it_requires_login(client):
    response = client.get(TODAY_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_shows_the_five_measures_with_their_anchors(patient_client):
    response = patient_client.get(TODAY_URL)
    assert response.status_code == 200
    for label in ("Pain", "Spasms", "Swelling", "Skin changes", "Mood"):
        assert f">{label}</label>" in response.text
    assert "0 = no pain, 10 = worst pain imaginable" in response.text
    assert "0 = worst, 10 = best" in response.text
    assert "Tuesday 24 November" in response.text


def test_it_saves_today(patient_client, patient):
    response = patient_client.post(TODAY_URL, {"pain": "6", "spasms": "4", "mood": "3", "notes": "Cold day"})
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.date == TODAY
    assert (entry.pain, entry.spasms, entry.mood, entry.notes) == (6, 4, 3, "Cold day")


def test_skipped_fields_stay_empty_not_zero(patient_client, patient):
    patient_client.post(TODAY_URL, {"pain": "0"})
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain == 0
    assert entry.spasms is None
    assert entry.swelling is None
    assert entry.skin_changes is None
    assert entry.mood is None
    assert entry.worst_pain is None
    assert entry.allodynia is None
    assert entry.pain_qualities == []


def test_it_saves_the_detail(patient_client, patient):
    patient_client.post(
        TODAY_URL,
        {
            "pain": "7",
            "worst_pain": "9",
            "pain_qualities": ["burning", "electric"],
            "allodynia": "true",
            "triggers": ["touch", "weather"],
            "body_sites": ["left_foot"],
            "spasm_episodes": "3",
            "tremor": "false",
            "skin_colour": "mottled",
            "limb_temperature": "colder",
            "sweating": "more",
            "sleep_quality": "2",
            "anxiety": "6",
            "interference": "8",
        },
    )
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain_qualities == ["burning", "electric"]
    assert entry.allodynia is True
    assert entry.tremor is False
    assert entry.triggers == ["touch", "weather"]
    assert (entry.skin_colour, entry.limb_temperature, entry.sweating) == ("mottled", "colder", "more")
    assert (entry.worst_pain, entry.spasm_episodes, entry.sleep_quality, entry.anxiety, entry.interference) == (
        9,
        3,
        2,
        6,
        8,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pain": "11"}, "less than or equal to 10"),
        ({"pain": "-1"}, "greater than or equal to 0"),
        ({"pain": "five"}, "Enter a whole number from 0 to 10."),
        ({"mood": "4.5"}, "Enter a whole number from 0 to 10."),
        ({"skin_colour": "green"}, "Select a valid choice"),
        ({"pain_qualities": ["itchy"]}, "Select a valid choice"),
        ({}, "Nothing to save yet"),
        ({"notes": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_bad_input_gets_a_form_error_and_writes_nothing(patient_client, data, message):
    response = patient_client.post(TODAY_URL, data)
    assert response.status_code == 200
    assert message in response.text
    assert not DiaryEntry.objects.exists()


def test_saving_a_day_again_edits_the_entry(patient_client, patient):
    patient_client.post(TODAY_URL, {"pain": "6", "mood": "5"})
    patient_client.post(TODAY_URL, {"pain": "3"})
    entry = DiaryEntry.objects.get(patient=patient)
    assert entry.pain == 3
    assert entry.mood is None  # the form is the whole entry: a cleared field is cleared


def test_a_double_submit_makes_no_duplicate(patient_client, patient):
    for _ in range(2):
        patient_client.post(TODAY_URL, {"pain": "6"})
    assert DiaryEntry.objects.filter(patient=patient).count() == 1


def test_it_backfills_a_past_day(patient_client, patient):
    response = patient_client.post(day_url(YESTERDAY), {"pain": "5"})
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).date == YESTERDAY


def test_it_shows_an_existing_entry_for_editing(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=YESTERDAY, pain=8, notes="Bad night")
    response = patient_client.get(day_url(YESTERDAY))
    assert 'id="id_pain" value="8"' in response.text
    assert "Bad night" in response.text
    assert "You logged this day" in response.text


def test_it_refuses_the_future(patient_client, patient):
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = patient_client.post(day_url(tomorrow), {"pain": "5"})
    assert response.status_code == 302
    assert response["Location"] == TODAY_URL
    assert not DiaryEntry.objects.exists()


def test_today_in_the_url_is_the_today_page(patient_client):
    response = patient_client.get(day_url(TODAY))
    assert response.status_code == 302
    assert response["Location"] == TODAY_URL


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "yesterday", "1949-12-31"])
def test_it_404s_on_impossible_dates(patient_client, bad):
    assert patient_client.get(f"/diary/{bad}/").status_code == 404


def test_it_can_start_from_the_last_entry(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=2), pain=7, notes="Private words")
    plain = patient_client.get(TODAY_URL)
    assert "Start from your last entry (Sun 22 Nov)" in plain.text
    assert 'id="id_pain" value=""' in plain.text
    assert "Copied from" not in plain.text
    started = patient_client.get(TODAY_URL + "?start=previous")
    assert 'id="id_pain" value="7"' in started.text
    assert "Private words" not in started.text


def signs_of_a_bad_day(patient, date):
    return DiaryEntryFactory(
        patient=patient,
        date=date,
        pain=7,
        spasms=5,
        swelling=None,
        skin_changes=6,
        mood=3,
        worst_pain=10,
        allodynia=True,
        skin_colour="blue_purple",
        pain_qualities=["burning"],
        notes="Private words",
        note_for_clinician=True,
    )


def field_html(text, field_id):
    """The tag of one form control, e.g. <input ... id="id_pain" ...>."""
    at = text.index(f'id="{field_id}"')
    return text[text.rindex("<", 0, at) : text.index(">", at) + 1]


def test_starting_from_the_last_entry_copies_the_five_numbers_only(patient_client, patient):
    signs_of_a_bad_day(patient, TODAY - datetime.timedelta(days=2))
    text = patient_client.get(TODAY_URL + "?start=previous").text
    assert 'id="id_pain" value="7"' in text
    assert 'id="id_mood" value="3"' in text
    assert 'id="id_swelling" value=""' in text  # not recorded that day: nothing to copy
    # None of the detail: yesterday's signs are not today's until the patient says so.
    assert 'id="id_worst_pain" value=""' in text
    assert 'value="true" selected' not in text  # allodynia
    assert 'value="blue_purple" selected' not in text
    assert 'value="burning"  id="id_pain_qualities_0" checked' not in text
    assert "Private words" not in text
    assert "checked" not in field_html(text, "id_note_for_clinician")
    assert '<details class="detail-section">' in text  # the detail stays folded
    assert "Filled in from your entry of Sun 22 Nov: pain, spasms, skin changes, mood." in text
    assert 'href="?start=previous&amp;detail=yes">Also copy the detail</a>' in text


def test_each_copied_field_says_so_to_sight_and_to_a_screen_reader(patient_client, patient):
    signs_of_a_bad_day(patient, TODAY - datetime.timedelta(days=2))
    text = patient_client.get(TODAY_URL + "?start=previous").text
    assert '<span class="copied-mark" id="id_pain_copied">Copied from 22 Nov</span>' in text
    assert 'aria-describedby="id_pain_hint id_pain_copied"' in field_html(text, "id_pain")
    assert 'aria-describedby="id_swelling_hint"' in field_html(text, "id_swelling")
    assert text.count('class="copied-mark"') == 4
    assert "id_swelling_copied" not in text and "id_worst_pain_copied" not in text


def test_the_detail_is_copied_on_a_second_explicit_choice(patient_client, patient):
    signs_of_a_bad_day(patient, TODAY - datetime.timedelta(days=2))
    text = patient_client.get(TODAY_URL + "?start=previous&detail=yes").text
    assert 'id="id_pain" value="7"' in text
    assert 'id="id_worst_pain" value="10"' in text
    assert 'aria-describedby="id_worst_pain_hint id_worst_pain_copied"' in field_html(text, "id_worst_pain")
    assert '<option value="blue_purple" selected>' in text
    assert '<option value="true" selected>' in text
    assert 'value="burning"  id="id_pain_qualities_0" checked' in text
    # Crispy's help text is the mark, and the control points at it.
    assert 'aria-describedby="id_skin_colour_helptext"' in field_html(text, "id_skin_colour")
    assert '<span class="copied-mark" id="id_skin_colour_copied">Copied from 22 Nov</span>' in text
    assert '<span class="copied-mark" id="id_allodynia_copied">' in text
    assert '<span class="copied-mark" id="id_pain_qualities_copied">' in text
    assert "id_triggers_copied" not in text  # none that day
    assert '<details class="detail-section" open>' in text  # what was copied is in sight
    assert "Also copy the detail" not in text
    assert "and its detail." in text
    assert "Private words" not in text
    assert "checked" not in field_html(text, "id_note_for_clinician")


def test_the_detail_offer_needs_detail_to_copy(patient_client, patient):
    DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=1), pain=4)
    text = patient_client.get(TODAY_URL + "?start=previous").text
    assert "Copied from 23 Nov" in text
    assert "Also copy the detail" not in text


def test_a_logged_day_shows_its_own_values_unmarked(patient_client, patient):
    signs_of_a_bad_day(patient, TODAY - datetime.timedelta(days=3))
    DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=1), pain=2, worst_pain=4)
    text = patient_client.get(day_url(TODAY - datetime.timedelta(days=1)) + "?start=previous&detail=yes").text
    assert 'id="id_pain" value="2"' in text and 'id="id_worst_pain" value="4"' in text
    assert "copied-mark" not in text and "Filled in from" not in text


def test_a_copied_entry_saves_as_todays(patient_client, patient):
    signs_of_a_bad_day(patient, TODAY - datetime.timedelta(days=2))
    patient_client.get(TODAY_URL + "?start=previous")
    patient_client.post(day_url(TODAY), {"pain": "7", "spasms": "5", "skin_changes": "6", "mood": "3"})
    today = DiaryEntry.objects.get(patient=patient, date=TODAY)
    assert (today.pain, today.worst_pain, today.allodynia, today.skin_colour) == (7, None, None, "")


def test_it_does_not_show_another_patients_entry(patient_client, other_patient):
    DiaryEntryFactory(patient=other_patient, date=YESTERDAY, pain=9, notes="Bob's secret")
    response = patient_client.get(day_url(YESTERDAY))
    assert "Bob&#x27;s secret" not in response.text
    assert "Bob's secret" not in response.text
    assert 'id="id_pain" value=""' in response.text
    assert "Start from your last entry" not in response.text


def test_editing_never_touches_another_patients_entry(patient_client, patient, other_patient):
    theirs = DiaryEntryFactory(patient=other_patient, date=YESTERDAY, pain=9)
    patient_client.post(day_url(YESTERDAY), {"pain": "1"})
    theirs.refresh_from_db()
    assert theirs.pain == 9
    assert DiaryEntry.objects.get(patient=patient).pain == 1


def test_a_clinician_has_no_diary(client, clinician):
    login_with_second_factor(client, clinician)
    assert client.get(TODAY_URL).status_code == 404
    assert client.post(TODAY_URL, {"pain": "3"}).status_code == 404
    assert not DiaryEntry.objects.exists()


def test_it_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries):
    for days_ago in range(2, 42):
        DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=days_ago))
    # A logged day: session, user, second factor, profile (time zone), the entry, current medications
    # (none). (The session is written at most once a minute: accounts.middleware.)
    with django_assert_num_queries(6):
        patient_client.get(day_url(TODAY - datetime.timedelta(days=2)))
    # A day not logged yet also looks up the previous entry to offer "start from".
    with django_assert_num_queries(7):
        patient_client.get(day_url(YESTERDAY))


def test_go_to_day_redirects_to_that_day(patient_client):
    response = patient_client.get(reverse("symptoms:go_to_day"), {"date": "2026-11-01"})
    assert response["Location"] == day_url(datetime.date(2026, 11, 1))


def test_go_to_day_handles_garbage(patient_client):
    response = patient_client.get(reverse("symptoms:go_to_day"), {"date": "not-a-date"})
    assert response.status_code == 302
    assert response["Location"] == TODAY_URL


def test_a_save_sent_just_after_midnight_lands_on_the_day_being_logged(client, patient):
    import zoneinfo

    import time_machine

    london = zoneinfo.ZoneInfo("Europe/London")
    client.force_login(patient)
    DiaryEntryFactory(patient=patient, date=TODAY + datetime.timedelta(days=1) - datetime.timedelta(days=0), pain=1)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 23, 58, tzinfo=london), tick=False):
        page = client.get(TODAY_URL)
    assert f'action="{day_url(TODAY)}"' in page.text
    with time_machine.travel(datetime.datetime(2026, 11, 25, 0, 1, tzinfo=london), tick=False):
        client.post(day_url(TODAY), {"pain": "6", "notes": "For the 24th"})
    assert DiaryEntry.objects.get(patient=patient, date=TODAY).notes == "For the 24th"
    assert DiaryEntry.objects.get(patient=patient, date=TODAY + datetime.timedelta(days=1)).pain == 1


def test_posting_today_by_its_date_saves_today(patient_client, patient):
    response = patient_client.post(day_url(TODAY), {"pain": "2"})
    assert response.status_code == 302
    assert DiaryEntry.objects.get(patient=patient).date == TODAY


def test_a_note_too_long_is_kept_and_the_patient_told_how_long_it_is(patient_client, patient):
    """The browser would cut a pasted note at a maxlength without a word; the server says so instead."""
    assert 'name="notes"' in patient_client.get(TODAY_URL).text
    assert "maxlength" not in patient_client.get(TODAY_URL).text.split('name="notes"')[1].split(">")[0]
    note = ("Flare after physio. " * 270)[:-1] + "!"  # 5,400 characters
    response = patient_client.post(TODAY_URL, {"pain": "6", "notes": note})
    assert response.status_code == 200
    assert "at most 4000 characters (it has 5400)" in response.text
    assert note in response.text  # nothing typed is lost
    assert not DiaryEntry.objects.filter(patient=patient).exists()


def test_values_to_copy_leaves_out_detail_notes_and_what_was_not_recorded():
    entry = DiaryEntry(pain=7, spasms=None, mood=0, worst_pain=10, allodynia=False, triggers=[], notes="Words")
    assert values_to_copy(entry, detail=False) == {"pain": 7, "mood": 0}
    assert values_to_copy(entry, detail=True) == {"pain": 7, "mood": 0, "worst_pain": 10, "allodynia": False}
