"""Error pages a user can meet: in the app's layout, saying what happened and what to do."""

import pytest
from django.test import Client
from django.urls import reverse

from symptoms.models import DiaryEntry

pytestmark = [pytest.mark.usefixtures("frozen_now"), pytest.mark.django_db]


def test_a_form_sent_with_an_out_of_date_token_says_nothing_was_saved_and_how_to_resend(patient):
    client = Client(enforce_csrf_checks=True)
    client.force_login(patient)
    response = client.post(reverse("symptoms:today"), {"pain": "5"})  # no token: a page from before a new login
    assert response.status_code == 403
    page = " ".join(response.text.split())
    assert "Not saved: please send it again" in page and "nothing it sent was saved" in page
    assert 'name="viewport"' in page and "Dashboard" in page  # the app's page, with the patient's menu
    assert "CSRF verification failed" not in page
    assert not DiaryEntry.objects.exists()


def test_a_bad_request_and_a_server_error_have_pages_a_phone_can_read(client, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "That request could not be read" in response.text and 'name="viewport"' in response.text

    from django.template import loader

    server_error = loader.get_template("500.html").render()
    assert 'name="viewport"' in server_error and "/static/css/app.css" in server_error
    assert 'href="/"' in server_error and "Nothing you saved earlier is lost" in server_error
