"""The demo's second step: the accounts whose roles require one (identity.policies) get an
authenticator app with a key derived from the published demo password, so that anybody trying
the demo can add it to their own app or print the current code:

    .venv/bin/python manage.py demo_two_step_code hr@thaksa.test
"""

import base64
import hashlib

from demo.accounts import DEMO_PASSWORD, DEMO_PEOPLE
from identity.policies import ROLES_REQUIRING_TWO_STEP
from identity.services import authenticator_app_set_up
from people.models import User


def demo_authenticator_key(email: str) -> str:
    """The account's authenticator key (base32), the same on every machine: demo only."""
    digest = hashlib.sha256(f"{DEMO_PASSWORD}:two-step:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode("ascii")


def demo_accounts_with_two_step() -> list[str]:
    return [
        person.email
        for person in DEMO_PEOPLE
        if person.superuser or any(role in ROLES_REQUIRING_TWO_STEP for role, _ in person.roles)
    ]


def seed_two_step() -> int:
    """The demo accounts with an authenticator app (set up once; a second run changes nothing)."""
    emails = demo_accounts_with_two_step()
    for email in emails:
        authenticator_app_set_up(User.objects.get(email=email), demo_authenticator_key(email))
    return len(emails)
