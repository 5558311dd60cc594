import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careteam.models import Appointment
from careteam.services import access_grant
from tests.conftest import login_with_second_factor
from tests.factories import ClinicianFactory, DiaryEntryFactory, MedicationFactory, add_years_of_care

pytestmark = pytest.mark.django_db
D = datetime.timedelta(days=1)


@pytest.fixture
def shared(patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    return patient


def test_an_appointment_sets_the_default_range_of_the_review_and_the_report(client, shared, clinician):
    today = timezone.localdate()
    login_with_second_factor(client, clinician)
    client.post(
        reverse("careteam:add_appointment", kwargs={"patient_id": shared.pk}),
        {"date": (today - 40 * D).isoformat(), "note": "First visit"},
    )
    client.post(
        reverse("careteam:add_appointment", kwargs={"patient_id": shared.pk}), {"date": (today - 40 * D).isoformat()}
    )
    assert Appointment.objects.get().clinician == clinician  # once, however often it is sent
    review = client.get(reverse("careteam:patient", kwargs={"patient_id": shared.pk})).text
    assert f"{today - 40 * D:%-d %b %Y} to {today:%-d %b %Y}" in review
    report = client.get(reverse("careteam:report", kwargs={"patient_id": shared.pk})).text
    assert "(since the last appointment)" in report


def test_the_report_has_flags_treatment_changes_and_the_notes_meant_for_the_clinician(client, shared, clinician):
    today = timezone.localdate()
    DiaryEntryFactory(patient=shared, date=today - 2 * D, notes="Please ask about the spasms", note_for_clinician=True)
    DiaryEntryFactory(patient=shared, date=today - 3 * D, notes="Private thought", note_for_clinician=False)
    MedicationFactory(patient=shared, name="Baclofen", started_on=today - 10 * D)
    login_with_second_factor(client, clinician)
    page = client.get(reverse("careteam:report", kwargs={"patient_id": shared.pk}), {"range": "30"}).text
    assert "Pre-appointment report" in page
    assert "Please ask about the spasms" in page
    assert "Private thought" not in page
    assert "Started Baclofen" in page
    assert 'href="/static/css/print.css"' in page
    # Days 15-42 after the start are still to come: the report says so rather than judge it.
    assert "Too early to tell: days 15\u201342 after starting against the 14 days before can be read from" in page


def test_the_patient_marks_a_note_for_the_clinician_on_the_diary_page(client, patient):
    client.force_login(patient)
    client.post(reverse("symptoms:today"), {"pain": "5", "notes": "For Dr Who", "note_for_clinician": "on"})
    assert patient.diary_entries.get().note_for_clinician
    assert 'name="note_for_clinician" class="checkboxinput form-check-input" id="id_note_for_clinician" checked' in (
        client.get(reverse("symptoms:today")).text
    )


def test_a_patient_records_an_appointment_from_the_sharing_page(client, patient):
    client.force_login(patient)
    response = client.post(
        reverse("careteam:add_appointment", kwargs={"patient_id": patient.pk}),
        {"date": "2026-12-01", "note": "Pain clinic"},
    )
    assert response["Location"] == reverse("careteam:sharing")
    assert Appointment.objects.get().clinician is None
    page = client.get(reverse("careteam:sharing")).text
    assert "Tuesday 1 December 2026: Pain clinic" in page
    assert "None recorded yet." not in page


def test_an_absurd_appointment_date_is_refused(client, patient):
    client.force_login(patient)
    client.post(reverse("careteam:add_appointment", kwargs={"patient_id": patient.pk}), {"date": "0001-01-01"})
    client.post(reverse("careteam:add_appointment", kwargs={"patient_id": patient.pk}), {"date": "9999-01-01"})
    assert not Appointment.objects.exists()


def delete_url(appointment):
    return reverse("careteam:delete_appointment", kwargs={"patient_id": appointment.patient_id, "pk": appointment.pk})


def test_a_patient_deletes_an_appointment_they_recorded_after_confirming(client, patient, clinician):
    mine = Appointment.objects.create(patient=patient, date=datetime.date(2026, 10, 1), note="Pain clinic")
    theirs = Appointment.objects.create(patient=patient, date=datetime.date(2026, 11, 1), clinician=clinician)
    client.force_login(patient)
    sharing = client.get(reverse("careteam:sharing")).text
    assert f'href="{delete_url(mine)}"' in sharing
    assert delete_url(theirs) not in sharing  # recorded by the clinician: theirs to delete
    confirm = client.get(delete_url(mine))
    assert confirm.status_code == 200
    assert "Delete the appointment on 1 October 2026?" in confirm.text
    assert Appointment.objects.filter(pk=mine.pk).exists()  # a GET asks, it does not delete
    response = client.post(delete_url(mine))
    assert response["Location"] == reverse("careteam:sharing")
    assert not Appointment.objects.filter(pk=mine.pk).exists()
    assert client.post(delete_url(theirs)).status_code == 404
    assert Appointment.objects.filter(pk=theirs.pk).exists()


def test_a_clinician_deletes_only_appointments_they_recorded(client, shared, clinician):
    other_clinician = ClinicianFactory(username="dr-no")
    access_grant(patient=shared, clinician_identifier=other_clinician.username)
    mine = Appointment.objects.create(patient=shared, date=datetime.date(2026, 10, 1), clinician=clinician)
    patients = Appointment.objects.create(patient=shared, date=datetime.date(2026, 10, 2))
    colleagues = Appointment.objects.create(patient=shared, date=datetime.date(2026, 10, 3), clinician=other_clinician)
    login_with_second_factor(client, clinician)
    review = client.get(reverse("careteam:patient", kwargs={"patient_id": shared.pk})).text
    assert f'href="{delete_url(mine)}"' in review
    assert delete_url(patients) not in review and delete_url(colleagues) not in review
    for appointment in (patients, colleagues):
        assert client.get(delete_url(appointment)).status_code == 404
        assert client.post(delete_url(appointment)).status_code == 404
    assert client.get(delete_url(mine)).status_code == 200
    response = client.post(delete_url(mine))
    assert response["Location"] == reverse("careteam:patient", kwargs={"patient_id": shared.pk})
    assert set(Appointment.objects.values_list("pk", flat=True)) == {patients.pk, colleagues.pk}


def test_another_persons_appointment_is_a_404(client, patient, other_patient, clinician):
    recorded_by_patient = Appointment.objects.create(patient=patient, date=datetime.date(2026, 10, 1))
    recorded_by_clinician = Appointment.objects.create(
        patient=patient, date=datetime.date(2026, 10, 2), clinician=clinician
    )
    client.force_login(other_patient)
    for appointment in (recorded_by_patient, recorded_by_clinician):
        assert client.get(delete_url(appointment)).status_code == 404
        assert client.post(delete_url(appointment)).status_code == 404
        # Nor through the stranger's own patient id.
        url = reverse("careteam:delete_appointment", kwargs={"patient_id": other_patient.pk, "pk": appointment.pk})
        assert client.post(url).status_code == 404
    login_with_second_factor(client, clinician)  # recorded it, but the patient has not (or no longer) shared
    assert client.post(delete_url(recorded_by_clinician)).status_code == 404
    assert Appointment.objects.count() == 2


def test_the_review_of_a_new_diary_says_when_detection_starts(client, shared, clinician):
    today = timezone.localdate()
    for d in range(3):
        DiaryEntryFactory(patient=shared, date=today - d * D)
    login_with_second_factor(client, clinician)
    review = " ".join(client.get(reverse("careteam:patient", kwargs={"patient_id": shared.pk})).text.split())
    assert (
        f"No flags. A new diary: 3 days logged since {today - 2 * D:%-d %b %Y}. Worsening detection needs "
        "14 logged days within 42 for a baseline, then a few more (19 days of daily logging)." in review
    )
    for d in range(3, 19):
        DiaryEntryFactory(patient=shared, date=today - d * D)
    review = client.get(reverse("careteam:patient", kwargs={"patient_id": shared.pk})).text
    assert "A new diary" not in review


def test_a_patient_opens_their_own_report_from_the_dashboard_and_goes_back(client, patient):
    client.force_login(patient)
    report_url = reverse("careteam:report", kwargs={"patient_id": patient.pk})
    assert f'href="{report_url}"' in client.get(reverse("dashboard:patient")).text
    report = client.get(report_url).text
    assert f'href="{reverse("dashboard:patient")}">Back to your dashboard' in report
    assert reverse("careteam:patient", kwargs={"patient_id": patient.pk}) not in report  # a clinician's page
    from careteam.models import AccessLog

    assert not AccessLog.objects.filter(patient=patient).exists()  # their own report is not an access to log
    assert "No diary note in this period was marked for this report." in report


def test_the_report_reads_the_same_number_of_queries_for_a_month_and_5_years(
    client, patient, django_assert_num_queries
):
    from tests.factories import FlagFactory, NeurostimulatorFactory, ProcedureFactory, TherapyFactory

    today = timezone.localdate()
    url = reverse("careteam:report", kwargs={"patient_id": patient.pk})
    client.force_login(patient)
    for d in range(30):
        DiaryEntryFactory(patient=patient, date=today - d * D, notes="note", note_for_clinician=True)
    FlagFactory(
        patient=patient, date=today - 5 * D, patient_note="Told my physio", patient_acknowledged_at=timezone.now()
    )
    MedicationFactory(patient=patient, started_on=today - 20 * D)
    ProcedureFactory(patient=patient, performed_on=today - 10 * D)
    TherapyFactory(patient=patient, started_on=today - 25 * D)
    NeurostimulatorFactory(patient=patient, implanted_on=today - 15 * D)
    client.get(url)  # the session's first write
    with django_assert_num_queries(QUERIES) as month:
        client.get(url, {"range": "90"})
    with django_assert_num_queries(KEPT):  # asked again, nothing changed: the kept body
        client.get(url, {"range": "90"})
    add_years_of_care(patient, today, notes="note", note_for_clinician=True)
    with django_assert_num_queries(QUERIES) as years:
        page = client.get(url, {"range": "all"}).text
    assert len(month.captured_queries) == len(years.captured_queries)
    assert "Told my physio" in page


# session, user, profile, diary size, diary range (today's entry in it), streak dates, the treatment records
# read once for the chart, the changes and what is current (medications + doses, therapies + sessions,
# devices + programming changes, procedures), flags, the last and the next appointment, the care team,
# the changes' diary, adherence, the notes, the data version, the questionnaires (responses, open safety
# alerts, schedules). (The session is written at most once a minute: accounts.middleware.SessionPolicyMiddleware.)
QUERIES = 28
# The patient's own report, kept (lib.pages): session, user, second factor, profile, the data version, and
# the view's transaction (begin, commit: a patient's own view is not logged).
KEPT = 7


def test_an_account_made_outside_sign_up_gets_a_report_too(client, db):
    from accounts.models import User

    made_by_staff = User.objects.create_user("made-in-admin", password="x" * 12, role=User.Role.PATIENT)
    assert not hasattr(made_by_staff, "patient_profile")  # no profile yet
    client.force_login(made_by_staff)
    response = client.get(reverse("careteam:report", kwargs={"patient_id": made_by_staff.pk}))
    assert response.status_code == 200 and "Pre-appointment report" in response.text
