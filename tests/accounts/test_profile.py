import datetime

import pytest
from django.urls import reverse

from tests.conftest import TODAY, login_with_second_factor
from tests.factories import PASSWORD

URL = reverse("accounts:profile")


def test_it_requires_a_patient(client, clinician):
    assert client.get(URL).status_code == 302
    login_with_second_factor(client, clinician)
    assert client.get(URL).status_code == 404


def test_it_saves_zone_sites_and_onset(patient_client, patient):
    response = patient_client.post(
        URL,
        {
            "time_zone": "Asia/Tokyo",
            "affected_sites": ["left_foot", "left_leg"],
            "onset_date": "2024-03-05",
            "birth_year": "1982",
            "reminder_enabled": "on",
            "reminder_time": "21:30",
            "email_flags": "on",
        },
    )
    assert response.status_code == 302
    profile = patient.patient_profile
    profile.refresh_from_db()
    assert profile.time_zone == "Asia/Tokyo"
    assert (profile.birth_year, profile.age(datetime.date(2026, 12, 4))) == (1982, 44)
    assert profile.affected_sites == ["left_foot", "left_leg"]
    assert profile.onset_date == datetime.date(2024, 3, 5)
    assert (profile.reminder_enabled, profile.reminder_time, profile.email_flags) == (True, datetime.time(21, 30), True)


def test_a_year_of_birth_is_optional_and_never_in_the_future(patient_client, patient):
    base = {"time_zone": "Europe/London", "reminder_time": "20:00"}
    assert patient_client.post(URL, base).status_code == 302
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.birth_year is None and patient.patient_profile.age(datetime.date(2026, 1, 1)) is None
    future = patient_client.post(URL, {**base, "birth_year": str(datetime.date.today().year + 1)})
    assert future.status_code == 200 and "This year is in the future." in future.text
    old = patient_client.post(URL, {**base, "birth_year": "1850"})
    assert old.status_code == 200 and "greater than or equal to 1900" in old.text


def test_it_rejects_bad_values(patient_client, patient):
    response = patient_client.post(URL, {"time_zone": "Nowhere", "affected_sites": ["tail"], "onset_date": "soon"})
    assert response.status_code == 200
    assert response.text.count("Select a valid choice.") == 2
    assert "Enter a valid date." in response.text
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.time_zone == "Europe/London"


@pytest.mark.usefixtures("frozen_now")
def test_the_onset_date_is_not_in_the_future_nor_before_1950(patient_client, patient):
    form = {"time_zone": "Europe/London", "reminder_time": "20:00"}
    assert f'max="{TODAY.isoformat()}"' in patient_client.get(URL).text
    for onset, message in (
        ((TODAY + datetime.timedelta(days=1)).isoformat(), "This date is in the future."),
        ("9999-12-31", "This date is in the future."),
        ("0001-01-01", "Dates before 1950 are not accepted."),
    ):
        response = patient_client.post(URL, {**form, "onset_date": onset})
        assert response.status_code == 200
        assert message in response.text
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.onset_date is None
    assert patient_client.post(URL, {**form, "onset_date": TODAY.isoformat()}).status_code == 302
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.onset_date == TODAY


@pytest.mark.usefixtures("frozen_now")
def test_an_onset_entered_as_today_survives_a_move_westwards(patient_client, patient):
    """24 Nov at noon in London is already 25 Nov on Kiritimati (UTC+14)."""
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    form = {"time_zone": "Pacific/Kiritimati", "reminder_time": "20:00", "onset_date": tomorrow}
    assert patient_client.post(URL, form).status_code == 302
    moved = patient_client.post(URL, {**form, "time_zone": "Europe/London"})
    assert moved.status_code == 302, "the onset it was saved with is not 'in the future' now"
    patient.patient_profile.refresh_from_db()
    assert patient.patient_profile.time_zone == "Europe/London"
    assert f'max="{tomorrow}"' in patient_client.get(URL).text  # the browser lets the form be sent again
    later = (TODAY + datetime.timedelta(days=2)).isoformat()
    assert "This date is in the future." in patient_client.post(URL, {**form, "onset_date": later}).text


def test_an_account_made_outside_sign_up_gets_a_profile(client, db):
    from accounts.models import User

    made = User.objects.create_user("made-by-hand", "hand@example.org", "a-long-enough-passphrase")
    client.force_login(made)
    response = client.get(URL)
    assert response.status_code == 200
    assert made.patient_profile.time_zone == "Europe/London"


def test_it_offers_two_factor_only_to_those_without_it(client, patient):
    client.force_login(patient)
    assert "Turn on two-factor authentication" in client.get(URL).text
    login_with_second_factor(client, patient)
    page = client.get(URL).text
    assert "Turn on two-factor authentication" not in page
    assert "Two-factor authentication is on" in page


EMAIL = reverse("accounts:email_change")


def test_reminders_and_flag_e_mails_need_an_address(patient_client, patient):
    patient.email = ""
    patient.save()
    page = " ".join(patient_client.get(URL).text.split())
    assert "No e-mail address:" in page and f'href="{EMAIL}"' in page
    response = patient_client.post(
        URL, {"time_zone": "UTC", "reminder_enabled": "on", "reminder_time": "20:00", "email_flags": "on"}
    )
    assert response.status_code == 200
    assert response.text.count("This goes by e-mail: add an e-mail address first") == 2
    patient.patient_profile.refresh_from_db()
    assert not patient.patient_profile.reminder_enabled and not patient.patient_profile.email_flags


def test_the_address_changes_only_with_the_current_password(patient_client, patient, password):
    wrong = patient_client.post(EMAIL, {"email": "new@example.org", "password": "guess"})
    assert wrong.status_code == 200 and "That is not your current password." in wrong.text
    patient.refresh_from_db()
    assert patient.email == "alice@example.org"
    assert patient_client.post(EMAIL, {"email": "new@example.org", "password": password})["Location"] == URL
    patient.refresh_from_db()
    assert patient.email == "new@example.org"
    assert "E-mail: new@example.org" in patient_client.get(URL).text
    bad = patient_client.post(EMAIL, {"email": "not an address", "password": password})
    assert bad.status_code == 200 and "Enter a valid email address." in bad.text


def test_removing_the_address_turns_e_mails_off(patient_client, patient, password):
    profile = patient.patient_profile
    profile.reminder_enabled = profile.email_flags = True
    profile.save()
    response = patient_client.post(EMAIL, {"email": "", "password": password}, follow=True)
    assert "reminders and flag e-mails are off" in response.text
    patient.refresh_from_db()
    profile.refresh_from_db()
    assert (patient.email, profile.reminder_enabled, profile.email_flags) == ("", False, False)


def test_a_clinician_finds_their_sign_in_settings_under_account(client, clinician):
    login_with_second_factor(client, clinician)
    home = client.get(reverse("careteam:clinician_home")).text
    assert f'href="{reverse("accounts:account")}"' in home
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    for link in ("accounts:email_change", "accounts:password_change"):
        assert f'href="{reverse(link)}"' in page.text
    assert "Two-factor authentication is on" in page.text
    changed = client.post(reverse("accounts:email_change"), {"email": "dr.new@clinic.example", "password": PASSWORD})
    assert changed["Location"] == reverse("accounts:account")
    done = client.get(reverse("accounts:password_change_done")).text
    assert f'href="{reverse("accounts:account")}">Back to your account' in done


def test_a_patient_s_account_is_their_profile(patient_client):
    response = patient_client.get(reverse("accounts:account"))
    assert response.status_code == 302 and response["Location"] == URL
    assert "Back to your profile" in patient_client.get(reverse("accounts:password_change_done")).text


def test_a_patient_gives_their_name_and_their_care_team_sees_it(patient_client, patient, clinician):
    from django.test import Client

    from careteam.services import access_grant

    client = Client()  # the clinician's browser, beside the patient's

    page = patient_client.get(URL).text
    assert 'name="first_name"' in page and 'autocomplete="family-name"' in page
    response = patient_client.post(
        URL, {"first_name": " Alex ", "last_name": "Morgan", "time_zone": "Europe/London", "reminder_time": "20:00"}
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.first_name, patient.last_name, patient.display_name) == ("Alex", "Morgan", "Alex Morgan")
    assert 'value="Morgan"' in patient_client.get(URL).text  # shown again, to change

    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    page = " ".join(client.get(reverse("careteam:clinician_home")).text.split())
    assert "Alex Morgan</a> <span" in page and f"({patient.username})" in page  # two Alex Morgans stay apart
    review = " ".join(client.get(reverse("careteam:patient", kwargs={"patient_id": patient.pk})).text.split())
    assert f'Alex Morgan <span class="h6 text-body-secondary">({patient.username})</span></h1>' in review
    report = client.get(reverse("careteam:report", kwargs={"patient_id": patient.pk})).text
    assert f'Alex Morgan <span class="report-username">({patient.username})</span>' in report
    nameless = {"first_name": "", "last_name": "", "time_zone": "Europe/London", "reminder_time": "20:00"}
    patient_client.post(URL, nameless)
    assert patient.username in client.get(reverse("careteam:clinician_home")).text  # no name: the username
