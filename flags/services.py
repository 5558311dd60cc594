import datetime
import functools
import logging
import operator
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.selectors import local_today
from lib.http import site_url
from reminders.notices import FLAG, by_email, by_push, push_notice
from symptoms.models import DiaryEntry
from symptoms.vocabulary import MEASURE_NAMES

from .detection import Episode, detect_many, detect_patient, diary_rows_table, parameters_for
from .models import DetectionSetting, Flag, PendingEvaluation

logger = logging.getLogger(__name__)
# A flag found by a replay of old data is shown, but only a fresh one is e-mailed.
NOTIFY_WITHIN_DAYS = 3
ACKNOWLEDGEMENT_FIELDS = [
    "patient_acknowledged_at",
    "patient_note",
    "clinician_acknowledged_at",
    "clinician_acknowledged_by",
    "clinician_note",
    "care_team_note",
]


@dataclass(frozen=True)
class ScanResult:
    created: list[Flag]
    updated: int
    removed: int


def episodes_for(patient: User, *, today: datetime.date) -> list[Episode]:
    """The patient's episodes up to `today`, at the sensitivity their care team chose. Two queries."""
    level = DetectionSetting.objects.filter(patient=patient).values_list("level", flat=True).first()
    rows = DiaryEntry.objects.filter(patient=patient, date__lte=today).values("date", *MEASURE_NAMES)
    daily = {row.pop("date"): row for row in rows}
    return detect_patient(daily, MEASURE_NAMES, until=today, p=parameters_for(level))


def setting_level(patient: User) -> str:
    """The patient's detection setting's level, from a patient read with select_related("detection_setting")
    (no query then) or else one query."""
    try:
        return patient.detection_setting.level
    except DetectionSetting.DoesNotExist:
        return DetectionSetting.Level.STANDARD


def setting_change(*, patient: User, level: str, reason: str, by: User) -> DetectionSetting:
    """Set how sensitive worsening detection is for `patient`, and evaluate their whole diary again at it.

    The flags then are those the rule at the new level finds over the whole history, dated as if it had
    run each day at that level (docs/worsening-detection.md); acknowledged flags are kept, as after any
    replay. The evaluation is queued in the same transaction (flags.scheduling)."""
    from .scheduling import schedule_evaluation

    with transaction.atomic():
        setting, _ = DetectionSetting.objects.update_or_create(
            patient=patient,
            defaults={"level": level, "reason": reason.strip(), "changed_by": by, "changed_at": timezone.now()},
        )
        schedule_evaluation(patient.pk)
    patient.detection_setting = setting
    return setting


def chunk_episodes(patient_ids: list[int]) -> dict[User, tuple[datetime.date, list[Episode]]]:
    """Each patient's (today, episodes), for many patients at once: two queries, whatever their number.

    The patients with their time zones in one query, all their diaries in another; ids that are not
    patients are left out."""
    patients = list(
        User.objects.filter(pk__in=patient_ids, role=User.Role.PATIENT).select_related(
            "patient_profile", "detection_setting"
        )
    )
    today = {patient.pk: local_today(patient) for patient in patients}
    if not patients:
        return {}
    rows = list(
        DiaryEntry.objects.filter(patient__in=patients, date__lte=max(today.values()))
        .order_by("patient_id", "date")
        .values_list("patient_id", "date", *MEASURE_NAMES)
    )
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    ordinals = np.fromiter((row[1].toordinal() for row in rows), dtype=np.int64, count=len(rows))
    values = np.array([row[2:] for row in rows], dtype=float).reshape(len(rows), len(MEASURE_NAMES))
    found: dict[User, tuple[datetime.date, list[Episode]]] = {patient: (today[patient.pk], []) for patient in patients}
    diaries: dict[User, tuple[datetime.date, np.ndarray]] = {}
    for patient in patients:
        start, end = np.searchsorted(ids, patient.pk), np.searchsorted(ids, patient.pk, side="right")
        first, table = diary_rows_table(ordinals[start:end], values[start:end], MEASURE_NAMES, today[patient.pk])
        if first is not None:
            diaries[patient] = (first, table)
    parameters = [parameters_for(setting_level(patient)) for patient in diaries]
    for patient, episodes in zip(diaries, detect_many(list(diaries.values()), MEASURE_NAMES, parameters), strict=True):
        found[patient] = (today[patient.pk], episodes)
    return found


def _fields(episode: Episode) -> dict:
    e = episode.evidence
    return {
        "kind": episode.kind,
        "baseline_mean": e.baseline_mean,
        "baseline_days": e.baseline_days,
        "recent_mean": e.recent_mean,
        "recent_days": e.recent_days,
        "window_days": e.window_days,
        "change": e.change,
        "threshold": e.threshold,
        "resolved_on": episode.resolved_on,
    }


def worsening_scan(*, patient: User, today: datetime.date | None = None) -> ScanResult:
    """Replay the patient's whole diary and make the stored flags match what the rule finds.

    Idempotent: running it twice, or two workers at once, gives the same flags (a unique
    constraint per patient, measure and date backs this). A flag whose evidence has gone (the
    diary was edited) is removed unless the patient or a clinician has acknowledged it.
    """
    today = today or local_today(patient)
    return _store(patient, episodes_for(patient, today=today), today)


def worsening_scan_chunk(patient_ids: list[int]) -> int:
    """worsening_scan for many patients (a sweep's chunk) in a fixed number of queries; returns the
    number of new flags.

    The diaries and the stored flags are read for the whole chunk. A patient whose flags differ from
    what the rule finds is evaluated again on its own (worsening_scan): the chunk's read may be seconds
    old by then, and a save meanwhile may already have been evaluated with fresher data, which an older
    read must not overwrite. On most nights few patients' flags change, so this costs little."""
    found = chunk_episodes(patient_ids)
    stored: dict[int, list[Flag]] = {}
    for flag in Flag.objects.filter(patient_id__in=[patient.pk for patient in found]):
        stored.setdefault(flag.patient_id, []).append(flag)
    created = 0
    for patient, (today, episodes) in found.items():
        if _differs(stored.get(patient.pk, []), episodes):
            created += len(worsening_scan(patient=patient, today=today).created)
    return created


def _differs(flags: list[Flag], episodes: list[Episode]) -> bool:
    """Whether _store would change anything: a flag to add, update, remove or resolve."""
    have = {(flag.measure, flag.date): flag for flag in flags}
    found = {(episode.measure, episode.date): _fields(episode) for episode in episodes}
    for key, fields in found.items():
        flag = have.get(key)
        if flag is None or any(getattr(flag, name) != value for name, value in fields.items()):
            return True
    gone = [flag for key, flag in have.items() if key not in found]
    return any(flag.resolved_on is None or not flag.is_acknowledged for flag in gone)


def _store(patient: User, episodes: list[Episode], today: datetime.date) -> ScanResult:
    """Make the patient's stored flags match `episodes` (see worsening_scan)."""
    updated = 0
    with transaction.atomic():
        existing = {(f.measure, f.date): f for f in Flag.objects.select_for_update().filter(patient=patient)}
        found = {(episode.measure, episode.date) for episode in episodes}
        new = [episode for episode in episodes if (episode.measure, episode.date) not in existing]
        created, inserted = [], True
        if new:  # the new flags in one insert; one by one only if another evaluation added one meanwhile
            try:
                with transaction.atomic():
                    created = Flag.objects.bulk_create(
                        Flag(patient=patient, measure=e.measure, date=e.date, **_fields(e)) for e in new
                    )
            except IntegrityError:
                inserted = False
        for episode in episodes:
            key = (episode.measure, episode.date)
            fields = _fields(episode)
            flag = existing.get(key)
            if flag is None:
                if inserted:
                    continue
                flag, was_created = Flag.objects.get_or_create(
                    patient=patient, measure=episode.measure, date=episode.date, defaults=fields
                )
                if was_created:
                    created.append(flag)
                    continue
            changed = [name for name, value in fields.items() if getattr(flag, name) != value]
            if changed:
                for name in changed:
                    setattr(flag, name, fields[name])
                flag.save(update_fields=changed)
                updated += 1
        gone = [f for key, f in existing.items() if key not in found]
        stale = [f.pk for f in gone if not f.is_acknowledged]
        removed = Flag.objects.filter(pk__in=stale).delete()[0] if stale else 0
        # An acknowledged flag is kept for the record, but its evidence has gone: it is over.
        for flag in gone:
            if flag.is_acknowledged and flag.resolved_on is None:
                flag.resolved_on = today
                flag.save(update_fields=["resolved_on"])
    fresh = [f for f in created if f.is_open and (today - f.date).days <= NOTIFY_WITHIN_DAYS]
    for flag in fresh:
        flag_notify(flag)
    return ScanResult(created=created, updated=updated, removed=removed)


def clear_marks(marks: dict[int, datetime.datetime]) -> None:
    """Clear the evaluation marks (patient id -> marked_at as read before the evaluation) that no save
    has set again since: one query."""
    if marks:
        unchanged = [Q(pk=patient_id, marked_at=marked_at) for patient_id, marked_at in marks.items()]
        PendingEvaluation.objects.filter(functools.reduce(operator.or_, unchanged)).delete()


def flag_notify(flag: Flag) -> None:
    """Tell the patient about a new flag, if they asked for that, by push, e-mail or both (their choice).
    The dashboard shows it anyway."""
    patient = flag.patient
    profile = getattr(patient, "patient_profile", None)
    if not (profile and profile.email_flags) or flag.notified_at:
        return
    if by_push(profile.flag_channel):
        push_notice(patient.pk, FLAG)  # "Something changed in your diary": no health data
    if not (by_email(profile.flag_channel) and patient.can_receive_email):
        flag.notified_at = timezone.now()
        flag.save(update_fields=["notified_at"])
        return
    send_mail(
        subject="CRPS Tracker: a change in your diary",
        message=(
            f"Hello {patient.display_name},\n\n"
            f"Your diary shows a change worth a look in {flag.get_measure_display().lower()}, "
            f"since {flag.date:%-d %B}.\n"
            f"The numbers behind it are in the app: {site_url('flags:list')}\n\n"
            "This is not a diagnosis. If you are worried, talk to your care team. "
            f"You can turn these e-mails off in your profile: {site_url('accounts:profile')}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[patient.email],
    )
    flag.notified_at = timezone.now()
    flag.save(update_fields=["notified_at"])


def flag_acknowledge(*, flag: Flag, by: User, note: str = "", care_team_note: str = "") -> Flag:
    """Record `by`'s acknowledgement of a flag: the patient's own, or else the care team's.

    Each side acknowledges once and neither hides the other. A repeat by the same side changes
    nothing: a double submit, or a second clinician after the first (whose acknowledgement and notes
    stand for the care team; the others see them). The patient sees the clinician's `note`; the
    `care_team_note` only clinicians see (a patient's own acknowledgement has none).
    """
    now, note = timezone.now(), note.strip()
    if by.pk == flag.patient_id:
        Flag.objects.filter(pk=flag.pk, patient_acknowledged_at__isnull=True).update(
            patient_acknowledged_at=now, patient_note=note
        )
    else:
        Flag.objects.filter(pk=flag.pk, clinician_acknowledged_at__isnull=True).update(
            clinician_acknowledged_at=now,
            clinician_acknowledged_by=by,
            clinician_note=note,
            care_team_note=care_team_note.strip(),
        )
    flag.refresh_from_db(fields=ACKNOWLEDGEMENT_FIELDS)
    return flag
