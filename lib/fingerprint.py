"""A fingerprint of what a page fragment is worked out from: equal inputs, equal fingerprints.

The key of the rendered fragments kept in the "pages" cache (settings.CACHES): an edit of any input
makes a new key, so a kept fragment is never stale, and nothing has to be told to forget one.
"""

import datetime
import hashlib
import marshal
from collections.abc import Mapping


def fingerprint(small: object, diary: Mapping[datetime.date, Mapping[str, object]] | None = None) -> str:
    """SHA-256 of `small` (anything with a faithful repr: dataclasses, tuples, dates, numbers) and of a
    diary of days (date -> values), which is turned into bytes as day numbers and values: marshal is
    the fastest way there (5 years of diary in about a millisecond), and it cannot take dates."""
    diary = diary or {}
    fields = tuple(next(iter(diary.values()), ()))
    rows = [(day.toordinal(), *values.values()) for day, values in diary.items()]
    return hashlib.sha256(marshal.dumps((repr(small), fields, rows))).hexdigest()
