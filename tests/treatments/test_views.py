# ruff: noqa: RUF001  (the wording on screen writes a range of days with an en dash)
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.conftest import TODAY, login_with_second_factor
from tests.factories import (
    DiagnosticTestFactory,
    DiaryEntryFactory,
    MedicationDoseFactory,
    MedicationFactory,
    NeurostimulatorFactory,
    ProcedureFactory,
    TherapyFactory,
)
from treatments.models import (
    DiagnosticTest,
    Medication,
    MedicationAdherence,
    Neurostimulator,
    Procedure,
    ProgrammingChange,
    Therapy,
    TherapySession,
)

pytestmark = pytest.mark.usefixtures("frozen_now")
OVERVIEW = reverse("treatments:overview")
DAY = datetime.timedelta(days=1)
SPAN = '<span class="text-body-secondary">'


def test_overview_requires_a_patient(client, clinician):
    assert client.get(OVERVIEW).status_code == 302
    login_with_second_factor(client, clinician)
    assert client.get(OVERVIEW).status_code == 404


def test_overview_shows_current_treatments_and_the_timeline(patient_client, patient):
    MedicationFactory(patient=patient, name="Baclofen", started_on=TODAY - 20 * DAY)
    MedicationFactory(patient=patient, name="Ibuprofen", started_on=TODAY - 90 * DAY, stopped_on=TODAY - 60 * DAY)
    ProcedureFactory(patient=patient, kind="botulinum_toxin", block_type="", performed_on=TODAY + 5 * DAY)
    DiagnosticTestFactory(patient=patient)
    response = patient_client.get(OVERVIEW)
    text = response.text
    current = text[text.index('id="current"') : text.index('id="timeline"')]
    assert "Baclofen" in current and "300 mg three times a day" in current
    assert "Ibuprofen" not in current
    assert "Planned" in current and "Botulinum toxin injection (right)" in current
    timeline = text[text.index('id="timeline"') :]
    assert (
        timeline.index("Planned: Botulinum") < timeline.index("Started Baclofen") < timeline.index("Stopped Ibuprofen")
    )
    assert "MRI" in timeline


def current_list(client) -> str:
    """The overview's Current section, its whitespace collapsed."""
    text = client.get(OVERVIEW).text
    return " ".join(text[text.index('id="current"') : text.index('id="timeline"')].split())


def test_the_current_list_dates_the_current_dose_from_its_own_start(patient_client, patient):
    medication = MedicationFactory(patient=patient, name="Gabapentin", started_on=TODAY - 40 * DAY)
    MedicationFactory(patient=patient, name="Baclofen", started_on=TODAY - 20 * DAY)
    current = current_list(patient_client)
    assert f"Gabapentin</strong></a> 300 mg three times a day {SPAN}· since {TODAY - 40 * DAY:%-d %b %Y}<" in current
    assert f"Baclofen</strong></a> 300 mg three times a day {SPAN}· since {TODAY - 20 * DAY:%-d %b %Y}<" in current
    medication.doses.update(stopped_on=TODAY - 11 * DAY)
    MedicationDoseFactory(medication=medication, amount=600, started_on=TODAY - 10 * DAY)
    first = f'<span class="text-nowrap">(first started {TODAY - 40 * DAY:%-d %b %Y})</span>'
    since = f"since {TODAY - 10 * DAY:%-d %b %Y} {first}<"
    assert f"Gabapentin</strong></a> 600 mg three times a day {SPAN}· {since}" in current_list(patient_client)


def test_with_nothing_recorded_it_says_so_once_without_empty_filters_or_a_download(patient_client, patient):
    text = patient_client.get(OVERVIEW).text
    assert "Nothing recorded yet" in text
    assert "Download CSV" not in text and 'id="timeline"' not in text
    assert "Started a new medication" in text  # the way in stays
    MedicationFactory(patient=patient, name="Baclofen")
    text = patient_client.get(OVERVIEW).text
    assert "Nothing recorded yet" not in text and "Download CSV" in text


def test_the_timeline_filters_by_kind(patient_client, patient):
    MedicationFactory(patient=patient, name="Baclofen")
    DiagnosticTestFactory(patient=patient)
    response = patient_client.get(OVERVIEW, {"kind": "diagnostic"})
    timeline = response.text[response.text.index('id="timeline"') :]
    assert "MRI" in timeline
    assert "Started Baclofen" not in timeline
    assert patient_client.get(OVERVIEW, {"kind": "nonsense"}).status_code == 200


def test_overview_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries):
    def make(n, first):
        for i in range(first, first + n):
            day = TODAY - (300 - i * 7) * DAY
            MedicationFactory(patient=patient, started_on=day)
            TherapyFactory(patient=patient, started_on=day)
            ProcedureFactory(patient=patient, performed_on=day)
            NeurostimulatorFactory(patient=patient, implanted_on=day)
            DiagnosticTestFactory(patient=patient, performed_on=day)
            DiaryEntryFactory(patient=patient, date=day)

    make(2, first=0)
    # session, user, second factor, profile; the records, read once for what is current and the timeline:
    # 5 queries + 3 prefetches; the diary: 1
    with django_assert_num_queries(13) as small:
        patient_client.get(OVERVIEW)
    make(20, first=2)
    with django_assert_num_queries(len(small.captured_queries)):
        patient_client.get(OVERVIEW)


def test_started_a_new_medication(patient_client, patient):
    url = reverse("treatments:medication_new")
    form = patient_client.get(url)
    assert f'value="{TODAY.isoformat()}"' in form.text
    data = {
        "name": "Pregabalin",
        "drug_class": "anticonvulsant",
        "amount": "75",
        "unit": "mg",
        "frequency": "twice_daily",
        "started_on": TODAY.isoformat(),
    }
    response = patient_client.post(url, data)
    medication = Medication.objects.get(patient=patient)
    assert response["Location"] == reverse("treatments:medication", args=[medication.pk])
    assert str(medication.current_dose) == "75 mg twice a day"
    patient_client.post(url, data)  # a double submit
    assert Medication.objects.count() == 1


def test_long_notes_are_checked_by_the_server_not_cut_by_the_browser(patient_client, patient):
    url = reverse("treatments:medication_new")
    assert "maxlength" not in patient_client.get(url).text.split('name="notes"')[1].split(">")[0]
    notes = "x" * 4001
    data = {"name": "Pregabalin", "amount": "75", "unit": "mg", "frequency": "twice_daily", "notes": notes}
    response = patient_client.post(url, {**data, "started_on": TODAY.isoformat()})
    assert "at most 4000 characters (it has 4001)" in response.text
    assert notes in response.text
    assert not Medication.objects.exists()


def test_a_medication_whose_class_the_patient_does_not_know_is_saved_without_one(patient_client, patient):
    url = reverse("treatments:medication_new")
    form = patient_client.get(url).text
    select = form[form.index('name="drug_class"') : form.index("</select>", form.index('name="drug_class"'))]
    assert select.index('<option value="" selected>Not sure</option>') < select.index("NSAID")
    data = {"name": "Turmeric", "amount": "300", "unit": "mg", "frequency": "three_daily"}
    response = patient_client.post(url, {**data, "started_on": TODAY.isoformat()})
    medication = Medication.objects.get(patient=patient)
    assert response.status_code == 302 and medication.drug_class == ""

    detail = patient_client.get(reverse("treatments:medication", args=[medication.pk])).text
    assert f"<p>started {TODAY:%-d %b %Y}" in detail
    timeline = patient_client.get(OVERVIEW).text
    assert "Started Turmeric</strong></a>\n" in timeline
    assert '<div class="text-body-secondary">300 mg three times a day</div>' in timeline
    assert "NSAID" not in timeline
    export = patient_client.get(reverse("treatments:export")).text
    assert "medication,Turmeric,," in export

    edit_url = reverse("treatments:medication_edit", args=[medication.pk])
    assert '<option value="" selected>Not sure</option>' in patient_client.get(edit_url).text
    edit = {"name": "Turmeric", "drug_class": "vitamin", "started_on": TODAY.isoformat()}
    assert patient_client.post(edit_url, edit).status_code == 302
    assert patient_client.post(edit_url, {**edit, "drug_class": ""}).status_code == 302
    medication.refresh_from_db()
    assert medication.drug_class == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"started_on": (TODAY + DAY).isoformat()}, "This date is in the future."),
        ({"amount": "-5"}, "greater than or equal to 0"),
        ({"amount": "lots"}, "Enter a number."),
        ({"drug_class": "magic"}, "Select a valid choice"),
        ({"name": ""}, "This field is required."),
        ({"started_on": "31/12/2025"}, "Enter a valid date."),
        ({"side_effects": "x" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_medication_input_gets_a_form_error(patient_client, change, message):
    data = {"name": "X", "drug_class": "nsaid", "amount": "1", "unit": "mg", "frequency": "once_daily"}
    data["started_on"] = TODAY.isoformat()
    data.update(change)
    response = patient_client.post(reverse("treatments:medication_new"), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Medication.objects.exists()


def test_change_dose_and_stop(patient_client, patient):
    medication = MedicationFactory(patient=patient, started_on=TODAY - 30 * DAY)
    response = patient_client.post(
        reverse("treatments:medication_dose", args=[medication.pk]),
        {"changed_on": (TODAY - 5 * DAY).isoformat(), "amount": "600", "unit": "mg", "frequency": "three_daily"},
    )
    assert response.status_code == 302
    assert medication.doses.count() == 2
    detail = patient_client.get(reverse("treatments:medication", args=[medication.pk]))
    assert "600 mg three times a day" in detail.text and "300 mg three times a day" in detail.text
    response = patient_client.post(
        reverse("treatments:medication_stop", args=[medication.pk]),
        {"stopped_on": TODAY.isoformat(), "stop_reason": "no_effect", "side_effects": "Dizzy"},
    )
    assert response.status_code == 302
    medication.refresh_from_db()
    assert (medication.stopped_on, medication.stop_reason, medication.side_effects) == (TODAY, "no_effect", "Dizzy")


@pytest.mark.parametrize(("amount", "shown"), [("300", "300"), ("10", "10"), ("1.5", "1.5"), ("0.25", "0.25")])
def test_change_dose_prefills_the_current_dose_as_a_plain_number(patient_client, patient, amount, shown):
    medication = MedicationFactory(patient=patient, started_on=TODAY - 30 * DAY, dose__amount=Decimal(amount))
    form = patient_client.get(reverse("treatments:medication_dose", args=[medication.pk])).text
    assert f'name="amount" value="{shown}"' in form
    assert "E+" not in form
    export = patient_client.get(reverse("treatments:export")).text
    assert f",{shown} mg," in export


def test_saving_the_dose_form_unchanged_is_a_form_error_not_a_dose_change(patient_client, patient):
    medication = MedicationFactory(patient=patient, started_on=TODAY - 30 * DAY)
    url = reverse("treatments:medication_dose", args=[medication.pk])
    form = patient_client.get(url).text
    assert 'name="amount" value="300"' in form  # what the form pre-fills, posted back unchanged
    response = patient_client.post(
        url, {"changed_on": TODAY.isoformat(), "amount": "300", "unit": "mg", "frequency": "three_daily"}
    )
    assert response.status_code == 200
    assert "That is the dose you already take: change the amount, the unit or how often." in response.text
    assert medication.doses.count() == 1
    timeline = patient_client.get(OVERVIEW).text
    assert "dose changed" not in timeline


def test_a_stop_before_the_last_dose_is_a_form_error(patient_client, patient):
    medication = MedicationFactory(patient=patient, started_on=TODAY - 3 * DAY)
    response = patient_client.post(
        reverse("treatments:medication_stop", args=[medication.pk]),
        {"stopped_on": (TODAY - 10 * DAY).isoformat(), "stop_reason": "cost"},
    )
    assert response.status_code == 200
    assert "pick that day or later" in response.text
    response = patient_client.post(
        reverse("treatments:medication_stop", args=[medication.pk]),
        {"stopped_on": TODAY.isoformat(), "stop_reason": "cost", "side_effects": "x" * 2001},
    )
    assert response.status_code == 200 and "at most 2000 characters" in response.text
    medication.refresh_from_db()
    assert medication.stopped_on is None


def test_had_a_nerve_block_today(patient_client, patient):
    url = reverse("treatments:procedure_new")
    form = patient_client.get(url, {"kind": "nerve_block"})
    assert '<option value="nerve_block" selected>' in form.text
    response = patient_client.post(
        url,
        {"kind": "nerve_block", "block_type": "stellate_ganglion", "side": "left", "performed_on": TODAY.isoformat()},
    )
    procedure = Procedure.objects.get(patient=patient)
    assert response["Location"] == reverse("treatments:procedure", args=[procedure.pk])
    follow_up = patient_client.post(
        reverse("treatments:procedure_edit", args=[procedure.pk]),
        {
            "kind": "nerve_block",
            "block_type": "stellate_ganglion",
            "side": "left",
            "performed_on": TODAY.isoformat(),
            "helped_rating": "6",
            "relief_percent": "60",
            "relief_days": "5",
        },
    )
    assert follow_up.status_code == 302
    procedure.refresh_from_db()
    assert (procedure.helped_rating, procedure.relief_percent, procedure.relief_days) == (6, 60, 5)
    page = patient_client.get(reverse("treatments:procedure", args=[procedure.pk]))
    assert "<dt>Your relief</dt><dd>60 % relief for 5 days</dd>" in page.text
    assert "Add the follow-up" not in page.text


def test_relief_is_a_percentage(patient_client, patient):
    procedure = ProcedureFactory(patient=patient, performed_on=TODAY - 2 * DAY)
    data = {"kind": "nerve_block", "block_type": "stellate_ganglion", "performed_on": procedure.performed_on}
    url = reverse("treatments:procedure_edit", args=[procedure.pk])
    response = patient_client.post(url, {**data, "relief_percent": "101"})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.text
    assert patient_client.post(url, {**data, "relief_percent": "0"}).status_code == 302
    procedure.refresh_from_db()
    assert procedure.relief_percent == 0
    assert procedure.relief == "no relief"


def test_a_planned_procedure_may_be_in_the_future_but_has_no_follow_up_yet(patient_client, patient):
    url = reverse("treatments:procedure_new")
    later = (TODAY + 10 * DAY).isoformat()
    bad = patient_client.post(url, {"kind": "botulinum_toxin", "performed_on": later, "helped_rating": "5"})
    assert "Fill this in after the procedure." in bad.text
    bad = patient_client.post(url, {"kind": "botulinum_toxin", "performed_on": later, "relief_percent": "50"})
    assert "Fill this in after the procedure." in bad.text
    patient_client.post(url, {"kind": "botulinum_toxin", "performed_on": later})
    procedure = Procedure.objects.get()
    page = patient_client.get(reverse("treatments:procedure", args=[procedure.pk]))
    assert "Planned" in page.text


def test_a_planned_procedure_is_at_most_five_years_ahead(patient_client, patient):
    url = reverse("treatments:procedure_new")
    limit = datetime.date(2031, 11, 24)  # five years after TODAY
    assert f'max="{limit.isoformat()}"' in patient_client.get(url).text
    for too_late in ("9999-12-31", (limit + DAY).isoformat()):
        response = patient_client.post(url, {"kind": "botulinum_toxin", "performed_on": too_late})
        assert response.status_code == 200
        assert "A planned procedure can be at most 5 years ahead: pick a date up to 24 Nov 2031." in response.text
    assert not Procedure.objects.exists()
    assert patient_client.post(url, {"kind": "botulinum_toxin", "performed_on": limit.isoformat()}).status_code == 302
    procedure = Procedure.objects.get()
    edit = reverse("treatments:procedure_edit", args=[procedure.pk])
    assert patient_client.post(edit, {"kind": "botulinum_toxin", "performed_on": "9999-12-31"}).status_code == 200
    procedure.refresh_from_db()
    assert procedure.performed_on == limit


@pytest.mark.parametrize(
    ("kind", "data", "model"),
    [
        (
            "therapy",
            {"category": "physiotherapy", "modalities": ["mirror_therapy"], "started_on": "2026-10-01"},
            Therapy,
        ),
        ("device", {"device_type": "spinal_cord", "stage": "trial", "implanted_on": "2026-10-01"}, Neurostimulator),
        ("diagnostic", {"kind": "emg", "performed_on": "2026-10-01", "result_summary": "Normal"}, DiagnosticTest),
    ],
)
def test_each_kind_can_be_added_viewed_edited_and_deleted(patient_client, patient, kind, data, model):
    response = patient_client.post(reverse(f"treatments:{kind}_new"), data)
    item = model.objects.get(patient=patient)
    assert response["Location"] == reverse(f"treatments:{kind}", args=[item.pk])
    assert patient_client.get(response["Location"]).status_code == 200
    edited = {**data, "notes": "Edited note", "helped_rating": "4"} if kind != "diagnostic" else {**data, "notes": "x"}
    assert patient_client.post(reverse(f"treatments:{kind}_edit", args=[item.pk]), edited).status_code == 302
    item.refresh_from_db()
    assert item.notes in ("Edited note", "x")
    assert patient_client.post(reverse(f"treatments:{kind}_delete", args=[item.pk])).status_code == 302
    assert not model.objects.exists()


def test_sessions_and_programming_changes(patient_client, patient):
    therapy = TherapyFactory(patient=patient)
    device = NeurostimulatorFactory(patient=patient)
    patient_client.post(
        reverse("treatments:therapy_sessions_new", args=[therapy.pk]), {"date": "2026-10-02", "note": "Mirror box"}
    )
    patient_client.post(
        reverse("treatments:device_programming_new", args=[device.pk]),
        {"date": "2026-10-03", "note": "Lower amplitude"},
    )
    session = TherapySession.objects.get(therapy=therapy)
    change = ProgrammingChange.objects.get(device=device)
    assert "Mirror box" in patient_client.get(reverse("treatments:therapy", args=[therapy.pk])).text
    assert "Lower amplitude" in patient_client.get(reverse("treatments:device", args=[device.pk])).text
    patient_client.post(reverse("treatments:therapy_sessions_delete", args=[therapy.pk, session.pk]))
    patient_client.post(reverse("treatments:device_programming_delete", args=[device.pk, change.pk]))
    assert not TherapySession.objects.exists()
    assert not ProgrammingChange.objects.exists()


def test_every_record_url_is_a_404_for_another_patient(patient_client, other_patient):
    medication = MedicationFactory(patient=other_patient)
    therapy = TherapyFactory(patient=other_patient)
    session = TherapySession.objects.create(therapy=therapy, date=datetime.date(2026, 10, 2))
    device = NeurostimulatorFactory(patient=other_patient)
    change = ProgrammingChange.objects.create(device=device, date=datetime.date(2026, 10, 2), note="x")
    procedure = ProcedureFactory(patient=other_patient)
    test = DiagnosticTestFactory(patient=other_patient)
    urls = [
        reverse(f"treatments:medication{suffix}", args=[medication.pk])
        for suffix in ("", "_edit", "_dose", "_stop", "_delete")
    ]
    for kind, item in (("therapy", therapy), ("device", device), ("procedure", procedure), ("diagnostic", test)):
        urls += [reverse(f"treatments:{kind}{suffix}", args=[item.pk]) for suffix in ("", "_edit", "_delete")]
    urls += [
        reverse("treatments:therapy_sessions_new", args=[therapy.pk]),
        reverse("treatments:therapy_sessions_delete", args=[therapy.pk, session.pk]),
        reverse("treatments:device_programming_new", args=[device.pk]),
        reverse("treatments:device_programming_delete", args=[device.pk, change.pk]),
    ]
    for url in urls:
        assert patient_client.get(url).status_code == 404, url
        # Read-only pages answer a POST with 405 before looking anything up; the others 404.
        assert patient_client.post(url, {"notes": "hijack", "date": "2026-10-05"}).status_code in (404, 405), url
    for url in [u for u in urls if u.endswith(("/edit/", "/delete/", "/dose/", "/stop/", "/new/"))]:
        assert patient_client.post(url, {"notes": "hijack", "date": "2026-10-05"}).status_code == 404, url
    assert Medication.objects.get().notes == ""
    assert TherapySession.objects.count() == 1
    assert ProgrammingChange.objects.count() == 1


def test_a_session_of_my_therapy_cannot_be_reached_through_another_parent(patient_client, patient, other_patient):
    mine = TherapyFactory(patient=patient)
    theirs = TherapyFactory(patient=other_patient)
    their_session = TherapySession.objects.create(therapy=theirs, date=datetime.date(2026, 10, 2))
    url = reverse("treatments:therapy_sessions_delete", args=[mine.pk, their_session.pk])
    assert patient_client.post(url).status_code == 404
    assert TherapySession.objects.count() == 1


def test_a_medication_shows_days_15_to_42_against_the_14_days_before_in_neutral_words(patient_client, patient):
    start = TODAY - 50 * DAY
    for offset in range(1, 15):
        DiaryEntryFactory(patient=patient, date=start - offset * DAY, pain=7)
    for offset in range(1, 15):
        DiaryEntryFactory(patient=patient, date=start + offset * DAY, pain=9)  # not read: titrating
    for offset in range(15, 43):
        DiaryEntryFactory(patient=patient, date=start + offset * DAY, pain=4)
    medication = MedicationFactory(patient=patient, started_on=start)
    page = patient_client.get(reverse("treatments:medication", args=[medication.pk])).text
    assert "Diary compared:</strong> Days 15–42 after starting against the 14 days before" in page
    assert (
        "Pain was 3.0 lower in days 15–42 after starting than in the 14 days before "
        "(a clinically important difference)." in page
    )
    assert "7.0 <span" in page and "4.0 <span" in page
    assert "(14 d)" in page and "(28 d)" in page
    assert "an association, not proof" in page
    assert "badge" not in page[page.index('class="response"') :]
    assert "worsening" not in page and "improvement" not in page
    overview = patient_client.get(OVERVIEW).text
    assert (
        "Days 15–42 after starting against the 14 days before: pain 3.0 lower (clinically important difference); "
        "no clinically important difference in spasms, swelling, skin changes and mood (10 = best)." in overview
    )


def test_a_new_medication_is_too_early_to_tell_and_says_when_it_can_be_read(patient_client, patient):
    start = TODAY - 20 * DAY
    for offset in range(-14, 21):
        DiaryEntryFactory(patient=patient, date=start + offset * DAY, pain=9 if offset >= 0 else 5)
    medication = MedicationFactory(patient=patient, started_on=start)
    ready = (start + 42 * DAY).strftime("%-d %b %Y")
    page = patient_client.get(reverse("treatments:medication", args=[medication.pk])).text
    words = (
        "Too early to tell: this compares days 15–42 after starting against the 14 days before, "
        f"so it can be read from {ready}."
    )
    assert words in page
    assert "higher" not in page
    assert words in patient_client.get(OVERVIEW).text


def test_a_block_shows_days_1_to_7_and_the_relief_recorded(patient_client, patient):
    block = TODAY - 13 * DAY
    for offset in range(1, 8):
        DiaryEntryFactory(patient=patient, date=block - offset * DAY, pain=8)
        DiaryEntryFactory(patient=patient, date=block + offset * DAY, pain=6)
    procedure = ProcedureFactory(
        patient=patient, performed_on=block, helped_rating=3, relief_days=4, relief_percent=50, agent="Bupivacaine"
    )
    page = patient_client.get(reverse("treatments:procedure", args=[procedure.pk])).text
    assert "<dt>Your relief</dt><dd>50 % relief for 4 days</dd>" in page
    assert "Days 1–7 after the block against the 7 days before" in page
    assert "Pain was 2.0 lower in days 1–7 after the block than in the 7 days before" in page
    overview = patient_client.get(OVERVIEW).text
    assert "Recorded after it: 50 % relief for 4 days; helped 3/10." in overview
    assert "Days 1–7 after the block against the 7 days before: pain 2.0 lower" in overview


def test_a_block_says_when_there_is_too_little_data_or_it_is_too_early(patient_client, patient):
    recent = ProcedureFactory(patient=patient, performed_on=TODAY - 3 * DAY)
    page = patient_client.get(reverse("treatments:procedure", args=[recent.pk])).text
    assert "Too early to tell: this compares days 1–7 after the block against the 7 days before" in page
    older = ProcedureFactory(patient=patient, performed_on=TODAY - 30 * DAY, side="left")
    for offset in range(1, 4):
        DiaryEntryFactory(patient=patient, date=older.performed_on + offset * DAY)
    page = patient_client.get(reverse("treatments:procedure", args=[older.pk])).text
    assert "Too little diary data to compare days 1–7 after the block against the 7 days before" in page
    assert "(4 of 7 before, 4 of 7 after)" in page


def test_each_kind_names_its_own_window(patient_client, patient):
    botox = ProcedureFactory(patient=patient, kind="botulinum_toxin", block_type="", performed_on=TODAY - 60 * DAY)
    page = patient_client.get(reverse("treatments:procedure", args=[botox.pk])).text
    assert "Days 15–42 after the injection against the 14 days before" in page
    assert "so it is read like a medication" in page
    therapy = TherapyFactory(patient=patient, started_on=TODAY - 60 * DAY, ended_on=TODAY - 10 * DAY)
    page = patient_client.get(reverse("treatments:therapy", args=[therapy.pk])).text
    assert "The last 2 weeks of the course against the 2 weeks before the course" in page
    trial = NeurostimulatorFactory(patient=patient, implanted_on=TODAY - 40 * DAY, removed_on=TODAY - 33 * DAY)
    page = patient_client.get(reverse("treatments:device", args=[trial.pk])).text
    assert "The trial (days 1–6 after the implant) against the 14 days before the trial" in page
    implant = NeurostimulatorFactory(patient=patient, stage="permanent", implanted_on=TODAY - 30 * DAY)
    page = patient_client.get(reverse("treatments:device", args=[implant.pk])).text
    assert "Days 15–42 after the implant against the 14 days before" in page
    assert "No trial is recorded on this record, so the implant is read like a medication" in page
    test = DiagnosticTestFactory(patient=patient, performed_on=TODAY - 30 * DAY)
    page = patient_client.get(reverse("treatments:diagnostic", args=[test.pk])).text
    assert "Diary compared" not in page


def test_export_csv_has_the_relief_recorded(patient_client, patient):
    ProcedureFactory(patient=patient, performed_on=datetime.date(2026, 10, 15), relief_days=4, relief_percent=50)
    lines = patient_client.get(reverse("treatments:export")).content.decode().splitlines()
    assert lines[1] == "procedure,Stellate ganglion nerve block (right),Nerve block,2026-10-15,,,,,,,,4,50,"


def test_export_csv(patient_client, patient, other_patient):
    medication = MedicationFactory(patient=patient, name="Baclofen", started_on=datetime.date(2026, 9, 1))
    from treatments.services import medication_change_dose

    medication_change_dose(
        medication=medication, changed_on=datetime.date(2026, 10, 1), amount=20, unit="mg", frequency="twice_daily"
    )
    TherapyFactory(patient=patient)
    MedicationFactory(patient=other_patient, name="Secret")
    response = patient_client.get(reverse("treatments:export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert (
        lines[0] == "record,name,category,start_date,end_date,dose,frequency,details,"
        "stop_reason,side_effects,helped_rating,relief_days,relief_percent,notes"
    )
    assert lines[1].startswith(
        "medication,Baclofen,Anticonvulsant / gabapentinoid,2026-09-01,2026-09-30,300 mg,three times a day,started"
    )
    assert lines[2].startswith(
        "medication,Baclofen,Anticonvulsant / gabapentinoid,2026-10-01,,20 mg,twice a day,dose change"
    )
    assert lines[3].startswith("therapy,Physiotherapy (Mirror therapy),Physiotherapy,2026-09-01")
    assert "Secret" not in response.content.decode()


def test_full_export_zip(patient_client, patient):
    medication = MedicationFactory(patient=patient, name="Baclofen")
    DiaryEntryFactory(patient=patient, date=datetime.date(2026, 10, 2))
    MedicationAdherence.objects.create(medication=medication, date=datetime.date(2026, 10, 2), taken=True)
    response = patient_client.get(reverse("export_all"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"diary.csv", "medication-adherence.csv", "treatments.csv", "medications.csv"} <= set(archive.namelist())
    assert archive.read("medication-adherence.csv").decode() == "date,medication,taken\n2026-10-02,Baclofen,yes\n"
    assert "Baclofen" in archive.read("treatments.csv").decode()
    assert archive.read("diary.csv").decode().count("\n") == 2


def test_adherence_on_the_diary_page(patient_client, patient):
    taken = MedicationFactory(patient=patient, name="Baclofen", started_on=TODAY - 10 * DAY)
    skipped = MedicationFactory(patient=patient, name="Gabapentin", started_on=TODAY - 10 * DAY)
    MedicationFactory(patient=patient, name="Stopped one", started_on=TODAY - 50 * DAY, stopped_on=TODAY - 20 * DAY)
    page = patient_client.get(reverse("symptoms:today"))
    assert "Medicines taken today" in page.text
    assert "Baclofen 300 mg three times a day" in page.text
    assert "Stopped one" not in page.text
    patient_client.post(
        reverse("symptoms:today"),
        {"pain": "4", f"adherence-med_{taken.pk}": "yes", f"adherence-med_{skipped.pk}": "no"},
    )
    assert dict(MedicationAdherence.objects.values_list("medication__name", "taken")) == {
        "Baclofen": True,
        "Gabapentin": False,
    }
    patient_client.post(reverse("symptoms:today"), {"pain": "4", f"adherence-med_{taken.pk}": ""})
    assert list(MedicationAdherence.objects.values_list("medication__name", flat=True)) == []


@pytest.mark.parametrize("count", [0, 1, 5])
def test_saving_a_day_takes_the_same_queries_for_1_or_5_medications(
    patient_client, patient, django_assert_num_queries, count
):
    medications = [MedicationFactory(patient=patient, started_on=TODAY - 10 * DAY) for _ in range(count)]
    # Every answer a save can give: taken, not taken, and taken back (not recorded).
    answers = ["yes", "no", "", "yes", "no"][:count]
    data = {"pain": "4", **{f"adherence-med_{m.pk}": a for m, a in zip(medications, answers, strict=True)}}
    MedicationAdherence.objects.bulk_create(
        MedicationAdherence(medication=m, date=TODAY, taken=False) for m in medications
    )  # an answer already there, changed or taken back
    # Session, user, second factor, profile, the entry and the one before it (none yet), the current
    # medications with the day's answers; the save in savepoints (lookup, insert, evaluation mark).
    # With medications, six more however many there are: their doses, and in a savepoint the answers:
    # the medications checked, one delete (taken back), one upsert. (It was four more per medication:
    # a savepoint, a lookup and an update or insert each.)
    with django_assert_num_queries(18 if count == 0 else 24):
        response = patient_client.post(reverse("symptoms:today"), data)
    assert response.status_code == 302
    recorded = dict(MedicationAdherence.objects.filter(date=TODAY).values_list("medication_id", "taken"))
    expected = {m.pk: a == "yes" for m, a in zip(medications, answers, strict=True) if a}
    assert recorded == expected


def test_bad_adherence_input_writes_nothing(patient_client, patient):
    medication = MedicationFactory(patient=patient, started_on=TODAY - 10 * DAY)
    response = patient_client.post(reverse("symptoms:today"), {"pain": "4", f"adherence-med_{medication.pk}": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not MedicationAdherence.objects.exists()
    assert not patient.diary_entries.exists()


def test_year_one_dates_are_a_form_error_not_a_500(patient_client, patient):
    data = {"name": "X", "drug_class": "nsaid", "amount": "1", "unit": "mg", "frequency": "once_daily"}
    response = patient_client.post(reverse("treatments:medication_new"), {**data, "started_on": "0001-01-03"})
    assert "Dates before 1950 are not accepted." in response.text
    response = patient_client.post(
        reverse("treatments:procedure_new"), {"kind": "nerve_block", "performed_on": "0001-01-02"}
    )
    assert "Dates before 1950 are not accepted." in response.text
    assert patient_client.get(OVERVIEW).status_code == 200
    assert not Medication.objects.exists() and not Procedure.objects.exists()


def test_a_session_must_fall_within_its_course(patient_client, patient):
    therapy = TherapyFactory(patient=patient, started_on=TODAY - 10 * DAY, ended_on=TODAY - 5 * DAY)
    url = reverse("treatments:therapy_sessions_new", args=[therapy.pk])
    for day in ("2020-01-01", (TODAY - DAY).isoformat()):
        response = patient_client.post(url, {"date": day})
        assert "Pick a date within the course" in response.text
    assert patient_client.post(url, {"date": (TODAY - 7 * DAY).isoformat()}).status_code == 302
    device = NeurostimulatorFactory(patient=patient, implanted_on=TODAY - 10 * DAY)
    response = patient_client.post(
        reverse("treatments:device_programming_new", args=[device.pk]), {"date": "2020-01-01", "note": "x"}
    )
    assert "Pick a date within the device" in response.text


def test_editing_a_course_or_device_cannot_leave_its_sessions_or_changes_outside_it(patient_client, patient):
    therapy = TherapyFactory(patient=patient, started_on=TODAY - 20 * DAY)
    TherapySession.objects.create(therapy=therapy, date=TODAY - 15 * DAY)
    TherapySession.objects.create(therapy=therapy, date=TODAY - 5 * DAY)
    url = reverse("treatments:therapy_edit", args=[therapy.pk])
    data = {"category": "physiotherapy", "started_on": (TODAY - 20 * DAY).isoformat()}
    later_start = patient_client.post(url, {**data, "started_on": (TODAY - 10 * DAY).isoformat()})
    assert later_start.status_code == 200
    assert f"A session is recorded on {TODAY - 15 * DAY:%-d %b %Y}; pick that day or earlier." in later_start.text
    early_end = patient_client.post(url, {**data, "ended_on": (TODAY - 10 * DAY).isoformat()})
    assert f"A session is recorded on {TODAY - 5 * DAY:%-d %b %Y}; pick that day or later." in early_end.text
    therapy.refresh_from_db()
    assert (therapy.started_on, therapy.ended_on) == (TODAY - 20 * DAY, None)
    fine = {**data, "started_on": (TODAY - 15 * DAY).isoformat(), "ended_on": (TODAY - 5 * DAY).isoformat()}
    assert patient_client.post(url, fine).status_code == 302

    device = NeurostimulatorFactory(patient=patient, implanted_on=TODAY - 20 * DAY)
    ProgrammingChange.objects.create(device=device, date=TODAY - 12 * DAY, note="Lower amplitude")
    response = patient_client.post(
        reverse("treatments:device_edit", args=[device.pk]),
        {"device_type": "spinal_cord", "stage": "trial", "implanted_on": (TODAY - 2 * DAY).isoformat()},
    )
    assert f"A programming change is recorded on {TODAY - 12 * DAY:%-d %b %Y}" in response.text
    device.refresh_from_db()
    assert device.implanted_on == TODAY - 20 * DAY


def test_stopping_or_editing_a_medication_cannot_leave_a_day_it_was_taken_outside_it(patient_client, patient):
    medication = MedicationFactory(patient=patient, name="Baclofen", started_on=TODAY - 20 * DAY)
    for days_ago, taken in ((18, False), (15, True), (5, True), (2, False)):
        MedicationAdherence.objects.create(medication=medication, date=TODAY - days_ago * DAY, taken=taken)
    stop_url = reverse("treatments:medication_stop", args=[medication.pk])
    edit_url = reverse("treatments:medication_edit", args=[medication.pk])
    edit = {"name": "Baclofen", "drug_class": "muscle_relaxant", "started_on": (TODAY - 20 * DAY).isoformat()}
    took_late = f"Your diary says you took it on {TODAY - 5 * DAY:%-d %b %Y}; pick that day or later."
    took_early = f"Your diary says you took it on {TODAY - 15 * DAY:%-d %b %Y}; pick that day or earlier."

    early_stop = patient_client.post(stop_url, {"stopped_on": (TODAY - 10 * DAY).isoformat(), "stop_reason": "cost"})
    assert early_stop.status_code == 200 and took_late in early_stop.text
    early_end = patient_client.post(edit_url, {**edit, "stopped_on": (TODAY - 10 * DAY).isoformat()})
    assert early_end.status_code == 200 and took_late in early_end.text
    late_start = patient_client.post(edit_url, {**edit, "started_on": (TODAY - 10 * DAY).isoformat()})
    assert late_start.status_code == 200 and took_early in late_start.text
    medication.refresh_from_db()
    assert (medication.started_on, medication.stopped_on) == (TODAY - 20 * DAY, None)
    assert MedicationAdherence.objects.count() == 4

    # A day ticked 'not taken' agrees with the stop (or the later start), so it does not stand in the way.
    stop = patient_client.post(stop_url, {"stopped_on": (TODAY - 5 * DAY).isoformat(), "stop_reason": "cost"})
    assert stop.status_code == 302
    later_start = {"started_on": (TODAY - 15 * DAY).isoformat(), "stopped_on": (TODAY - 5 * DAY).isoformat()}
    assert patient_client.post(edit_url, {**edit, **later_start, "stop_reason": "cost"}).status_code == 302
    medication.refresh_from_db()
    assert (medication.started_on, medication.stopped_on) == (TODAY - 15 * DAY, TODAY - 5 * DAY)
    assert sorted(MedicationAdherence.objects.values_list("date", "taken")) == [
        (TODAY - 15 * DAY, True),
        (TODAY - 5 * DAY, True),
    ]
    assert list(medication.doses.values_list("started_on", "stopped_on")) == [(TODAY - 15 * DAY, TODAY - 5 * DAY)]


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "Dates before 1950 are not accepted."),
        ("9999-12-31", "This date is in the future."),
        ("10000-01-01", "Enter a valid date."),
        ((TODAY + DAY).isoformat(), "This date is in the future."),
        ((TODAY - 40 * DAY).isoformat(), f"{TODAY - 30 * DAY:%-d %b %Y}; pick"),
    ],
)
def test_a_bad_date_to_stop_or_change_the_dose_is_a_form_error_not_a_500(patient_client, patient, day, message):
    medication = MedicationFactory(patient=patient, started_on=TODAY - 30 * DAY)
    dose = {"changed_on": day, "amount": "600", "unit": "mg", "frequency": "three_daily"}
    for url, data in (
        (reverse("treatments:medication_dose", args=[medication.pk]), dose),
        (reverse("treatments:medication_stop", args=[medication.pk]), {"stopped_on": day, "stop_reason": "cost"}),
    ):
        response = patient_client.post(url, data)
        assert response.status_code == 200
        assert message in response.text
    medication.refresh_from_db()
    assert medication.stopped_on is None
    assert medication.doses.count() == 1


def test_the_treatment_csv_escapes_formulas(patient_client, patient):
    MedicationFactory(patient=patient, name='=HYPERLINK("http://x","y")', notes="@SUM(1)")
    text = patient_client.get(reverse("treatments:export")).content.decode()
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text


# The bundled medication list on the medication forms


def test_the_name_field_suggests_medicines_from_the_list_kept_in_the_app(patient_client, patient):
    page = patient_client.get(reverse("treatments:medication_new")).text
    name_input = page[page.index('name="name"') - 200 : page.index('name="name"') + 200]
    assert 'list="medicine-names"' in name_input
    assert '<datalist id="medicine-names"><option value="Gabapentin">Neurontin, Gralise</option>' in page
    assert "suggestions come from a list of medicines kept in this app (nothing is looked up online)" in page
    medication = MedicationFactory(patient=patient)
    edit = patient_client.get(reverse("treatments:medication_edit", args=[medication.pk])).text
    assert 'list="medicine-names"' in edit and '<datalist id="medicine-names">' in edit


def test_a_known_medicine_saved_as_not_sure_gets_its_class_from_the_list(patient_client, patient):
    data = {"name": "Lyrica 75 mg", "drug_class": "", "amount": "75", "unit": "mg", "frequency": "twice_daily"}
    response = patient_client.post(reverse("treatments:medication_new"), {**data, "started_on": TODAY.isoformat()})
    medication = Medication.objects.get(patient=patient)
    assert response.status_code == 302 and medication.drug_class == "anticonvulsant"
    detail = patient_client.get(reverse("treatments:medication", args=[medication.pk])).text
    assert f"<p>Anticonvulsant / gabapentinoid · started {TODAY:%-d %b %Y}" in detail


def test_a_duplicate_of_a_current_medication_is_refused_with_a_link_to_change_its_dose(patient_client, patient):
    current = MedicationFactory(patient=patient, name="Gabapentin 600 mg", started_on=TODAY - 40 * DAY)
    data = {"name": "gabapentin", "amount": "300", "unit": "mg", "frequency": "three_daily"}
    response = patient_client.post(reverse("treatments:medication_new"), {**data, "started_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert f"You already take Gabapentin 600 mg, since {TODAY - 40 * DAY:%-d %b %Y}." in response.text
    dose_url = reverse("treatments:medication_dose", args=[current.pk])
    assert f'<a class="btn btn-primary" href="{dose_url}">Change the dose of Gabapentin 600 mg</a>' in response.text
    assert list(Medication.objects.filter(patient=patient)) == [current]


def test_a_stopped_medication_may_be_started_again(patient_client, patient):
    MedicationFactory(patient=patient, name="Gabapentin", started_on=TODAY - 90 * DAY, stopped_on=TODAY - 30 * DAY)
    data = {"name": "Gabapentin", "amount": "300", "unit": "mg", "frequency": "three_daily"}
    response = patient_client.post(reverse("treatments:medication_new"), {**data, "started_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert Medication.objects.filter(patient=patient, name="Gabapentin").count() == 2


def test_starting_a_medication_uses_a_fixed_number_of_queries(patient_client, patient, django_assert_num_queries):
    url = reverse("treatments:medication_new")
    data = {"drug_class": "", "amount": "1", "unit": "mg", "frequency": "once_daily", "started_on": TODAY.isoformat()}
    MedicationFactory.create_batch(2, patient=patient)
    # session, user, second factor, profile; the patient row locked and the patient's medications read
    # (the duplicate check: 2 queries, whatever their number); the medication and its first dose saved
    with django_assert_num_queries(19):
        patient_client.post(url, {**data, "name": "Baclofen"})
    MedicationFactory.create_batch(20, patient=patient)
    with django_assert_num_queries(19):
        patient_client.post(url, {**data, "name": "Tizanidine"})


def test_renaming_a_medication_into_a_current_one_is_refused_under_its_own_name(patient_client, patient):
    MedicationFactory(patient=patient, name="Gabapentin", started_on=TODAY - 40 * DAY)
    other = MedicationFactory(patient=patient, name="Baclofen", started_on=TODAY - 20 * DAY)
    data = {"name": "Gabapentin", "started_on": (TODAY - 20 * DAY).isoformat(), "drug_class": ""}
    response = patient_client.post(reverse("treatments:medication_edit", args=[other.pk]), data)
    assert response.status_code == 200 and "You already take Gabapentin" in response.text
    assert "<h1>Edit Baclofen</h1>" in response.text  # not "Edit Gabapentin"
    other.refresh_from_db()
    assert other.name == "Baclofen"
