"""Who may see and act on which certificates and certificate designs.

The partner rules live in people.permissions; here they are applied to certificates (through
their course's partner) and designs (a partner's own, or the platform's)."""

from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from certificates.models import Certificate, CertificateTemplate
from people.permissions import content_partners_editable, content_partners_visible, is_platform_admin


def certificates_visible(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(course__partner__in=content_partners_visible(user))


def certificates_manageable(user) -> QuerySet[Certificate]:
    """Revoke, suspend, reinstate, re-issue: platform admins and the course partner's authors."""
    return Certificate.objects.filter(course__partner__in=content_partners_editable(user))


def designs_visible(user) -> QuerySet[CertificateTemplate]:
    if not content_partners_visible(user).exists():
        return CertificateTemplate.objects.none()
    return CertificateTemplate.objects.filter(
        Q(partner__isnull=True) | Q(partner__in=content_partners_visible(user))
    )


def designs_editable(user) -> QuerySet[CertificateTemplate]:
    if is_platform_admin(user):
        return CertificateTemplate.objects.all()
    return CertificateTemplate.objects.filter(partner__in=content_partners_editable(user))


class DesignPermissionPolicy(ModelPermissionPolicy):
    """Partner authors design their partner's certificates; platform admins any, including the
    platform's own; reviewers look."""

    def user_has_permission(self, user, action):
        if action == "view":
            return content_partners_visible(user).exists()
        return content_partners_editable(user).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        scope = designs_visible if action == "view" else designs_editable
        return scope(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        return (designs_visible if action == "view" else designs_editable)(user)

    def instances_user_has_any_permission_for(self, user, actions):
        return designs_visible(user) if set(actions) <= {"view"} else designs_editable(user)

    def users_with_any_permission(self, actions, include_superusers=True):
        return super().users_with_any_permission(actions, include_superusers=include_superusers)
