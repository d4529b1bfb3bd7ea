"""A session that has just set up an authenticator has proved it holds it (the person typed a
code from it, or touched the key): recorded as allauth records a passed second step, so the
session counts as having passed one (identity.middleware) and need not confirm it is the
person again to see the recovery codes it was just given."""

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from identity.middleware import SESSION_KEY
from identity.policies import SECOND_STEP_TYPES


@receiver(authenticator_added)
def second_step_proved_by_setting_it_up(
    sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    if request is None or authenticator.type not in SECOND_STEP_TYPES:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, reauthenticated=True
    )
    request.session[SESSION_KEY] = True
