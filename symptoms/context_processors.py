from symptoms.yardsticks import NOW_DAYS, NOW_MIN, THRESHOLD_IN_SHORT, USUAL_DAYS, USUAL_MIN


def yardsticks(request) -> dict:
    """The figures pages state in words ("at least 4 of 7 days", "2 points or 30 %"), from their one home."""
    return {
        "yardsticks": {
            "threshold": THRESHOLD_IN_SHORT,
            "now_days": NOW_DAYS,
            "now_min": NOW_MIN,
            "usual_weeks": USUAL_DAYS // 7,
            "usual_min": USUAL_MIN,
        }
    }
