import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.forms import SignUpForm
from accounts.models import User
from accounts.services import USERNAME_TAKEN, patient_sign_up
from tests.conftest import needs, run_at_once, uses_postgresql

URL = reverse("accounts:sign_up")


def form(**overrides):
    data = {
        "username": "carol",
        "email": "carol@example.org",
        "time_zone": "America/New_York",
        "password1": "a-long-enough-passphrase",
        "password2": "a-long-enough-passphrase",
    }
    data.update(overrides)
    return data


def test_it_shows_the_form(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Create your diary" in response.text


def test_it_creates_a_patient_with_a_profile_and_logs_in(client, db):
    response = client.post(URL, form())
    assert response.status_code == 302
    assert response["Location"] == reverse("symptoms:today")
    user = User.objects.get(username="carol")
    assert user.is_patient
    assert user.patient_profile.time_zone == "America/New_York"
    assert client.get(reverse("symptoms:today")).status_code == 200


def test_self_signup_never_grants_the_clinician_role(client, db):
    client.post(URL, form(role="clinician", is_staff="on", is_superuser="on"))
    user = User.objects.get(username="carol")
    assert user.role == User.Role.PATIENT
    assert not user.is_staff
    assert not user.is_superuser


def test_it_rejects_weak_or_mismatched_passwords(client, db):
    weak = client.post(URL, form(password1="password", password2="password"))
    assert "This password is too common." in weak.text
    mismatched = client.post(URL, form(password2="something-else-entirely"))
    assert "The two password fields didn" in mismatched.text
    assert not User.objects.exists()


def test_it_rejects_a_taken_username_and_an_unknown_zone(client, patient):
    response = client.post(URL, form(username="alice", time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert "A user with that username already exists." in response.text
    assert "Select a valid choice." in response.text
    assert User.objects.count() == 1


def test_a_logged_in_user_is_sent_home(patient_client):
    assert patient_client.get(URL)["Location"] == reverse("home")


def test_a_form_with_errors_keeps_the_chosen_zone(client, db):
    response = client.post(URL, form(password2="mismatch-mismatch"))
    assert 'data-touched="1"' in response.text
    assert '<option value="America/New_York" selected>' in response.text


def test_a_look_alike_of_an_existing_name_is_refused(client, patient):
    look_alike = "\u0430lice"  # Cyrillic U+0430, then "lice": looks like "alice" on screen
    response = client.post(URL, form(username=look_alike))
    assert response.status_code == 200
    assert "Use letters a\u2013z, digits, and . _ - only." in response.text
    assert not User.objects.filter(username=look_alike).exists()
    assert client.post(URL, form(username="carol.o_neil-2"))["Location"] == reverse("symptoms:today")


def test_a_name_is_normalised_nfkc_at_sign_up_and_at_login(client, db):
    client.post(URL, form(username="\uff43\uff41\uff52\uff4f\uff4c"))  # "carol" in full-width letters
    assert User.objects.filter(username="carol").exists()
    client.post(reverse("logout"))
    response = client.post(reverse("login"), {"username": "\uff43arol", "password": "a-long-enough-passphrase"})
    assert response.status_code == 302  # logged in as "carol"


def test_an_existing_name_outside_the_new_rule_still_logs_in(client, db):
    User.objects.create_user("j\u00f6rg", password="a-long-enough-passphrase")
    response = client.post(reverse("login"), {"username": "j\u00f6rg", "password": "a-long-enough-passphrase"})
    assert response.status_code == 302


def test_a_name_taken_between_the_check_and_the_save_is_a_form_error(client, patient, monkeypatch):
    """Two sign-ups at once both pass the form's check; the database refuses the second (IntegrityError)."""
    monkeypatch.setattr(SignUpForm, "clean_username", lambda self: self.cleaned_data["username"])
    monkeypatch.setattr(User, "validate_unique", lambda self, exclude=None: None)
    response = client.post(URL, form(username="alice"))
    assert response.status_code == 200
    assert USERNAME_TAKEN in response.text
    assert User.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        patient_sign_up(username="alice", password=None)
    assert error.value.message_dict == {"username": [USERNAME_TAKEN]}


@pytest.mark.django_db(transaction=True)
def test_ten_sign_ups_at_once_with_one_name_make_one_account_and_no_error():
    needs(uses_postgresql(), "needs PostgreSQL (DATABASE_URL) for real concurrent transactions")
    answers = []

    def sign_up(_):
        answers.append(Client().post(URL, form()))

    errors = run_at_once(sign_up, [(n,) for n in range(10)])
    assert errors == []
    assert sorted(response.status_code for response in answers) == [200] * 9 + [302]
    for response in answers:
        if response.status_code == 200:
            assert USERNAME_TAKEN in response.text or "already exists" in response.text
    assert User.objects.filter(username="carol").count() == 1
