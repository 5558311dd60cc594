from django.urls import reverse

from tests.conftest import login_with_second_factor


def test_login_takes_a_patient_to_their_dashboard(client, patient, password):
    response = client.post(reverse("login"), {"username": "alice", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard:patient")


def test_login_rejects_a_wrong_password(client, patient):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_home_tells_a_visitor_what_the_app_is_and_how_to_get_in(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    text = response.text
    assert "A daily diary for people with CRPS (complex regional pain syndrome) and dystonia" in text
    assert "Run by your clinic." in text
    assert "no ads, no analytics, no trackers" in text
    assert f'href="{reverse("accounts:sign_up")}"' in text
    # The login form is on the page, and posts to the login page.
    assert f'action="{reverse("login")}"' in text
    assert 'name="username"' in text and 'name="password"' in text
    assert "autofocus" not in text  # a phone's keyboard would cover what the page says


def test_home_names_who_runs_the_service(client, db, settings):
    settings.SITE_OPERATOR = "St Elsewhere Pain Clinic"
    assert "Run by St Elsewhere Pain Clinic." in client.get(reverse("home")).text


def test_the_login_form_on_home_logs_in(client, patient, password):
    page = client.get(reverse("home"))
    assert page.status_code == 200
    response = client.post(reverse("login"), {"username": "alice", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("dashboard:patient")


def test_a_patient_still_goes_from_home_to_their_dashboard(patient_client):
    assert patient_client.get(reverse("home"))["Location"] == reverse("dashboard:patient")


def test_the_login_page_says_what_the_app_is(client, db):
    text = client.get(reverse("login")).text
    assert "a daily diary for people with CRPS and dystonia" in text
    assert f'<a href="{reverse("home")}">About the app</a>' in text


def test_a_clinician_lands_on_their_own_home(client, clinician):
    login_with_second_factor(client, clinician)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("careteam:clinician_home")
    assert "Your patients" in response.text


def test_staff_land_on_the_admin_after_their_second_factor(client, db):
    from accounts.models import User

    boss = User.objects.create_superuser("boss", "boss@example.org", "a-long-enough-passphrase")
    login_with_second_factor(client, boss)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert response.status_code == 200


def test_logout_is_a_post(patient_client):
    assert patient_client.get(reverse("logout")).status_code == 405
    assert patient_client.post(reverse("logout")).status_code == 302
    assert patient_client.get(reverse("symptoms:today")).status_code == 302
