from django.urls import reverse

from accounts.models import User

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
