import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from careteam.models import AccessLog, CareAccess, ShareCode
from careteam.services import access_grant
from tests.conftest import login_with_second_factor
from tests.factories import ClinicianFactory, DiaryEntryFactory, FlagFactory

pytestmark = pytest.mark.django_db
REVIEW = "careteam:patient"


def review_url(patient):
    return reverse(REVIEW, kwargs={"patient_id": patient.pk})


def test_no_access_without_consent(client, patient, clinician):
    login_with_second_factor(client, clinician)
    assert client.get(review_url(patient)).status_code == 404


def test_a_patient_id_past_64_bits_is_a_404_not_a_500(client, clinician):
    login_with_second_factor(client, clinician)
    for patient_id in (2**63 - 1, 2**63, 10**30):
        assert client.get(f"/care/clinician/patients/{patient_id}/").status_code == 404
        assert client.get(f"/care/patients/{patient_id}/report/").status_code == 404


def test_a_patient_grants_by_username_or_email_and_the_clinician_sees_the_diary(client, patient, clinician):
    DiaryEntryFactory(patient=patient, date=timezone.localdate(), notes="Private note for Dr Who")
    client.force_login(patient)
    client.post(reverse("careteam:grant"), {"clinician": clinician.email.upper()})
    assert CareAccess.objects.get().status == "active"
    login_with_second_factor(client, clinician)
    page = client.get(review_url(patient))
    assert page.status_code == 200
    assert "Private note for Dr Who" in page.text
    assert patient.username in client.get(reverse("careteam:clinician_home")).text


def test_granting_to_a_patient_or_nobody_is_refused(client, patient, other_patient):
    client.force_login(patient)
    response = client.post(reverse("careteam:grant"), {"clinician": other_patient.username}, follow=True)
    assert "No clinician has that username" in response.text
    assert not CareAccess.objects.exists()


def test_revoking_takes_effect_on_the_next_request(client, patient, clinician):
    access = access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    assert client.get(review_url(patient)).status_code == 200
    patient_client = client.__class__()
    patient_client.force_login(patient)
    patient_client.post(reverse("careteam:revoke", args=[access.pk]))
    assert client.get(review_url(patient)).status_code == 404
    assert patient.username not in client.get(reverse("careteam:clinician_home")).text


def test_a_share_code_works_once_and_expires_after_7_days(client, patient, clinician):
    client.force_login(patient)
    client.post(reverse("careteam:create_code"))
    code = ShareCode.objects.get()
    assert code.code in client.get(reverse("careteam:sharing")).text
    late = ClinicianFactory(username="dr-late")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        login_with_second_factor(client, late)
        response = client.post(reverse("careteam:redeem"), {"code": code.code}, follow=True)
        assert "not valid" in response.text
    login_with_second_factor(client, clinician)
    response = client.post(reverse("careteam:redeem"), {"code": code.code.lower()})
    assert response["Location"] == review_url(patient)
    second = ClinicianFactory(username="dr-second")
    login_with_second_factor(client, second)
    assert "not valid" in client.post(reverse("careteam:redeem"), {"code": code.code}, follow=True).text
    assert list(CareAccess.objects.values_list("clinician__username", flat=True)) == ["dr-who"]


def test_a_clinician_invites_and_sees_nothing_until_the_patient_accepts(client, patient, clinician):
    patient.first_name, patient.last_name = "Robert", "Secretname"
    patient.save()
    login_with_second_factor(client, clinician)
    response = client.post(reverse("careteam:invite"), {"patient": patient.username}, follow=True)
    assert "have been asked" in response.text
    assert "Secretname" not in response.text  # the home page does not confirm the account exists
    assert client.get(review_url(patient)).status_code == 404
    access = CareAccess.objects.get()
    client.force_login(patient)
    assert "asks to see your diary" in client.get(reverse("careteam:sharing")).text
    client.post(reverse("careteam:accept", args=[access.pk]))
    login_with_second_factor(client, clinician)
    assert client.get(review_url(patient)).status_code == 200


def test_inviting_someone_unknown_reveals_nothing(client, clinician):
    login_with_second_factor(client, clinician)
    response = client.post(reverse("careteam:invite"), {"patient": "nobody"}, follow=True)
    assert "If that patient has an account" in response.text
    assert not CareAccess.objects.exists()


def test_the_access_log_records_views_and_consent_changes(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    client.get(review_url(patient))
    actions = list(AccessLog.objects.order_by("at").values_list("action", "actor__username"))
    assert actions == [("granted", "alice"), ("viewed", "dr-who")]
    client.force_login(patient)
    page = client.get(reverse("careteam:sharing"))
    assert "Viewed: dashboard, flags, treatments and diary" in page.text


def test_the_access_log_is_append_only(patient):
    entry = AccessLog.objects.create(patient=patient, actor=patient, action="viewed")
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()
    with pytest.raises(PermissionError):
        AccessLog.objects.update(what="changed")


def test_triage_orders_flags_first_then_longest_without_an_entry(client, clinician, django_assert_num_queries):
    from tests.factories import PatientFactory

    today = timezone.localdate()
    quiet_long = PatientFactory(username="quiet-long")
    quiet_recent = PatientFactory(username="quiet-recent")
    flagged_old = PatientFactory(username="flagged-old")
    flagged_new = PatientFactory(username="flagged-new")
    DiaryEntryFactory(patient=quiet_long, date=today - datetime.timedelta(days=30))
    for days_ago in range(4):  # 4 of the last 7 days, and 4 of the 7 before
        DiaryEntryFactory(patient=quiet_recent, date=today - datetime.timedelta(days=days_ago), pain=6)
        DiaryEntryFactory(patient=quiet_recent, date=today - datetime.timedelta(days=days_ago + 8), pain=4)
    for who, days_ago in ((flagged_old, 10), (flagged_new, 2)):
        FlagFactory(patient=who, date=today - datetime.timedelta(days=days_ago))
    for who in (quiet_long, quiet_recent, flagged_old, flagged_new):
        access_grant(patient=who, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    # session, user, second factor, patients, their open flags, last entries, recent entries, open safety
    # alerts (the session is written at most once a minute: accounts.middleware)
    with django_assert_num_queries(8):
        page = client.get(reverse("careteam:clinician_home")).text
    order = [page.index(name) for name in ("flagged-new", "flagged-old", "quiet-long", "quiet-recent")]
    assert order == sorted(order)
    assert '<span class="triage-measure">Pain 6.0</span>' in page  # 4 days earlier are no usual level (14 needed)
    assert f"Pain since {today - datetime.timedelta(days=2):%-d %b}</span>" in page  # each flag with its own date
    # A month without entries reads as that, not as a row of dashes.
    assert page.count("Nothing logged in the last 7 days") == 3  # quiet-long and both flagged
    searched = client.get(reverse("careteam:clinician_home"), {"q": "quiet"}).text
    assert "quiet-long" in searched and "flagged-new" not in searched


def test_the_access_log_holds_what_was_disclosed_or_done_not_a_head_a_refused_method_or_a_refused_form(
    client, patient, clinician
):
    flag = FlagFactory(patient=patient)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    acknowledge = reverse("careteam:acknowledge_flag", kwargs={"patient_id": patient.pk, "pk": flag.pk})
    assert client.head(review_url(patient)).status_code == 200  # a link checker: no body, nothing seen
    assert client.post(review_url(patient)).status_code == 405
    assert client.get(acknowledge).status_code == 405
    assert client.post(acknowledge, {"note": "x" * 2001}).status_code == 400  # refused: nothing acknowledged
    other = reverse("careteam:acknowledge_flag", kwargs={"patient_id": patient.pk, "pk": flag.pk + 1000})
    assert client.post(other, {"note": "Seen"}).status_code == 404
    assert list(AccessLog.objects.exclude(action="granted").values_list("action", flat=True)) == []
    client.get(review_url(patient))
    client.post(acknowledge, {"note": "Seen"})
    actions = list(AccessLog.objects.exclude(action="granted").order_by("at").values_list("action", "what"))
    assert actions == [("viewed", "dashboard, flags, treatments and diary"), ("changed", "acknowledged a flag")]


@pytest.mark.usefixtures("frozen_now")
def test_the_review_of_a_young_watched_diary_says_only_clear_changes_are_flagged_yet(client, patient, clinician):
    from tests.conftest import TODAY

    for d in range(20):
        DiaryEntryFactory(patient=patient, date=TODAY - datetime.timedelta(days=d))
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    page = " ".join(client.get(review_url(patient)).text.split())
    assert "No flags. A young diary: worsening detection has started, but for about its first two months" in page


def test_a_change_without_its_access_log_line_is_not_kept(client, patient, clinician, monkeypatch):
    """The view's change and its log line are one transaction: if the log cannot be written (here made to
    fail), the acknowledgement is rolled back rather than kept unlogged."""
    from accounts import access

    flag = FlagFactory(patient=patient)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)

    def broken_log(**kwargs):
        raise RuntimeError("the log table is unavailable")

    monkeypatch.setattr(access.care_team, "log", broken_log)  # the writer careteam gave the access check
    url = reverse("careteam:acknowledge_flag", kwargs={"patient_id": patient.pk, "pk": flag.pk})
    with pytest.raises(RuntimeError):
        client.post(url, {"note": "Seen"})
    flag.refresh_from_db()
    assert flag.clinician_acknowledged_at is None
