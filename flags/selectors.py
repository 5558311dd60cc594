"""Flags and how ready a diary is to be watched for a worsening."""

import datetime
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import User
from symptoms.selectors import daily_measures, diary_size, logged_dates
from symptoms.yardsticks import NOW_DAYS, Comparison, compare, higher_is_worse

from .detection import PARAMETERS, can_test, days_to_first_test
from .models import DetectionSetting, Flag


def open_flags(patient: User) -> QuerySet[Flag]:
    return Flag.objects.filter(patient=patient, resolved_on__isnull=True).order_by("-date")


def flag_history(patient: User) -> QuerySet[Flag]:
    return Flag.objects.filter(patient=patient).select_related("clinician_acknowledged_by").order_by("-date")


def flag_now(flag: Flag, daily: Mapping[datetime.date, Mapping[str, int | None]], today: datetime.date) -> Comparison:
    """Then and now: the last 7 days (ending `today`) against the usual level the flag was raised against.

    The flag's own figures are the evidence on the day it was raised; this is where the measure stands
    today against the same usual level (symptoms.yardsticks: held there while the flag is open)."""
    series = {d: value for d, v in daily.items() if (value := v.get(flag.measure)) is not None}
    return compare(series, today, higher_is_worse=higher_is_worse(flag.measure), open_flag=flag)


def now_sentence(now: Comparison, *, own: bool = False) -> str:
    """A flag's "now" in words, the same on every page and in FHIR, e.g. "Now: last 7 days 8.0 (6 of 7
    days), 4.3 above the usual 3.7 (clinically important)." `own`: the patient is reading ("your usual")."""
    if now.now is None:
        return f"Now: too few days logged in the last 7 for a mean ({now.logged} of 7)."
    where = "level with" if now.side == "level with" else f"{now.distance} {now.side}"
    usual = f"{'your' if own else 'the'} usual {now.usual_shown}"
    important = " (clinically important)" if now.important else ""
    return f"Now: last 7 days {now.now_shown} ({now.now.count} of 7 days), {where} {usual}{important}."


def with_now(
    flags: Iterable[Flag], daily: Mapping[datetime.date, Mapping[str, int | None]], today: datetime.date
) -> list[Flag]:
    """The flags, each open one with `now` (flag_now) set; `daily` holds at least the last 7 days. No query.

    `now` is a Comparison | None the pages' templates read as `flag.now` (and careteam.fhir by getattr); Flag
    does not declare it, as only the flags passed through here carry it."""
    flags = list(flags)
    for flag in flags:
        setattr(flag, "now", flag_now(flag, daily, today) if flag.is_open else None)  # noqa: B010 (not a Flag field)
    return flags


def flags_with_now(patient: User, flags: Iterable[Flag], today: datetime.date) -> list[Flag]:
    """with_now, reading the last 7 days of the diary. One query."""
    return with_now(flags, daily_measures(patient, today - datetime.timedelta(days=NOW_DAYS - 1), today), today)


@dataclass(frozen=True)
class PatientFlags:
    """A patient's flags as the patient sees them."""

    new: list[Flag]  # open, not yet acknowledged by the patient: the dashboard's banner
    seen: list[Flag]  # open, acknowledged by the patient: still being watched
    past: list[Flag]  # resolved


def patient_flags(flags: Iterable[Flag]) -> PatientFlags:
    """Sort flags (e.g. from flag_history) into new, seen and past. No query."""
    flags = list(flags)
    return PatientFlags(
        new=[f for f in flags if f.is_open and f.patient_acknowledged_at is None],
        seen=[f for f in flags if f.is_open and f.patient_acknowledged_at is not None],
        past=[f for f in flags if not f.is_open],
    )


@dataclass(frozen=True)
class NewDiary:
    """A diary the worsening rule cannot test yet: what it has, and what the rule needs."""

    first_entry: datetime.date | None
    logged_days: int
    young: bool  # begun within the last two months (else: too few recent entries)
    baseline_needs: int = PARAMETERS.baseline_min  # logged days to learn the usual level
    baseline_span: int = PARAMETERS.baseline_days  # ... within this many days
    daily_logger_days: int = days_to_first_test()  # the wait for someone who logs daily


YOUNG_DAYS = 60
# Far enough back for every window and its baseline.
READINESS_LOOKBACK_DAYS = max(days + gap + PARAMETERS.baseline_days for days, gap in PARAMETERS.windows)


def new_diary(
    first_entry: datetime.date | None, logged_days: int, recent: Collection[datetime.date], today: datetime.date
) -> NewDiary | None:
    """Why the worsening rule cannot test a diary today, or None when it can.

    `recent` holds the logged dates of at least the last READINESS_LOOKBACK_DAYS days.
    """
    if can_test(recent, today):
        return None
    young = first_entry is None or (today - first_entry).days < YOUNG_DAYS
    return NewDiary(first_entry, logged_days, young)


def still_learning(first_entry: datetime.date | None, new: NewDiary | None, today: datetime.date) -> bool:
    """Watched, but begun within YOUNG_DAYS: the rule still measures the patient's noise mostly by the
    population's (the noise prior), so it flags only clear changes, 2.4 to 3 points at "standard"
    (docs/worsening-detection.md, step 2)."""
    return new is None and first_entry is not None and (today - first_entry).days < YOUNG_DAYS


def new_diary_of(patient: User, today: datetime.date) -> NewDiary | None:
    """new_diary for one patient, read from the database. Two queries."""
    first_entry, logged_days = diary_size(patient)
    recent = logged_dates(patient, today - datetime.timedelta(days=READINESS_LOOKBACK_DAYS - 1), today)
    return new_diary(first_entry, logged_days, recent, today)


@dataclass(frozen=True)
class Level:
    """One of the care team's sensitivity settings, in words (the figures: docs/worsening-detection.md)."""

    value: str
    label: str
    description: str


LEVELS = (
    Level(
        "quiet",
        "Quiet",
        "Flags only the clearest changes: about a third of the flags of Standard that turn out to be nothing, but "
        "some real changes are flagged later or not at all.",
    ),
    Level(
        "standard",
        "Standard",
        "The usual setting: at most about one flag a year that turns out to be nothing.",
    ),
    Level(
        "sensitive",
        "Sensitive",
        "For a time of change, such as a new treatment or a known risk period: notices smaller changes, "
        "sooner, at the cost of about two flags a year that turn out to be nothing.",
    ),
)
_LEVELS = {level.value: level for level in LEVELS}


@dataclass(frozen=True)
class Setting:
    """How sensitive worsening detection is for a patient, and who chose it, when and why."""

    level: Level
    reason: str = ""
    changed_by: User | None = None
    changed_at: datetime.datetime | None = None

    @property
    def chosen(self) -> bool:
        """Whether someone chose it (else it is the default)."""
        return self.changed_at is not None


def detection_setting(patient: User) -> Setting:
    """The patient's detection setting (Standard if no one chose one). One query."""
    row = DetectionSetting.objects.filter(patient=patient).select_related("changed_by").first()
    if row is None:
        return Setting(_LEVELS[DetectionSetting.Level.STANDARD])
    level = _LEVELS.get(row.level, _LEVELS[DetectionSetting.Level.STANDARD])
    return Setting(level, row.reason, row.changed_by, row.changed_at)
