"""The CSV format, without a database."""

import csv
import datetime
import io
import random

from symptoms import diary_csv
from symptoms.diary_csv import CSV_COLUMNS, decode_csv_bytes, parse_diary_csv, write_diary_csv
from symptoms.management.commands.bench_import import diary_text

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
        "Line 4: date '02/11/2026' is not an ISO date like 2026-01-31. A spreadsheet may have changed the"
        " dates: format the date column as YYYY-MM-DD and save again.",
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


def test_a_repeated_list_value_is_a_line_error_not_a_crash():
    result = parse(f"{HEADER},pain_qualities\n2026-11-01,5,,,,,burning;burning\n")
    assert [str(e) for e in result.errors] == [
        "Line 2: pain_qualities ['burning', 'burning']: A choice is listed twice."
    ]


def test_a_huge_header_is_refused_at_once():
    result = parse(",".join(f"c{i}" for i in range(100_000)) + "\n")
    assert [str(e) for e in result.errors] == ["Line 1: the header has 100,000 columns; the format has 20."]


def test_unknown_columns_are_named_briefly():
    result = parse(HEADER + "," + ",".join(f"extra{i}" for i in range(10)) + "\n2026-11-01,5,,,,\n")
    assert "'extra0', 'extra1', 'extra2', 'extra3', 'extra4';" in str(result.errors[0])
    assert "extra5" not in str(result.errors[0])


def test_only_calendar_dates_are_dates():
    for bad in ("2026-W48-1", "20261101", "2026-11-1"):
        assert "is not an ISO date" in str(parse(f"{HEADER}\n{bad},5,,,,\n").errors[0]), bad


def test_notes_that_a_spreadsheet_would_run_are_escaped_and_round_trip():
    notes = ['=HYPERLINK("http://x","y")', "+1 bad day", "-2 better", "@home", "'=quoted", "plain", "'apostrophe"]
    rows = [
        {**dict.fromkeys(CSV_COLUMNS), "date": datetime.date(2026, 11, d + 1), "notes": note, "pain": 1}
        for d, note in enumerate(notes)
    ]
    for row in rows:
        row.update(pain_qualities=[], triggers=[], body_sites=[], skin_colour="", limb_temperature="", sweating="")
    out = io.StringIO()
    write_diary_csv(rows, out)
    cells = [line.split(",", 7)[6] for line in out.getvalue().splitlines()[1:]]
    assert cells[0].startswith("\"'=HYPERLINK")
    assert cells[1:5] == ["'+1 bad day", "'-2 better", "'@home", "''=quoted"]
    assert cells[5:] == ["plain", "'apostrophe"]
    assert [row["notes"] for row in parse(out.getvalue()).rows] == notes


def test_a_quote_that_never_closes_is_a_line_error():
    text = f'{HEADER},notes\n2026-11-01,5,4,3,2,6,fine\n2026-11-02,5,4,3,2,6,"cold day\n2026-11-03,5,4,3,2,6,\n'
    result = parse(text)
    assert result.rows == []
    assert [str(e) for e in result.errors] == ['Line 3: a quote (") opens a cell on this line and is never closed.']
    assert [str(e) for e in parse(f'{HEADER},"notes\n2026-11-01,5,4,3,2,6,x\n').errors] == [
        'Line 1: a quote (") opens a cell on this line and is never closed.'
    ]


def test_scores_are_written_with_the_digits_0_to_9_only():
    text = (
        f"{HEADER},spasm_episodes\n"
        "2026-11-01,\u0665,4,3,2,6,\n"  # Arabic-Indic five
        "2026-11-02,5,\uff14,3,2,6,\n"  # full-width four
        "2026-11-03,5,4,3,2,6,1_0\n"  # int() reads this as 10
        "2026-11-04,5.0,4,3,2,6,12\n"  # as a spreadsheet may write a whole number
    )
    result = parse(text)
    assert result.rows == []
    assert [str(e) for e in result.errors] == [
        "Line 2: pain '\u0665': Enter a whole number from 0 to 10. Use the digits 0-9.",
        "Line 3: spasms '\uff14': Enter a whole number from 0 to 10. Use the digits 0-9.",
        "Line 4: spasm_episodes '1_0': Enter a whole number.",
    ]
    assert parse(f"{HEADER}\n2026-11-04,5.0,4,3,2,6\n").rows[0]["pain"] == 5


def test_a_spreadsheet_s_semicolon_csv_reads_like_a_comma_one():
    """Spreadsheets in languages that write decimals with a comma save "CSV" with semicolons."""
    text = (
        "date;pain;spasms;swelling;skin_changes;mood;notes;pain_qualities\n"
        '2026-11-01;5;4;3;2;6;Flare, cold day;"burning;electric"\n'
    )
    (row,) = parse(text).rows
    assert (row["pain"], row["mood"], row["notes"]) == (5, 6, "Flare, cold day")
    assert row["pain_qualities"] == ["burning", "electric"]
    comma = parse(f"{HEADER},notes\n2026-11-01,5,4,3,2,6,a;b\n")
    assert comma.ok and comma.rows[0]["notes"] == "a;b"  # a comma header keeps commas


def test_every_error_of_a_line_is_reported_and_none_carries_to_the_next_line():
    """One form checks every line of a file: each line still gets all its own errors, and only its own."""
    text = (
        f"{HEADER},tremor,triggers,skin_colour\n"
        "2026-11-01,11,x,3,2,6,maybe,touch;gravity,grey\n"
        "2026-11-02,5,4,3,2,6,yes,touch;weather,red\n"
        "2026-11-03,5,4,3,2,12,,,\n"
    )
    result = parse(text)
    assert result.rows == []
    assert [str(e) for e in result.errors] == [
        "Line 2: spasms 'x': Enter a whole number from 0 to 10.",
        "Line 2: tremor: 'maybe' is not yes or no.",
        "Line 2: pain '11': Ensure this value is less than or equal to 10.",
        "Line 2: triggers ['touch', 'gravity']: Select a valid choice. gravity is not one of the available choices.",
        "Line 2: skin_colour 'grey': Select a valid choice. grey is not one of the available choices.",
        "Line 4: mood '12': Ensure this value is less than or equal to 10.",
    ]


def test_a_line_s_values_do_not_carry_to_the_next_line():
    text = (
        f"{HEADER},notes,tremor,triggers,skin_colour,spasm_episodes\n"
        "2026-11-01,5,4,3,2,6,cold,yes,touch;weather,red,3\n"
        "2026-11-02,,,,,7,,,,,\n"
    )
    first, second = parse(text).rows
    assert (first["notes"], first["tremor"], first["triggers"], first["skin_colour"]) == (
        "cold",
        True,
        ["touch", "weather"],
        "red",
    )
    assert first["spasm_episodes"] == 3
    assert second == {
        **dict.fromkeys(first),
        "date": datetime.date(2026, 11, 2),
        "mood": 7,
        "notes": "",
        "pain_qualities": [],
        "triggers": [],
        "body_sites": [],
        "skin_colour": "",
        "limb_temperature": "",
        "sweating": "",
    }


def test_plain_lines_read_quickly_give_what_the_long_reading_gives(monkeypatch):
    """Plainly good lines are read in one pass (a table of each column's plain values); any other line
    the long way, which words its errors. Both ways give the same rows, errors and counts."""
    text = diary_text(400, TODAY - datetime.timedelta(days=1))
    rng = random.Random(7)
    odd = ["05", "5.0", " 7 ", "11", "x", "", " Yes ", "N", "maybe", "touch; weather", "burning;burning", "grey", "'=1"]
    rows = list(csv.reader(io.StringIO(text)))
    for cells in rng.sample(rows[1:], 150):  # an odd or a bad cell in some lines
        cells[rng.randrange(1, len(cells))] = rng.choice(odd)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    varied = out.getvalue()

    long_ways = []
    read_the_long_way = diary_csv._parse_row

    def counted(cells, *, today):
        long_ways.append(cells)
        return read_the_long_way(cells, today=today)

    monkeypatch.setattr(diary_csv, "_parse_row", counted)
    results = {}
    for name, file in (("good", text), ("varied", varied)):
        long_ways.clear()
        quick = parse(file)
        results[name] = len(long_ways)
        with monkeypatch.context() as only_long:
            only_long.setattr(diary_csv, "_quick_line", lambda columns, today: lambda cells: None)
            long = parse(file)
        assert quick.rows == long.rows
        assert [str(e) for e in quick.errors] == [str(e) for e in long.errors]
        assert quick.skipped_blank == long.skipped_blank
    assert results["good"] == 0  # every line of a plain file the quick way
    assert 0 < results["varied"] <= 150
    assert len(parse(text).rows) == 400
    assert not parse(varied).ok
