# ruff: noqa: RUF001  (the wording on screen writes a range of days with an en dash)
"""Recording the treatment history in a real browser, at phone and desktop widths."""

import datetime
import time

import pytest

from accounts.selectors import local_today
from symptoms.models import DiaryEntry
from tests.factories import DiaryEntryFactory, PatientFactory, ProcedureFactory, TherapyFactory
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

pytestmark = pytest.mark.browser


def save(page):
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()


def test_record_every_kind_and_see_the_timeline(session):
    patient = PatientFactory(username="treated")
    today = local_today(patient)
    page = session.page
    session.log_in("treated")
    session.goto("/treatments/")
    session.axe("treatments, empty")
    session.screenshot("20-treatments-empty")

    # Quick action: started a new medication.
    page.get_by_role("link", name="Started a new medication").click()
    session.axe("medication form")
    page.get_by_label("Medication name").fill("Gabapentin")
    assert page.get_by_label("Class").input_value() == ""  # "Not sure", not the first class (NSAID)
    page.get_by_label("Class").select_option("anticonvulsant")
    page.get_by_label("Dose").fill("300")
    page.get_by_label("Unit").select_option("mg")
    page.get_by_label("How often").select_option("three_daily")
    page.get_by_label("Start date").fill((today - datetime.timedelta(days=20)).isoformat())
    save(page)
    assert "Recorded: Gabapentin" in page.get_by_role("status").inner_text()
    session.axe("medication detail")
    medication = Medication.objects.get(patient=patient)

    # Changed dose.
    page.get_by_role("link", name="Changed the dose").click()
    assert page.get_by_label("New dose").input_value() == "300"  # the current dose, not 3E+2
    page.get_by_label("Date of the change").fill((today - datetime.timedelta(days=5)).isoformat())
    page.get_by_label("New dose").fill("600")
    save(page)
    assert "now 600 mg three times a day" in page.get_by_role("status").inner_text()
    assert medication.doses.count() == 2
    session.assert_lined_up_with_the_column()
    session.screenshot("21-medication-detail")
    if session.label == "phone":  # Changed the dose, Stopped taking it, Edit, Delete
        session.assert_big_enough_to_tap(".item-actions .btn", 4)

    # Quick action: had a nerve block today.
    session.goto("/treatments/")
    page.get_by_role("link", name="Had a nerve block today").click()
    assert page.get_by_label("Kind").input_value() == "nerve_block"
    assert page.get_by_label("Date").input_value() == today.isoformat()
    page.get_by_label("Nerve block type").select_option("stellate_ganglion")
    page.get_by_label("Side").select_option("right")
    page.get_by_label("Who did it").fill("Dr Okafor")
    save(page)
    assert Procedure.objects.get(patient=patient).performed_by == "Dr Okafor"
    session.axe("procedure detail")

    # A therapy course with a session.
    session.goto("/treatments/therapy/new/")
    page.get_by_label("Category").select_option("physiotherapy")
    page.get_by_label("Mirror therapy").check()
    page.get_by_label("Graded motor imagery").check()
    page.get_by_label("Start date").fill((today - datetime.timedelta(days=30)).isoformat())
    save(page)
    page.get_by_role("link", name="Add a session").click()
    page.get_by_label("Note").fill("Laterality cards")
    save(page)
    assert TherapySession.objects.get(therapy__patient=patient).note == "Laterality cards"
    session.axe("therapy detail")
    session.screenshot("21-therapy-detail")
    if session.label == "phone":  # the session's Delete: 44x44 px (it was a 46x21 px link)
        session.assert_big_enough_to_tap("li.item-actions .btn", 1)

    # A neurostimulator with a programming change.
    session.goto("/treatments/device/new/")
    page.get_by_label("Device type").select_option("spinal_cord")
    page.get_by_label("Stage").select_option("trial")
    page.get_by_label("Implant date").fill((today - datetime.timedelta(days=10)).isoformat())
    save(page)
    page.get_by_role("link", name="Add a programming change").click()
    page.get_by_label("Note").fill("Lower amplitude at night")
    save(page)
    assert ProgrammingChange.objects.get(device__patient=patient).note == "Lower amplitude at night"
    session.axe("device detail")
    session.screenshot("21-device-detail")
    if session.label == "phone":  # the change's Delete: 44x44 px (it was a 46x16 px link)
        session.assert_big_enough_to_tap("li.item-actions .btn", 1)

    # A diagnostic test.
    session.goto("/treatments/diagnostic/new/")
    page.get_by_label("Kind").select_option("bone_scan")
    page.get_by_label("Date").fill((today - datetime.timedelta(days=60)).isoformat())
    page.get_by_label("Result").fill("Increased uptake, right hand")
    save(page)

    assert Therapy.objects.filter(patient=patient).count() == 1
    assert Neurostimulator.objects.filter(patient=patient).count() == 1
    assert DiagnosticTest.objects.filter(patient=patient).count() == 1

    session.goto("/treatments/")
    timeline = page.locator("ol.timeline")
    titles = timeline.locator("strong").all_inner_texts()
    assert titles[0].endswith("nerve block (right)")
    assert "Gabapentin dose changed" in titles
    assert "Bone scan" in titles
    # A name from the lists reads as running text after its verb (was "Implanted Spinal cord stimulator").
    assert "Implanted spinal cord stimulator (trial)" in titles
    assert "Started physiotherapy (mirror therapy, graded motor imagery)" in titles
    assert "Spinal cord stimulator (trial) reprogrammed" in titles
    session.axe("treatments, full")
    session.screenshot("22-treatments")
    if session.label == "phone":  # 44x44 px targets (they were 36 px high; Download CSV 31 px)
        session.assert_big_enough_to_tap(".page-head .btn", 1)
        session.assert_big_enough_to_tap(".timeline-filter .btn", 6)
        session.assert_big_enough_to_tap(".current-item .item-actions .btn", 3)  # the medication's two, a session
    page.get_by_role("link", name="Medications", exact=True).click()
    page.wait_for_url("**/treatments/?kind=medication")
    assert set(page.locator("ol.timeline strong").all_inner_texts()) == {
        "Started Gabapentin",
        "Gabapentin dose changed",
    }

    # Stop the medication with a reason.
    session.goto(f"/treatments/medications/{medication.pk}/stop/")
    page.get_by_label("Why did you stop?").select_option("side_effects")
    page.get_by_label("Side effects noted").fill("Dizzy")
    save(page)
    medication.refresh_from_db()
    assert (medication.stopped_on, medication.stop_reason) == (today, "side_effects")


def test_before_after_summary_and_adherence(session):
    patient = PatientFactory(username="responder")
    today = local_today(patient)
    start = today - datetime.timedelta(days=50)
    for offset in range(1, 15):
        DiaryEntryFactory(patient=patient, date=start - datetime.timedelta(days=offset), pain=7, mood=4)
    for offset in range(15, 43):  # days 15-42 after starting: the weeks a medicine takes
        DiaryEntryFactory(patient=patient, date=start + datetime.timedelta(days=offset), pain=4, mood=6)
    block = today - datetime.timedelta(days=9)  # the 7 days before it and day 1 are logged above
    for offset in range(2, 8):
        DiaryEntryFactory(patient=patient, date=block + datetime.timedelta(days=offset), pain=3)
    ProcedureFactory(patient=patient, performed_on=block, helped_rating=3, relief_days=4, relief_percent=50)
    session.log_in("responder")
    page = session.page
    session.goto("/treatments/medications/new/")
    page.get_by_label("Medication name").fill("Baclofen")
    page.get_by_label("Class").select_option("muscle_relaxant")
    page.get_by_label("Dose").fill("10")
    page.get_by_label("Start date").fill(start.isoformat())
    save(page)
    summary = page.locator("section.response")
    assert "Diary compared: Days 15–42 after starting against the 14 days before" in summary.inner_text()
    assert (
        "Pain was 3.0 lower in days 15–42 after starting than in the 14 days before "
        "(a clinically important difference)." in summary.inner_text()
    )
    assert "an association, not proof" in summary.inner_text()
    assert summary.locator(".badge").count() == 0
    session.axe("before/after")
    session.screenshot("23-before-after")

    # The nerve block: the relief recorded, and the diary over days 1-7 after it against the 7 days before.
    session.goto("/treatments/")
    assert "Recorded after it: 50 % relief for 4 days; helped 3/10." in page.locator("ol.timeline").inner_text()
    session.screenshot("23-timeline-with-responses")
    page.get_by_role("link", name="Stellate ganglion nerve block (right)").click()
    assert "50 % relief for 4 days" in page.locator("dl.facts").inner_text()
    block_summary = page.locator("section.response").inner_text()
    assert "Days 1–7 after the block against the 7 days before" in block_summary
    assert "No clinically important difference in any measure between days 1–7 after the block" in block_summary
    session.axe("nerve block with relief")
    session.screenshot("23-nerve-block-relief")

    # Adherence on the diary page: taken today.
    session.goto("/diary/today/")
    page.get_by_text("Taken", exact=True).first.click()
    page.get_by_label("Pain", exact=True).fill("5")
    session.axe("diary with medicines")
    session.screenshot("24-today-with-medicines")
    page.get_by_role("button", name="Save today").click()
    page.wait_for_url("**/diary/#day-*")
    assert MedicationAdherence.objects.get(medication__name="Baclofen", date=today).taken is True
    assert DiaryEntry.objects.get(patient=patient, date=today).pain == 5


def test_a_double_tap_on_delete_sends_one_request_and_ends_on_the_overview(phone, monkeypatch):
    """A second tap on a confirmation's Delete while the first is on its way sends nothing. Before, the
    first request deleted and the second found nothing: the patient saw a 404 page for a delete that worked."""
    from treatments import services

    def slow_delete(item):  # a phone's network: the answer takes a while to come back
        delete(item)
        time.sleep(0.5)

    delete = services.item_delete
    monkeypatch.setattr(services, "item_delete", slow_delete)
    patient = PatientFactory(username="double-tapper")
    therapy = TherapyFactory(patient=patient)
    phone.log_in("double-tapper")
    phone.goto(f"/treatments/therapy/{therapy.pk}/delete/")
    page = phone.page
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    button = page.get_by_role("button", name="Delete")
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(100)  # a double tap: the second tap comes while the first request is out
    page.mouse.click(x, y)
    button.wait_for(state="detached")  # the next page has come
    assert len(posts) == 1, posts
    assert page.url.endswith("/treatments/"), page.url
    assert "Deleted:" in page.get_by_role("status").inner_text()
    assert not Therapy.objects.filter(patient=patient).exists()


def test_the_medication_list_suggests_names_sets_the_class_and_stops_a_duplicate(session):
    PatientFactory(username="listed")
    session.log_in("listed")
    page = session.page
    session.goto("/treatments/medications/new/")
    name = page.get_by_label("Medication name")
    assert name.get_attribute("list") == "medicine-names"
    suggestions = page.locator("datalist#medicine-names option").evaluate_all("os => os.map(o => o.value)")
    assert len(suggestions) >= 80 and "Pregabalin" in suggestions and "Ketamine" in suggestions
    assert "kept in this app" in page.locator("#id_name_helptext").inner_text()
    name.fill("Lyrica")  # a brand name; the class stays "Not sure"
    page.get_by_label("Dose").fill("75")
    session.axe("medication form with suggestions")
    session.screenshot("25-medication-suggestions")
    save(page)
    assert "Anticonvulsant / gabapentinoid · started" in page.locator("main p").nth(1).inner_text()
    lyrica = Medication.objects.get(patient__username="listed")
    assert lyrica.drug_class == "anticonvulsant"

    session.goto("/treatments/medications/new/")
    page.get_by_label("Medication name").fill("pregabalin")
    page.get_by_label("Dose").fill("150")
    save(page)
    alert = page.get_by_role("alert")
    assert "You already take Lyrica" in alert.inner_text() and "(Lyrica is pregabalin)" in alert.inner_text()
    session.axe("duplicate medication")
    session.screenshot("26-medication-duplicate")
    alert.get_by_role("link", name="Change the dose of Lyrica").click()
    page.wait_for_url(f"**/treatments/medications/{lyrica.pk}/dose/")
    assert Medication.objects.filter(patient__username="listed").count() == 1
