"""The CSV format, without a database."""

import datetime
import io

from symptoms.diary_csv import CSV_COLUMNS, decode_csv_bytes, parse_diary_csv, write_diary_csv

TODAY = datetime.date(2026, 11, 24)
HEADER = "date,pain,spasms,swelling,skin_changes,mood"


def parse(text):
    return parse_diary_csv(text, today=TODAY)


def test_it_reads_the_minimal_columns():
    result = parse(f"{HEADER}\n2026-11-01,5,4,3,2,6\n2026-11-02,,,,,7\n")
    assert result.ok
    assert [row["date"] for row in result.rows] == [datetime.date(2026, 11, 1), datetime.date(2026, 11, 2)]
    assert result.rows[0]["pain"] == 5
    assert result.rows[1]["pain"] is None  # empty = not recorded, never 0
    assert result.rows[1]["mood"] == 7
    assert result.rows[1]["pain_qualities"] == []


def test_it_reads_notes_and_detail_columns_in_any_order():
    text = (
        "mood,date,pain,spasms,swelling,skin_changes,notes,pain_qualities,allodynia,skin_colour\n"
        '3,2026-11-01,7,6,5,4,"Flare, cold day",burning;electric,yes,mottled\n'
    )
    (row,) = parse(text).rows
    assert row["notes"] == "Flare, cold day"
    assert row["pain_qualities"] == ["burning", "electric"]
    assert row["allodynia"] is True
    assert row["skin_colour"] == "mottled"
    assert row["mood"] == 3


def test_it_names_each_bad_line_and_why():
    text = (
        f"{HEADER}\n"
        "2026-11-01,5,4,3,2,6\n"
        "2026-11-02,11,4,3,2,6\n"
        "02/11/2026,5,4,3,2,6\n"
        "2026-11-03,5,x,3,2,6\n"
        "2026-11-01,5,4,3,2,6\n"
        "2026-12-25,5,4,3,2,6\n"
        "2026-11-04,5,4\n"
    )
    result = parse(text)
    assert result.rows == []
    messages = [str(error) for error in result.errors]
    assert messages == [
        "Line 3: pain '11': Ensure this value is less than or equal to 10.",
        "Line 4: date '02/11/2026' is not an ISO date like 2026-01-31.",
        "Line 5: spasms 'x': Enter a whole number from 0 to 10.",
        "Line 6: date 2026-11-01 is already on line 2.",
        "Line 7: date 2026-12-25 is in the future.",
        "Line 8: has 3 cells but the header has 6 columns.",
    ]


def test_it_rejects_a_bad_header():
    result = parse("date,pian,spasms,swelling,skin_changes,mood\n2026-11-01,5,4,3,2,6\n")
    assert not result.ok
    assert "missing the column(s) pain" in str(result.errors[0])
    assert "unknown column(s) 'pian'" in str(result.errors[1])


def test_it_rejects_an_empty_file_and_a_header_alone():
    assert str(parse("").errors[0]) == "The file is empty."
    assert str(parse(HEADER + "\n").errors[0]) == "The file has a header but no diary lines."


def test_it_skips_blank_lines_and_dates_with_nothing_recorded():
    result = parse(f"{HEADER}\n\n2026-11-01,5,,,,\n2026-11-02,,,,,\n")
    assert len(result.rows) == 1
    assert result.skipped_blank == 1


def test_it_rejects_bad_yes_no_and_list_values():
    text = f"{HEADER},tremor,triggers\n2026-11-01,5,4,3,2,6,maybe,touch;gravity\n"
    messages = [str(e) for e in parse(text).errors]
    assert messages[0] == "Line 2: tremor: 'maybe' is not yes or no."
    assert messages[1].startswith("Line 2: triggers ['touch', 'gravity']: Select a valid choice.")


def test_a_quoted_newline_keeps_line_numbers_right():
    text = f'{HEADER},notes\n2026-11-01,5,4,3,2,6,"two\nlines"\n2026-11-02,99,4,3,2,6,\n'
    assert str(parse(text).errors[0]).startswith("Line 4: pain")


def test_it_decodes_utf8_with_a_bom_and_refuses_other_encodings():
    assert decode_csv_bytes("\ufeffdate".encode()) == ("date", [])
    text, errors = decode_csv_bytes("café".encode("latin-1"))
    assert text == ""
    assert "not UTF-8" in str(errors[0])


def test_writing_then_reading_round_trips_every_column():
    row = {
        "date": datetime.date(2026, 11, 1),
        "pain": 0,
        "spasms": 10,
        "swelling": None,
        "skin_changes": 2,
        "mood": 7,
        "notes": 'Line one,\r\nline "two" \u2013 \u00fcn\u00efc\u00f6d\u00e9',
        "worst_pain": 9,
        "pain_qualities": ["burning", "stabbing"],
        "allodynia": False,
        "triggers": [],
        "body_sites": ["left_hand", "other"],
        "spasm_episodes": 12,
        "tremor": True,
        "skin_colour": "blue_purple",
        "limb_temperature": "",
        "sweating": "less",
        "sleep_quality": None,
        "anxiety": 4,
        "interference": 6,
    }
    assert set(row) == set(CSV_COLUMNS)
    out = io.StringIO()
    write_diary_csv([row], out)
    result = parse(out.getvalue())
    assert result.ok, result.errors
    assert result.rows == [row]
    again = io.StringIO()
    write_diary_csv(result.rows, again)
    assert again.getvalue() == out.getvalue()
