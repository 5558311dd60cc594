import pytest
from django.core.management import CommandError, call_command

from accounts.models import User


def test_it_creates_a_clinician(db):
    call_command("create_clinician", "dr-smith", "--password", "a-strong-passphrase-here", "--email", "s@x.org")
    user = User.objects.get(username="dr-smith")
    assert user.is_clinician
    assert user.check_password("a-strong-passphrase-here")
    assert not hasattr(user, "patient_profile")


def test_it_refuses_weak_passwords_and_taken_names(db, patient):
    with pytest.raises(CommandError, match="too common"):
        call_command("create_clinician", "dr-weak", "--password", "password")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_clinician", "alice", "--password", "a-strong-passphrase-here")
    assert User.objects.filter(role=User.Role.CLINICIAN).count() == 0
