"""How figures are shown: one home, so that every page shows the same figure for the same mean."""

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal


def one_decimal(value: float) -> float:
    """A mean as shown, to one decimal with halves up: 13/4 = 3.25 is 3.3 on every page.

    round() and f"{:.1f}" round halves to even, on the binary float, while the templates' floatformat
    rounds them up: the same 3.25 read 3.2 in one place and 3.3 in another. Float noise (well below
    1e-9, as in 0.1 + 0.2) goes first, so that a half stays a half.
    """
    return float(Decimal(value).quantize(Decimal("1e-9")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def one_decimal_down(value: float) -> float:
    """A threshold as shown beside a change between two means shown with one_decimal: rounded down, so
    that a change that met it never reads smaller than it. Means 6.44 and 4.05 (a change of 2.39) show as
    6.4 and 4.1, a change of 2.3; a threshold of 2.39 shows as 2.3, not 2.4."""
    return float(Decimal(value).quantize(Decimal("1e-9")).quantize(Decimal("0.1"), rounding=ROUND_FLOOR))


def days_in_words(count: int) -> str:
    """A count of days in words, 1 day or 2 days, for messages written in Python (templates use |pluralize)."""
    return f"{count} day" if count == 1 else f"{count} days"


def percent_of(part: float, whole: float) -> int:
    """`part` as a whole percentage of `whole`, halves up: 12 of 14 is 86, 1 of 8 is 13."""
    exact = Decimal(100) * Decimal(str(part)) / Decimal(str(whole))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
