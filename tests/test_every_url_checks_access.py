"""Walk every URL pattern that takes an object or patient id: a stranger gets 404, always. Walk every
other one: a visitor who is not signed in is sent to the login page, unless the page is in PUBLIC."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from careteam.models import Appointment, CareAccess, ShareCode
from careteam.services import access_grant, share_code_create
from tests.conftest import login_with_second_factor
from tests.factories import (
    ClinicianFactory,
    DiagnosticTestFactory,
    FlagFactory,
    MedicationFactory,
    NeurostimulatorFactory,
    PatientFactory,
    ProcedureFactory,
    TherapyFactory,
)
from treatments.models import ProgrammingChange, TherapySession

ID_KWARGS = {"pk", "patient_id", "child_pk"}
# Pages a visitor reaches without signing in. A new public page must be added here, on purpose.
PUBLIC = {
    "home",
    "login",
    "logout",
    "accounts:sign_up",
    "accounts:password_reset",
    "accounts:password_reset_sent",
    "accounts:password_reset_done",
    "healthz",  # lib/health.py: monitors and make bench-load's anchor; no database, no session
    "assessments:crisis",  # crisis resources, for anyone: linked from every PHQ-9 form
    # reminders/views.py: what a phone needs to install the app and work offline; no health data
    "reminders:manifest",
    "reminders:service_worker",
    "reminders:offline",
}


def patterns_with_ids(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # staff only, Django's own checks
            yield from patterns_with_ids(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = set(entry.pattern.converters)
            if converters & ID_KWARGS:
                yield f"{namespace}{entry.name}", entry.default_args, converters


@pytest.fixture
def owned(db):
    """One of everything, all belonging to `owner`, who shares with `their_clinician`."""
    owner = PatientFactory(username="owner")
    their_clinician = ClinicianFactory(username="their-dr")
    access_grant(patient=owner, clinician_identifier=their_clinician.username)
    therapy = TherapyFactory(patient=owner)
    device = NeurostimulatorFactory(patient=owner)
    flag = FlagFactory(patient=owner, date=datetime.date(2026, 10, 1))
    return {
        "owner": owner,
        "medication": MedicationFactory(patient=owner),
        "therapy": therapy,
        "sessions": TherapySession.objects.create(therapy=therapy, date=datetime.date(2026, 9, 5)),
        "device": device,
        "programming": ProgrammingChange.objects.create(device=device, date=datetime.date(2026, 9, 5), note="x"),
        "procedure": ProcedureFactory(patient=owner),
        "diagnostic": DiagnosticTestFactory(patient=owner),
        "flag": flag,
        "access": CareAccess.objects.get(patient=owner),
        "appointment": Appointment.objects.create(patient=owner, date=datetime.date(2026, 9, 1)),
        "code": share_code_create(patient=owner),
        "alert": safety_alert_of(owner),
    }


def safety_alert_of(patient):
    from assessments.instruments import PHQ9
    from assessments.services import response_record

    answers = {item.key: 1 for item in PHQ9.items}
    response = response_record(
        patient=patient, code="phq9", answers=answers, completed_on=datetime.date(2026, 9, 1), recorded_by=patient
    )
    return response.safety_alerts.get()


def kwargs_for(name: str, default_args: dict, converters: set, owned: dict) -> dict:
    kind = default_args.get("kind") or name.split(":")[-1].split("_")[0]
    child = default_args.get("child")
    kwargs = {}
    if "patient_id" in converters:
        kwargs["patient_id"] = owned["owner"].pk
    if "pk" in converters:
        if name.startswith("flags:") or name == "careteam:acknowledge_flag":
            kwargs["pk"] = owned["flag"].pk
        elif name == "careteam:delete_appointment":
            kwargs["pk"] = owned["appointment"].pk
        elif name == "assessments:acknowledge_alert":
            kwargs["pk"] = owned["alert"].pk
        elif name == "careteam:cancel_code":
            kwargs["pk"] = owned["code"].pk
        elif name.startswith("careteam:"):
            kwargs["pk"] = owned["access"].pk
        else:
            kwargs["pk"] = owned[kind].pk
    if "child_pk" in converters:
        kwargs["child_pk"] = owned[child].pk
    return kwargs


def patterns_without_arguments(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from patterns_without_arguments(
                entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            )
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.converters:
            yield f"{namespace}{entry.name}"


def test_every_page_without_an_id_needs_a_login_unless_it_is_public(client, db):
    names = set(patterns_without_arguments())
    assert names >= PUBLIC, PUBLIC - names
    for name in sorted(names - PUBLIC):
        url = reverse(name)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url)
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login") + "?next="), (name, response["Location"])
    assert len(names - PUBLIC) >= 30


def test_the_walk_finds_the_patterns_it_must(db):
    names = {name for name, _, _ in patterns_with_ids()}
    for expected in (
        "treatments:medication",
        "treatments:therapy_sessions_delete",
        "flags:acknowledge",
        "careteam:patient",
        "careteam:revoke",
        "careteam:cancel_code",
    ):
        assert expected in names
    assert len(names) >= 25


@pytest.mark.parametrize("stranger_kind", ["unrelated patient", "clinician without consent"])
def test_every_id_url_is_a_404_for_a_stranger(client, owned, stranger_kind):
    stranger = PatientFactory(username="stranger") if stranger_kind == "unrelated patient" else ClinicianFactory()
    login_with_second_factor(client, stranger)
    checked = 0
    for name, default_args, converters in patterns_with_ids():
        url = reverse(name, kwargs=kwargs_for(name, default_args, converters, owned))
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {"note": "forged", "date": "2026-09-06"})
        assert response.status_code == 404, (stranger_kind, name, url, response.status_code)
        checked += 1
    assert checked >= 25
    # Nothing was changed on the way.
    owned["flag"].refresh_from_db()
    assert not owned["flag"].is_acknowledged
    assert CareAccess.objects.get(patient=owned["owner"]).status == "active"
    assert TherapySession.objects.count() == 1 and ProgrammingChange.objects.count() == 1
    assert Appointment.objects.count() == 1
    assert ShareCode.objects.get() == owned["code"]
    assert ShareCode.objects.get().expires_at == owned["code"].expires_at  # not cancelled


def test_the_consented_clinician_reaches_the_patient_pages(client, owned):
    login_with_second_factor(client, CareAccess.objects.get().clinician)
    assert client.get(reverse("careteam:patient", kwargs={"patient_id": owned["owner"].pk})).status_code == 200
