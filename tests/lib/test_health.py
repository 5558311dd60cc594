"""/healthz: the bare page monitors and make bench-load's anchor use."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_answers_ok_without_the_database_or_a_cookie(django_assert_num_queries):
    client = Client()
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies
    assert not response.has_header("Set-Cookie")


@pytest.mark.django_db
def test_healthz_is_read_only():
    client = Client()
    head = client.head(reverse("healthz"))
    assert head.status_code == 200 and head.content == b""
    assert client.post(reverse("healthz")).status_code == 405
