import re
import zoneinfo
from collections.abc import Iterable
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime"}))


NEW_USERNAME = re.compile(r"[A-Za-z0-9._-]+")
NEW_USERNAME_MESSAGE = "Use letters a\u2013z, digits, and . _ - only."  # an en dash


def validate_new_username(value: str) -> None:
    """A new account's name: plain ASCII, so that no name can be a look-alike of another (Cyrillic
    U+0430 for a Latin "a"). Accounts made before this rule keep their names and still log in."""
    if not NEW_USERNAME.fullmatch(value):
        raise ValidationError(NEW_USERNAME_MESSAGE, code="username_characters")


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError("%(value)s is not a known time zone.", params={"value": value})


@deconstructible
class ChoiceListValidator:
    """Validates a JSON list field: every item one of `choices`, no repeats."""

    def __init__(self, choices: Iterable[tuple[str, str]]) -> None:
        self.allowed = [value for value, _label in choices]

    def __call__(self, value: object) -> None:
        if not isinstance(value, list):
            raise ValidationError("Expected a list of choices.")
        unknown = [item for item in value if item not in self.allowed]
        if unknown:
            raise ValidationError(
                "Unknown choice(s): %(unknown)s. Allowed: %(allowed)s.",
                params={"unknown": ", ".join(map(str, unknown)), "allowed": ", ".join(self.allowed)},
            )
        if len(set(value)) != len(value):
            raise ValidationError("A choice is listed twice.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChoiceListValidator) and other.allowed == self.allowed


QUICK_NOTES_MAX = 3
QUICK_NOTE_LENGTH = 40


def validate_quick_notes(value: object) -> None:
    """The quick notes a patient pins to the daily log: up to three short, different texts."""
    if not isinstance(value, list) or not all(isinstance(note, str) and note.strip() for note in value):
        raise ValidationError("Expected a list of short notes.")
    if len(value) > QUICK_NOTES_MAX:
        raise ValidationError(f"Pin up to {QUICK_NOTES_MAX} quick notes.")
    if any(len(note) > QUICK_NOTE_LENGTH for note in value):
        raise ValidationError(f"A quick note is at most {QUICK_NOTE_LENGTH} characters.")
    if len({note.casefold() for note in value}) != len(value):
        raise ValidationError("A quick note is pinned twice.")
