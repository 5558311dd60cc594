"""The diary CSV format: reading and writing, with no database.

Columns: date,pain,spasms,swelling,skin_changes,mood, then optional notes and the
detail columns (README, "Diary CSV format"). ISO dates; an empty cell means "not
recorded"; lists are separated by ";"; yes/no columns hold "yes" or "no".
"""

import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError

from lib.dates import EARLIEST_DATE
from lib.spreadsheet import escape_formula, unescape_formula

from .forms import DiaryEntryForm
from .models import ENTRY_FIELDS, LIST_FIELDS, YES_NO_FIELDS
from .vocabulary import MEASURE_NAMES

CSV_COLUMNS: tuple[str, ...] = ("date", *ENTRY_FIELDS)
REQUIRED_COLUMNS: tuple[str, ...] = ("date", *MEASURE_NAMES)
LIST_SEPARATOR = ";"


def max_rows(today: datetime.date) -> int:
    """Every day from the earliest allowed date to today: the longest diary, so any export imports again."""
    return (today - EARLIEST_DATE).days + 1


MAX_ROWS = max_rows(datetime.datetime.now(tz=datetime.UTC).date())  # about 28,000 in 2026

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SPREADSHEET_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")  # 24/11/2026, 11/24/26, 24.11.2026
# Exported free text that a spreadsheet would run as a formula gets a leading apostrophe, which the import
# takes off again (lib.spreadsheet).
TEXT_COLUMNS = ("notes",)

# The number columns and what each says to a value that is not a whole number in ASCII digits
# ("5.0", as a spreadsheet or pandas may write it, is still 5).
NUMBER_FIELDS = {
    name: field.error_messages["invalid"]
    for name, field in DiaryEntryForm.base_fields.items()
    if isinstance(field, forms.IntegerField)
}
WHOLE_NUMBER = re.compile(r"[0-9]+(?:\.0*)?")

_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


# The form's fields, in its order, as each line is checked against them (not "note_for_clinician":
# no CSV column, so an import leaves that choice alone).
LINE_FIELDS = {name: field for name, field in DiaryEntryForm.base_fields.items() if name in ENTRY_FIELDS}
_UNSURE = object()


def _quick_clean(name: str, field: forms.Field, raw: str | list[str] | None) -> object:
    """What `field.clean(raw)` returns, in plain Python, for the values a diary line usually holds;
    _UNSURE for anything else, which the form field itself then cleans (and words the error of).

    Building and cleaning a Django form per line was most of the time of reading a file; this
    takes a value only where the field would take it unchanged, so the rules and the messages are
    the form's ("Log today" page) whichever path a value takes.
    """
    if name in LIST_FIELDS:
        if raw is None:
            return []
        allowed = _ALLOWED[name]
        if all(item in allowed for item in raw) and len(set(raw)) == len(raw):
            return list(raw)
        return _UNSURE
    if raw is None:
        return _EMPTY[name]
    if isinstance(raw, list):  # only the list columns read as lists
        return _UNSURE
    if name in NUMBER_FIELDS:
        if raw == "":
            return None
        low, high = _BOUNDS.get(name, (0, -1))
        if len(raw) <= 6:  # a WHOLE_NUMBER ("5", "5.0"): the reading of the line let no other through
            number = int(raw.partition(".")[0])
            if low <= number <= high:
                return number
        return _UNSURE
    if name in YES_NO_FIELDS:
        return {"true": True, "false": False}.get(raw, _UNSURE)
    if name in _ALLOWED:  # a choice
        return raw if raw in _ALLOWED[name] else _UNSURE
    if isinstance(field, forms.CharField):
        text = raw.strip()
        longest = field.max_length
        return text if (longest is None or len(text) <= longest) and "\x00" not in text else _UNSURE
    return _UNSURE


_ALLOWED = {
    # The stubs type the getter as any input `choices` takes; Django normalizes it to a list of pairs.
    name: frozenset(str(value) for value, _label in field.choices)  # type: ignore[misc,union-attr]
    for name, field in LINE_FIELDS.items()
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.NullBooleanField)
}


def _int_bounds(field: forms.Field) -> tuple[int, int] | None:
    """A whole-number field's least and greatest values, when both are fixed numbers."""
    if isinstance(field, forms.IntegerField) and isinstance(field.min_value, int) and isinstance(field.max_value, int):
        return field.min_value, field.max_value
    return None


# The number columns' bounds; a column without fixed ones (none has) is always cleaned by its field.
_BOUNDS = {name: bounds for name, field in LINE_FIELDS.items() if (bounds := _int_bounds(field)) is not None}
# A column the file does not have, as the form cleans it: nothing recorded (lists: [], above).
_EMPTY = {
    name: "" if isinstance(field, forms.CharField | forms.ChoiceField) else None for name, field in LINE_FIELDS.items()
}


def _cell_reader(name: str, field: forms.Field) -> Callable[[str], object]:
    """A function from one raw cell of the column `name` to its value, for a cell that plainly holds
    one (what reading the line the long way, _parse_row, would give); _UNSURE for any other cell."""
    if name in LIST_FIELDS:
        allowed = _ALLOWED[name]

        def read_list(raw: str) -> object:
            items = [item.strip() for item in raw.split(LIST_SEPARATOR) if item.strip()]
            plain = all(item in allowed for item in items) and len(set(items)) == len(items)
            return items if plain else _UNSURE

        return read_list
    # The other columns hold few different values: a table of them, each as plainly written.
    if name in YES_NO_FIELDS:
        answers = {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False), "": None}
        return lambda raw: answers.get(raw.strip().lower(), _UNSURE)
    if name in NUMBER_FIELDS:  # "5"; "05" or "5.0" the long way
        low, high = _BOUNDS.get(name, (0, -1))
        numbers = {str(number): number for number in range(low, high + 1)} | {"": None}
        return lambda raw: numbers.get(raw.strip(), _UNSURE)
    if name in _ALLOWED:  # a choice
        choices = {value: value for value in _ALLOWED[name]}
        return lambda raw: choices.get(raw.strip(), _UNSURE)
    if name in TEXT_COLUMNS and isinstance(field, forms.CharField):
        longest = field.max_length

        def read_text(raw: str) -> object:
            text = unescape_formula(raw).strip()
            return text if (longest is None or len(text) <= longest) and "\x00" not in text else _UNSURE

        return read_text
    return lambda raw: _UNSURE


def _quick_line(columns: list[str], today: datetime.date):
    """A reader of a file's plainly good lines: cells to the row _parse_row would make, or None for a
    line it is not sure of (a bad or odd value, a date out of range, nothing recorded), which is then
    read the long way. Most lines of a file take this path: several times faster than the long one."""
    date_index = columns.index("date")
    readers = [(index, name, _CELL_READERS[name]) for index, name in enumerate(columns) if name != "date"]
    missing = [name for name in ENTRY_FIELDS if name not in columns]

    def read(cells: list[str]) -> dict | None:
        raw_date = cells[date_index].strip()
        if not ISO_DATE.fullmatch(raw_date):
            return None
        try:
            day = datetime.date.fromisoformat(raw_date)
        except ValueError:
            return None
        if not EARLIEST_DATE <= day <= today:
            return None
        row: dict[str, object] = {"date": day}
        recorded = False
        for index, name, reader in readers:
            value = reader(cells[index])
            if value is _UNSURE:
                return None
            recorded = recorded or value not in (None, "", [])
            row[name] = value
        if not recorded:
            return None
        for name in missing:
            row[name] = [] if name in LIST_FIELDS else _EMPTY[name]
        return row

    return read


_CELL_READERS = {name: _cell_reader(name, form_field) for name, form_field in LINE_FIELDS.items()}


def _check_line(data: dict[str, str | list[str]]) -> tuple[dict, list[str]]:
    """A line's values (strings, lists) cleaned as the diary form cleans them: (values, errors).

    The errors in the form's field order, each "name 'value': message" in the form's words.
    """
    values: dict[str, object] = {}
    errors: list[str] = []
    for name, form_field in LINE_FIELDS.items():
        raw = data.get(name)
        value = _quick_clean(name, form_field, raw)
        if value is _UNSURE:
            try:
                value = form_field.clean(raw)
            except ValidationError as error:
                errors.extend(f"{name} {raw!r}: {message}" for message in error.messages)
                continue
        values[name] = value
    if not errors and all(value in (None, "", []) for value in values.values()):
        errors.append("Nothing to save yet: fill in at least one measure or a note.")
    for name in LIST_FIELDS:
        items = values.get(name)  # a list as cleaned, or none after an error
        values[name] = list(items) if isinstance(items, list) else []
    for name in ("skin_colour", "limb_temperature", "sweating", "notes"):
        values[name] = values.get(name) or ""
    return values, errors


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based line number in the file; 0 for the file as a whole
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ParsedDiary:
    rows: list[dict] = field(default_factory=list)  # {"date": date, **entry values}
    errors: list[LineError] = field(default_factory=list)
    skipped_blank: int = 0
    columns: tuple[str, ...] = ()  # the value columns the file has (an import changes only these)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode_csv_bytes(data: bytes) -> tuple[str, list[LineError]]:
    """Bytes of an uploaded or named file to text (UTF-8, with or without a BOM)."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return "", [LineError(0, 'The file is not UTF-8 text. Save it from your spreadsheet as "CSV UTF-8".')]


def write_diary_csv(entries: Iterable[Mapping], out: io.TextIOBase) -> None:
    """Write entries (mappings with every CSV column as a key) as diary CSV."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([_format_cell(name, entry[name]) for name in CSV_COLUMNS])


def _format_cell(name: str, value: object) -> str:
    if value is None:
        return ""
    if name in TEXT_COLUMNS:
        return escape_formula(str(value))
    if name == "date" and isinstance(value, datetime.date):
        return value.isoformat()
    if name in LIST_FIELDS and isinstance(value, Iterable):
        return LIST_SEPARATOR.join(value)
    if name in YES_NO_FIELDS:
        return "yes" if value else "no"
    return str(value)


def parse_diary_csv(text: str, *, today: datetime.date) -> ParsedDiary:
    """Read and validate a whole diary CSV. Returns every row or every error, never part."""
    result = ParsedDiary()
    # strict: a quote that never closes is an error, not a cell that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        result.errors.append(LineError(0, "The file is empty."))
        return result
    except csv.Error as error:
        result.errors.append(LineError(1, _csv_error_message(error)))
        return result

    if len(header) > 2 * len(CSV_COLUMNS):
        result.errors.append(
            LineError(1, f"the header has {len(header):,} columns; the format has {len(CSV_COLUMNS)}.")
        )
        return result
    columns = [name.strip().lower() for name in header]
    header_errors = _check_header(columns)
    if header_errors:
        result.errors.extend(LineError(1, message) for message in header_errors)
        return result
    result.columns = tuple(name for name in columns if name != "date")

    seen_dates: dict[datetime.date, int] = {}
    most = max_rows(today)
    quick_line = _quick_line(columns, today)
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(LineError(start, _csv_error_message(error)))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(result.rows) + len(result.errors) >= most:
            result.errors.append(LineError(start, f"too many lines (at most {most:,}, a line a day since 1950)."))
            break
        if len(cells) != len(columns):
            result.errors.append(LineError(start, f"has {len(cells)} cells but the header has {len(columns)} columns."))
            continue
        row = quick_line(cells)
        if row is None:  # not plainly good: the long way, which words what is wrong
            row, errors = _parse_row(dict(zip(columns, cells, strict=True)), today=today)
            if errors:
                result.errors.extend(LineError(start, message) for message in errors)
                continue
            if row is None:
                result.skipped_blank += 1
                continue
        if row["date"] in seen_dates:
            result.errors.append(
                LineError(start, f"date {row['date'].isoformat()} is already on line {seen_dates[row['date']]}.")
            )
            continue
        seen_dates[row["date"]] = start
        result.rows.append(row)

    if result.errors:
        result.rows = []
    elif not result.rows:
        result.errors.append(LineError(0, "The file has a header but no diary lines."))
    return result


def _delimiter(text: str) -> str:
    """',' as the format says; ';' for a file whose header has only semicolons between its names.

    Spreadsheets set to a language that writes decimals with a comma save "CSV" with semicolons.
    Column names contain neither, so the header alone tells which it is.
    """
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def _csv_error_message(error: csv.Error) -> str:
    if str(error) == "unexpected end of data":  # the reader reached the end inside a quoted cell
        return 'a quote (") opens a cell on this line and is never closed.'
    return f"not readable as CSV ({error})."


def _check_header(columns: list[str]) -> list[str]:
    errors = []
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        errors.append(f"the header is missing the column(s) {', '.join(missing)}.")
    unknown = [name[:40] for name in columns if name not in CSV_COLUMNS][:5]
    if unknown:
        errors.append(
            f"unknown column(s) {', '.join(repr(n) for n in unknown)}; known columns are {', '.join(CSV_COLUMNS)}."
        )
    repeated = sorted(name for name, count in Counter(columns).items() if count > 1)
    if repeated:
        errors.append(f"the column(s) {', '.join(repeated)} appear more than once.")
    return errors


def _parse_row(cells: dict[str, str], *, today: datetime.date) -> tuple[dict | None, list[str]]:
    """One line's cells to entry values; (None, []) for a date with nothing recorded."""
    errors = []
    raw_date = cells.pop("date").strip()
    try:
        if not ISO_DATE.fullmatch(raw_date):
            raise ValueError
        day = datetime.date.fromisoformat(raw_date)
    except ValueError:
        if not raw_date:
            return None, ["the date is empty."]
        message = f"date {raw_date[:20]!r} is not an ISO date like 2026-01-31."
        if SPREADSHEET_DATE.fullmatch(raw_date):  # not guessed: 03/04/2026 is March or April
            message += " A spreadsheet may have changed the dates: format the date column as YYYY-MM-DD and save again."
        return None, [message]
    if day > today:
        errors.append(f"date {day.isoformat()} is in the future.")
    elif day < EARLIEST_DATE:
        errors.append(f"date {day.isoformat()} is before {EARLIEST_DATE.isoformat()}.")

    data: dict[str, str | list[str]] = {}
    for name, raw in cells.items():
        value = unescape_formula(raw) if name in TEXT_COLUMNS else raw.strip()
        if name in LIST_FIELDS:
            data[name] = [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
        elif name in YES_NO_FIELDS:
            lowered = value.lower()
            if lowered in _YES:
                data[name] = "true"
            elif lowered in _NO:
                data[name] = "false"
            elif lowered:
                errors.append(f"{name}: {value!r} is not yes or no.")
        elif name in NUMBER_FIELDS and value and not WHOLE_NUMBER.fullmatch(value):
            # int() would also take Arabic-Indic or full-width digits; a score is written with 0-9
            hint = "" if value.isascii() else " Use the digits 0-9."
            errors.append(f"{name} {value!r}: {NUMBER_FIELDS[name]}{hint}")
        else:
            data[name] = value
    if not any(v not in ("", []) and (not isinstance(v, str) or v.strip()) for v in data.values()):
        return (None, errors)

    values, line_errors = _check_line(data)
    errors.extend(line_errors)
    if errors:
        return None, errors
    return {"date": day, **values}, []
