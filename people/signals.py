"""Reactions to Django's own events: sign-in language, role groups after migrations, role
changes in the audit log."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from audit.models import Action
from audit.services import audit_record
from people.models import RoleAssignment
from people.services import role_group_membership_sync, role_groups_sync, user_language_set


@receiver(user_logged_in)
def adopt_language_chosen_before_sign_in(sender, request, user, **kwargs):
    """Someone who picked a language before ever choosing one while signed in keeps it."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request else None
    if not user.preferred_language and chosen in dict(settings.LANGUAGES):
        user_language_set(user=user, language=chosen)


@receiver(post_migrate)
def sync_role_groups_after_migrate(sender, **kwargs):
    # post_migrate is sent once per app that has models, in INSTALLED_APPS order; after the
    # last one every app's permissions exist and can be given to the groups.
    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is apps_with_models[-1]:
        role_groups_sync()


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def keep_role_groups_in_step(sender, instance, **kwargs):
    role_group_membership_sync(user=instance.user, role=instance.role)


def _role_audited(assignment: RoleAssignment) -> dict:
    return {"role": assignment.role, "unit_id": assignment.unit_id, "partner_id": assignment.partner_id}


@receiver(post_save, sender=RoleAssignment)
def audit_role_granted(sender, instance, created, **kwargs):
    # Whoever grants it: the service's granted_by, else the person signed in (the admin).
    audit_record(
        action=Action.ROLE_GRANTED,
        actor=instance.granted_by,
        subject=instance.user,
        what=f"people.roleassignment:{instance.role}",
        detail={**_role_audited(instance), "changed": not created},
    )


@receiver(post_delete, sender=RoleAssignment)
def audit_role_revoked(sender, instance, **kwargs):
    audit_record(
        action=Action.ROLE_REVOKED,
        subject=instance.user,
        what=f"people.roleassignment:{instance.role}",
        detail=_role_audited(instance),
    )
