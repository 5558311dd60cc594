import datetime
import zoneinfo

import time_machine

from accounts.selectors import local_today
from tests.factories import PatientFactory

# 23:30 UTC on 24 November: already the 25th in Auckland, still the 24th in London and Los Angeles.
LATE_EVENING_UTC = datetime.datetime(2026, 11, 24, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))


def test_today_is_the_patients_local_date(db):
    auckland = PatientFactory(profile__time_zone="Pacific/Auckland")
    london = PatientFactory(profile__time_zone="Europe/London")
    los_angeles = PatientFactory(profile__time_zone="America/Los_Angeles")
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        assert local_today(auckland) == datetime.date(2026, 11, 25)
        assert local_today(london) == datetime.date(2026, 11, 24)
        assert local_today(los_angeles) == datetime.date(2026, 11, 24)


def test_the_today_page_follows_the_patients_date(client, db):
    auckland = PatientFactory(profile__time_zone="Pacific/Auckland")
    client.force_login(auckland)
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        response = client.get("/diary/today/")
        assert "Wednesday 25 November" in response.text
        client.post("/diary/today/", {"pain": "3"})
    assert auckland.diary_entries.get().date == datetime.date(2026, 11, 25)
