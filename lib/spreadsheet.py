"""Text written to a CSV file that a spreadsheet opens: never read as a formula (CSV injection)."""

# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(text: str) -> str:
    """A leading apostrophe before a cell that a spreadsheet would read as a formula (and before one
    already so escaped, so that reading it back with unescape_formula gives the text as it was)."""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unescape_formula(text: str) -> str:
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text
