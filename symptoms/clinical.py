"""Clinical yardsticks: the one home of each threshold the app judges changes by.

Clinically important change on a 0-10 numeric rating scale: about 2 points or 30 %.
Source: Farrar JT et al., "Clinical importance of changes in chronic pain intensity measured
on an 11-point numerical pain rating scale", Pain 2001;94:149-158; and the IMMPACT
recommendations, Dworkin RH et al., J Pain 2008;9:105-121 (moderately important change:
>= 30 % or about 2 points). The app applies the same yardstick to every 0-10 measure.
"""

CLINICALLY_IMPORTANT_POINTS = 2.0
CLINICALLY_IMPORTANT_FRACTION = 0.30
# The threshold in words, for every page that states it.
THRESHOLD_IN_SHORT = (
    f"{CLINICALLY_IMPORTANT_POINTS:g} points or {CLINICALLY_IMPORTANT_FRACTION * 100:.0f} % "
    f"(mood and sleep, where 10 = best: {CLINICALLY_IMPORTANT_POINTS:g} points)"
)


def is_clinically_important(before: float, after: float, *, higher_is_worse: bool = True) -> bool:
    """Whether the change from `before` to `after` (0-10 means) reaches 2 points or 30 %.

    For mood (10 = best) only the 2 points count: 30 % of a good mood is not a yardstick of
    worsening, and the worsening rule asks for a fall in mood of 2 points or more.
    """
    change = abs(after - before)
    if not higher_is_worse:
        return change >= CLINICALLY_IMPORTANT_POINTS
    if change >= CLINICALLY_IMPORTANT_POINTS:
        return True
    return before > 0 and change / before >= CLINICALLY_IMPORTANT_FRACTION
