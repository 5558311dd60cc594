"""How a mean is shown: one home, so that every page shows the same figure for the same mean."""

from decimal import ROUND_HALF_UP, Decimal


def one_decimal(value: float) -> float:
    """A mean as shown, to one decimal with halves up: 13/4 = 3.25 is 3.3 on every page.

    round() and f"{:.1f}" round halves to even, on the binary float, while the templates' floatformat
    rounds them up: the same 3.25 read 3.2 in one place and 3.3 in another. Float noise (well below
    1e-9, as in 0.1 + 0.2) goes first, so that a half stays a half.
    """
    return float(Decimal(value).quantize(Decimal("1e-9")).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
