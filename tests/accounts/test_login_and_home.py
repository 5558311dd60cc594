from django.urls import reverse

from tests.conftest import login_with_second_factor


def test_login_takes_a_patient_to_their_dashboard(client, patient, password):
    response = client.post(reverse("login"), {"username": "alice", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard:patient")


def test_login_rejects_a_wrong_password(client, patient):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_home_requires_login(client, db):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_a_clinician_lands_on_their_own_home(client, clinician):
    login_with_second_factor(client, clinician)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("careteam:clinician_home")
    assert "Your patients" in response.text


def test_logout_is_a_post(patient_client):
    assert patient_client.get(reverse("logout")).status_code == 405
    assert patient_client.post(reverse("logout")).status_code == 302
    assert patient_client.get(reverse("symptoms:today")).status_code == 302
