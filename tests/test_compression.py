"""Pages are sent gzip-compressed to a browser that accepts it (GZipMiddleware), with BREACH padding."""

import datetime
import gzip

import pytest
from django.urls import reverse

from accounts.selectors import local_today
from tests.factories import DiaryEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def diary(patient):
    today = local_today(patient)
    for back in range(90):
        DiaryEntryFactory(patient=patient, date=today - datetime.timedelta(days=back), pain=back % 11, mood=5)


def test_the_dashboard_is_compressed_when_the_browser_accepts_gzip(patient_client, diary):
    plain = patient_client.get(reverse("dashboard:patient"))
    packed = patient_client.get(reverse("dashboard:patient"), headers={"accept-encoding": "gzip, deflate, br"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    page = gzip.decompress(packed.content).decode()
    assert "Trends" in page and "</html>" in page
    # Each page's CSRF token differs; the rest of the two pages is the same, and packs to a fraction.
    assert abs(len(page) - len(plain.content)) < 100
    assert len(packed.content) < len(plain.content) / 4, (len(packed.content), len(plain.content))


def test_each_compressed_page_is_padded_differently_against_breach(client):
    """GZipMiddleware writes a random file name into the gzip header, so that the length of the
    compressed page does not tell an attacker how well a guess of a secret matched."""
    lengths = set()
    for _ in range(6):
        response = client.get(reverse("login"), headers={"accept-encoding": "gzip"})
        assert response["Content-Encoding"] == "gzip"
        assert response.content[3] & 0x08  # FNAME: the header carries the padding
        lengths.add(len(response.content))
    assert len(lengths) > 1


def test_a_page_is_sent_plain_to_a_client_that_does_not_accept_gzip(client):
    response = client.get(reverse("login"), headers={"accept-encoding": "identity"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"</html>" in response.content
