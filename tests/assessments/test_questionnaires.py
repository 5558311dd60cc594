"""The patient's questionnaires, the clinician's records, and the safety path (in the request, whatever is down)."""

import datetime

import pytest
from django.core import mail
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from accounts.selectors import local_today
from assessments import selectors, services
from assessments.instruments import BUDAPEST, CSS_SIGNS, CSS_SYMPTOMS, GAD7, PEG, PHQ9
from assessments.models import Response, SafetyAlert
from careteam.models import AccessLog, Appointment
from careteam.services import access_grant
from tests.conftest import login_with_second_factor
from tests.factories import ClinicianFactory, DiaryEntryFactory

pytestmark = pytest.mark.django_db
D = datetime.timedelta(days=1)


def filled(instrument, *values):
    return {item.key: value for item, value in zip(instrument.items, values, strict=True)}


def answer_url(code):
    return reverse("assessments:answer", args=[code])


def test_a_patient_answers_the_peg_and_sees_its_score(patient_client, patient):
    response = patient_client.post(answer_url("peg"), filled(PEG, 7, 6, 5), follow=True)
    assert "PEG saved: 6 of 10." in response.text
    saved = Response.objects.get(patient=patient)
    assert (saved.instrument, saved.score, saved.version, saved.recorded_by) == ("peg", 6.0, "2009", patient)
    assert saved.completed_on == local_today(patient)


def test_an_unanswered_question_is_named_and_nothing_is_saved(patient_client):
    answers = filled(GAD7, 1, 1, 1, 1, 1, 1, 1)
    del answers["afraid"]
    response = patient_client.post(answer_url("gad7"), answers)
    assert response.status_code == 200
    assert "Answer every question to save (1 to go)." in response.text and "Choose an answer." in response.text
    assert not Response.objects.exists()


def test_a_second_answer_the_same_day_replaces_the_first(patient_client, patient):
    patient_client.post(answer_url("gad7"), filled(GAD7, 1, 1, 1, 1, 1, 1, 1))
    patient_client.post(answer_url("gad7"), filled(GAD7, 2, 2, 2, 2, 2, 2, 2))
    assert list(Response.objects.values_list("score", flat=True)) == [14]


@pytest.mark.parametrize("code", ["css_signs", "budapest", "nothing"])
def test_a_patient_cannot_fill_a_clinicians_record_or_an_unknown_questionnaire(patient_client, code):
    assert patient_client.get(answer_url(code)).status_code == 404


def mail_sent(count: int) -> list:
    """The test outbox once `count` e-mails are in it: the care team's are sent after the response (lib.mail)."""
    import time

    for _ in range(200):
        if len(mail.outbox) >= count:
            break
        time.sleep(0.05)
    return list(mail.outbox)


def self_harm(value=1):
    return filled(PHQ9, 1, 2, 1, 1, 0, 1, 0, 0, value)


def shares_with(patient, email="dr@clinic.example"):
    clinician = ClinicianFactory(email=email)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    return clinician


def test_a_self_harm_answer_shows_help_at_once_and_tells_the_care_team_without_the_answers(
    patient_client, patient, django_capture_on_commit_callbacks, settings
):
    settings.CRISIS_CONTACTS = [("Samaritans, any time", "116 123")]
    clinician = shares_with(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(answer_url("phq9"), self_harm())
    assert response.status_code == 200  # answered in this response, not after a redirect
    text = response.text
    assert text.index("Thank you for telling us") < text.index("call your local emergency number")
    assert 'href="tel:116123"' in text and "Your care team has been told" in text
    alert = SafetyAlert.objects.get(patient=patient)
    assert alert.acknowledged_at is None and alert.clinicians_emailed == 1
    (sent,) = mail_sent(1)
    assert sent.to == [clinician.email] and "may need support" in sent.subject
    assert reverse("careteam:patient", args=[patient.pk]) in sent.body
    for item in PHQ9.items:
        assert item.text.lower()[:30] not in sent.body.lower()  # no answers in an e-mail
    assert "self" not in sent.body.lower() and "harm" not in sent.body.lower()


def test_not_at_all_on_item_9_is_an_ordinary_save(patient_client, patient, django_capture_on_commit_callbacks):
    shares_with(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(answer_url("phq9"), self_harm(0))
    assert response.status_code == 302
    assert not SafetyAlert.objects.exists() and mail.outbox == []


def test_the_safety_path_needs_no_broker_no_worker_and_no_mail_server(
    patient_client, patient, monkeypatch, django_capture_on_commit_callbacks
):
    from celery.app.task import Task

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Redis down")

    monkeypatch.setattr(Task, "apply_async", broker_down)  # any task queued would fail: none is

    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("lib.mail.mailer", mail_server_down)
    shares_with(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(answer_url("phq9"), self_harm(2))
    assert response.status_code == 200 and "call your local emergency number" in response.text
    assert SafetyAlert.objects.filter(patient=patient, acknowledged_at__isnull=True).count() == 1


def test_a_database_that_fails_still_shows_help_and_says_the_care_team_was_not_told(patient_client, monkeypatch):
    def down(**kwargs):
        raise DatabaseError("the database is down")

    monkeypatch.setattr(services, "response_record", down)
    response = patient_client.post(answer_url("phq9"), self_harm())
    assert response.status_code == 200
    assert "call your local emergency number" in response.text
    assert "could not be saved just now, so your care team has not been told" in response.text


def test_every_phq9_form_links_the_help_page_which_anyone_can_open(patient_client, client):
    assert reverse("assessments:crisis") in patient_client.get(answer_url("phq9")).text
    client.logout()
    assert "call your local emergency number" in client.get(reverse("assessments:crisis")).text


def test_the_css_symptoms_start_from_the_diary_each_suggestion_marked_and_confirmed(patient_client, patient):
    today = local_today(patient)
    for d in range(6):
        DiaryEntryFactory(patient=patient, date=today - d * D, skin_colour="red" if d else "normal", sweating="normal")
    page = patient_client.get(answer_url("css_symptoms")).text
    assert "From your diary: present on 5 of 6 recorded days this week. Check it." in page
    answers = filled(CSS_SYMPTOMS, 1, 0, 1, 0, 0, 0, 1, 1)
    refused = patient_client.post(answer_url("css_symptoms"), answers)
    assert "Check the answers your diary suggested, then tick this box." in refused.text
    assert not Response.objects.exists()
    patient_client.post(answer_url("css_symptoms"), {**answers, "confirm_suggestions": "on"})
    saved = Response.objects.get(instrument="css_symptoms")
    assert saved.score == 4 and "skin_colour_asymmetry" in saved.prefilled and "sweating_asymmetry" in saved.prefilled


def test_what_is_due_follows_the_schedules_skips_and_the_next_appointment(patient):
    today = local_today(patient)
    assert [d.instrument for d in selectors.due(patient, today)] == [PEG, PHQ9, GAD7, CSS_SYMPTOMS]
    services.response_record(
        patient=patient, code="peg", answers=filled(PEG, 5, 5, 5), completed_on=today, recorded_by=patient
    )
    services.response_skip(patient=patient, code="gad7", today=today)
    services.schedule_set(patient=patient, code="phq9", every_days=0, by=patient)
    services.response_record(
        patient=patient,
        code="css_symptoms",
        answers=filled(CSS_SYMPTOMS, *[1] * 8),
        completed_on=today - 20 * D,
        recorded_by=patient,
    )
    assert selectors.due(patient, today) == []
    assert [d.instrument for d in selectors.due(patient, today + 7 * D)] == [PEG]
    Appointment.objects.create(patient=patient, date=today + 5 * D)
    (css,) = selectors.due(patient, today)
    assert css.instrument is CSS_SYMPTOMS and css.reason == f"before your appointment on {today + 5 * D:%-d %b}"


def exam_url(patient, name="examination"):
    return reverse(f"assessments:{name}", kwargs={"patient_id": patient.pk})


def test_a_clinician_with_consent_records_the_examination_and_the_css_is_scored_with_the_patients_part(
    client, patient, clinician
):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    today = local_today(patient)
    first = today - 90 * D
    for day, symptoms, signs in (
        (first, (1, 0, 0, 0, 1, 0, 1, 0), (1, 0, 0, 0, 0, 0, 1, 0, 0)),
        (today, (1,) * 8, (1, 1, 1, 1, 1, 0, 1, 1, 0)),
    ):
        services.response_record(
            patient=patient,
            code="css_symptoms",
            answers=filled(CSS_SYMPTOMS, *symptoms),
            completed_on=day - 2 * D,
            recorded_by=patient,
        )
        answer = client.post(
            exam_url(patient), {**filled(CSS_SIGNS, *signs), "date": day.isoformat(), "site": "right_hand"}
        )
        assert answer.status_code == 302
    exams = Response.objects.filter(instrument="css_signs").order_by("completed_on")
    assert [e.recorded_by for e in exams] == [clinician, clinician] and exams[0].site == "right_hand"
    scores = selectors.css_scores(patient)
    assert [s.score for s in scores] == [5, 15]
    assert scores[1].change_words == f"up 10 since {first:%-d %b %Y}: a real change"
    assert AccessLog.objects.filter(patient=patient, what="recorded a CRPS Severity Score examination").count() == 2


def test_an_examination_in_the_future_or_with_an_item_missing_is_refused(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    tomorrow = local_today(patient) + D
    refused = client.post(
        exam_url(patient), {**filled(CSS_SIGNS, *[0] * 9), "date": tomorrow.isoformat(), "site": "left_foot"}
    )
    assert refused.status_code == 200 and "cannot be dated in the future" in refused.text
    answers = filled(CSS_SIGNS, *[0] * 9)
    del answers["motor_changes"]
    page = client.post(exam_url(patient), {**answers, "date": (tomorrow - D).isoformat(), "site": "left_foot"})
    assert "Answer every item to save." in page.text and "Choose an answer." in page.text
    assert not Response.objects.exists()


def test_the_budapest_checklist_is_the_clinicians_dated_record_and_says_who(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    day = datetime.date(2026, 3, 12)
    client.post(
        exam_url(patient, "budapest"), {**filled(BUDAPEST, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1), "date": day.isoformat()}
    )
    record = selectors.budapest_latest(patient)
    assert record.result.met
    assert record.header == f"Budapest clinical criteria met, recorded 12 Mar 2026 by {clinician.display_name}"


def test_no_one_but_a_clinician_with_consent_records_signs_or_acknowledges_an_alert(
    client, patient, other_patient, clinician
):
    login_with_second_factor(client, clinician)
    body = {**filled(CSS_SIGNS, *[1] * 9), "date": "2026-11-01", "site": "right_hand"}
    assert client.post(exam_url(patient), body).status_code == 404  # no consent
    client.force_login(patient)
    assert client.post(exam_url(patient), body).status_code == 404  # the patient's own data, but a clinician's record
    response = services.response_record(
        patient=other_patient,
        code="phq9",
        answers=self_harm(),
        completed_on=datetime.date(2026, 11, 1),
        recorded_by=other_patient,
    )
    alert = SafetyAlert.objects.get(response=response)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    url = reverse("assessments:acknowledge_alert", kwargs={"patient_id": patient.pk, "pk": alert.pk})
    assert client.post(url).status_code == 404  # another patient's alert through this patient's address
    assert not Response.objects.filter(instrument="css_signs").exists()


def test_a_clinician_acknowledges_a_safety_alert(client, patient, clinician):
    response = services.response_record(
        patient=patient, code="phq9", answers=self_harm(), completed_on=datetime.date(2026, 11, 1), recorded_by=patient
    )
    alert = SafetyAlert.objects.get(response=response)
    access_grant(patient=patient, clinician_identifier=clinician.username)
    login_with_second_factor(client, clinician)
    client.post(reverse("assessments:acknowledge_alert", kwargs={"patient_id": patient.pk, "pk": alert.pk}))
    alert.refresh_from_db()
    assert alert.acknowledged_by == clinician and alert.acknowledged_at <= timezone.now()
    assert selectors.open_safety_alerts(patient) == []


def test_an_unacknowledged_safety_alert_puts_the_patient_first_on_the_list_with_a_badge(
    client, patient, other_patient, clinician
):
    from tests.factories import FlagFactory

    for who in (patient, other_patient):
        access_grant(patient=who, clinician_identifier=clinician.username)
    FlagFactory(patient=other_patient, date=local_today(other_patient) - D)  # an unreviewed flag: first until now
    response = services.response_record(
        patient=patient, code="phq9", answers=self_harm(), completed_on=local_today(patient), recorded_by=patient
    )
    login_with_second_factor(client, clinician)
    page = client.get(reverse("careteam:clinician_home")).text
    assert page.index(f">{patient.display_name}<") < page.index(f">{other_patient.display_name}<")
    assert page.count("Mood answer: check today") == 1
    review = client.get(reverse("careteam:patient", args=[patient.pk])).text
    assert "Needs attention today: a mood answer" in review
    assert review.index("Needs attention today") < review.index('id="flags-heading"')
    services.alert_acknowledge(alert=response.safety_alerts.get(), by=clinician)
    page = client.get(reverse("careteam:clinician_home")).text
    assert "Mood answer: check today" not in page
    assert page.index(f">{other_patient.display_name}<") < page.index(f">{patient.display_name}<")
    assert "Needs attention today" not in client.get(reverse("careteam:patient", args=[patient.pk])).text


def test_scores_show_on_the_dashboard_the_review_and_the_report(client, patient, clinician):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    today = local_today(patient)
    for weeks, pain in ((3, 4), (2, 5), (1, 6), (0, 8)):
        services.response_record(
            patient=patient,
            code="peg",
            answers=filled(PEG, pain, pain, pain),
            completed_on=today - weeks * 7 * D,
            recorded_by=patient,
        )
    services.response_record(
        patient=patient,
        code="phq9",
        answers=filled(PHQ9, 1, 2, 2, 2, 1, 1, 1, 1, 0),
        completed_on=today,
        recorded_by=patient,
    )
    services.response_record(
        patient=patient,
        code="budapest",
        answers=filled(BUDAPEST, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1),
        completed_on=today - 30 * D,
        recorded_by=clinician,
    )
    client.force_login(patient)
    dashboard = client.get(reverse("dashboard:patient")).text
    assert "up 33 % (clinically important)" in dashboard  # PEG 6 to 8
    assert "moderate" in dashboard and 'data-figure="scores-figure"' in dashboard  # PHQ-9 11
    report = client.get(reverse("careteam:report", args=[patient.pk])).text
    assert f"Budapest clinical criteria met, recorded {today - 30 * D:%-d %b %Y} by {clinician.display_name}" in report
    assert "Questionnaires:" in report and "up 33 % (clinically important)" in report
    login_with_second_factor(client, clinician)
    review = client.get(reverse("careteam:patient", args=[patient.pk])).text
    assert "Record a CSS examination" in review and "Budapest clinical criteria met" in review
    assert "PHQ-9" in review and 'data-figure="scores-figure"' in review


def test_the_daily_reminder_says_how_many_questionnaires_wait_but_never_which(patient):
    import time_machine

    from reminders.reminders import send_due_reminders

    profile = patient.patient_profile
    profile.reminder_enabled = True
    profile.save()
    type(patient).objects.filter(pk=patient.pk).update(email="alice@example.org", email_confirmed=True)
    evening = timezone.now().astimezone(datetime.UTC).replace(hour=21, minute=0) + 2 * D
    with time_machine.travel(evening, tick=False):
        send_due_reminders()
        today = local_today(patient)
        for instrument, values in ((PEG, (5, 5, 5)), (GAD7, (0,) * 7), (PHQ9, (0,) * 9), (CSS_SYMPTOMS, (0,) * 8)):
            services.response_record(
                patient=patient,
                code=instrument.code,
                answers=filled(instrument, *values),
                completed_on=today,
                recorded_by=patient,
            )
    with time_machine.travel(evening + D, tick=False):
        send_due_reminders()
    first, second = mail.outbox
    assert "4 short questionnaires are waiting too, about a minute each: " in first.body
    assert reverse("assessments:overview") in first.body
    assert "PHQ" not in first.body and "GAD" not in first.body and "questionnaire" not in second.body


def test_a_mail_server_that_hangs_never_holds_back_the_crisis_page(
    patient_client, patient, monkeypatch, django_capture_on_commit_callbacks
):
    import threading

    sending, release = threading.Event(), threading.Event()

    class Hanging:
        def send_messages(self, messages):
            sending.set()
            release.wait(timeout=30)  # a relay that accepts and never answers, until the test lets it go
            mail.outbox.extend(messages)
            return len(messages)

    monkeypatch.setattr("lib.mail.mailer", lambda: Hanging())
    shares_with(patient)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(answer_url("phq9"), self_harm(3))
    assert sending.wait(timeout=10)  # the e-mail is on its way...
    assert (
        response.status_code == 200 and "call your local emergency number" in response.text
    )  # ...and the page is here
    assert mail.outbox == []
    release.set()
    assert len(mail_sent(1)) == 1


def test_a_worse_answer_later_the_same_day_opens_an_acknowledged_alert_again(
    patient_client, patient, clinician, django_capture_on_commit_callbacks
):
    access_grant(patient=patient, clinician_identifier=clinician.username)
    type(clinician).objects.filter(pk=clinician.pk).update(email="dr@clinic.example")
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(answer_url("phq9"), self_harm(1))
    mail_sent(1)
    services.alert_acknowledge(alert=SafetyAlert.objects.get(), by=clinician)
    with django_capture_on_commit_callbacks(execute=True):
        again = patient_client.post(answer_url("phq9"), self_harm(3))
    assert "Your care team has been told" in again.text
    alert = SafetyAlert.objects.get()
    assert alert.acknowledged_at is None and alert.item_answer == 3
    assert len(mail_sent(2)) == 2
    # Answered once more, "not at all": the answer that raised the alert stays with it, and so does the alert.
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(answer_url("phq9"), self_harm(0))
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and alert.item_answer == 3 and alert.total is not None
    assert Response.objects.get(instrument="phq9").answers["self_harm"] == 0


def test_a_self_harm_answer_on_an_incomplete_phq9_still_opens_the_safety_path(
    patient_client, patient, django_capture_on_commit_callbacks
):
    shares_with(patient)
    answers = self_harm(2)
    del answers["interest"]
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(answer_url("phq9"), answers)
    assert "Thank you for telling us" in response.text and "Your other answers were not saved" in response.text
    alert = SafetyAlert.objects.get(patient=patient)
    assert (alert.response, alert.item_answer, alert.total) == (None, 2, None)
    assert len(mail_sent(1)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(answer_url("phq9"), answers)  # the same again: one alert a day
    assert SafetyAlert.objects.count() == 1


def test_only_a_record_made_is_logged_as_a_change_and_each_clinician_keeps_their_own(client, patient, clinician):
    other = ClinicianFactory()
    for who in (clinician, other):
        access_grant(patient=patient, clinician_identifier=who.username)
    today = local_today(patient)
    body = {**filled(CSS_SIGNS, *[1] * 9), "date": today.isoformat(), "site": "right_hand"}
    login_with_second_factor(client, clinician)
    client.get(exam_url(patient))  # the form: nothing changed
    client.post(exam_url(patient), {**body, "date": ""})  # refused: nothing changed
    assert not AccessLog.objects.filter(patient=patient, action="changed").exists()
    client.post(exam_url(patient), body)
    login_with_second_factor(client, other)
    client.post(exam_url(patient), {**body, **filled(CSS_SIGNS, *[0] * 9)})
    assert AccessLog.objects.filter(patient=patient, action="changed").count() == 2
    exams = {r.recorded_by: r.score for r in Response.objects.filter(instrument="css_signs", completed_on=today)}
    assert exams == {clinician: 9, other: 0}
