"""Who may see and change which question banks, questions and quiz reports.

The partner rules themselves live in people.permissions (content_partners_visible /
content_partners_editable); this module applies them to assessments' models. It imports no
courses models, so the lesson body's quiz block can load it while courses' models load."""

from django.db.models import QuerySet
from wagtail.permission_policies.base import ModelPermissionPolicy

from assessments.models import Question, QuestionBank
from people.permissions import content_partners_editable, content_partners_visible


def banks_visible(user) -> QuerySet[QuestionBank]:
    return QuestionBank.objects.filter(partner__in=content_partners_visible(user)).select_related("partner")


def banks_editable(user) -> QuerySet[QuestionBank]:
    return QuestionBank.objects.filter(partner__in=content_partners_editable(user)).select_related("partner")


def questions_visible(user) -> QuerySet[Question]:
    return Question.objects.filter(bank__partner__in=content_partners_visible(user)).select_related("bank")


def questions_editable(user) -> QuerySet[Question]:
    return Question.objects.filter(bank__partner__in=content_partners_editable(user)).select_related("bank")


class PartnerContentPermissionPolicy(ModelPermissionPolicy):
    """The bank and question editors' permissions, from partner roles instead of Django
    permissions: partner authors (and platform admins) change, partner and platform
    reviewers look. Per instance, only the banks of those partners."""

    def _partner_ids(self, user, action: str) -> frozenset[int]:
        """The partners' ids, read once per request (the user object lives for one request):
        admin listings ask for every row and every action."""
        cache = user.__dict__.setdefault("_assessments_partner_ids", {})
        kind = "view" if action == "view" else "change"
        if kind not in cache:
            partners = content_partners_visible(user) if kind == "view" else content_partners_editable(user)
            cache[kind] = frozenset(partners.values_list("pk", flat=True))
        return cache[kind]

    def user_has_permission(self, user, action):
        return bool(self._partner_ids(user, action))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        partner_id = instance.partner_id if isinstance(instance, QuestionBank) else instance.bank.partner_id
        return partner_id in self._partner_ids(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        scope = banks_visible if action == "view" else banks_editable
        if self.model is QuestionBank:
            return scope(user)
        return self.model.objects.filter(bank__in=scope(user))

    def instances_user_has_any_permission_for(self, user, actions):
        return self.instances_user_has_permission_for(user, "view" if set(actions) == {"view"} else "change")
