import datetime


class IsoDateConverter:
    """A URL segment like 2026-11-24; anything else (or an impossible date) is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError -> no match -> 404

    def to_url(self, value: datetime.date) -> str:
        return value.isoformat()
