"""At most N e-mails of a kind to one address an hour, counted in the database (so across processes)."""

import datetime
import hashlib

from django.utils import timezone

from .models import EmailSent

HOUR = datetime.timedelta(hours=1)


def email_allowed(kind: str, address: str, *, per_hour: int) -> bool:
    """Count one more e-mail of `kind` to `address`; False when that would pass `per_hour`."""
    key = hashlib.sha256(f"{kind}:{address.strip().lower()}".encode()).hexdigest()
    now = timezone.now()
    EmailSent.objects.filter(sent_at__lt=now - HOUR).delete()  # old rows are no longer needed
    if EmailSent.objects.filter(key=key, sent_at__gte=now - HOUR).count() >= per_hour:
        return False
    EmailSent.objects.create(key=key)
    return True
