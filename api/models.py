"""Applications that use Thaksa's API: an agency's HR system, a partner's enrolment robot, a
learning platform a civil servant signs in to with their Thaksa account.

An application is bound to what it may see: an organisation unit (its tokens see the people
in that subtree, by the rules of `people.permissions`), a content partner (its own courses and
their learners), or nothing (a learner's own records, and only when the learner signs in to
it). `api.principals` turns a token into that view; no endpoint filters on its own.
"""

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication

from api.scopes import OPENID, PEOPLE_READ, PEOPLE_WRITE, SCOPES

if TYPE_CHECKING:
    from organisations.models import ContentPartner, OrganisationUnit

# PDPA data minimisation (people.permissions.sees_learners_contact_details): partners never
# read people's records as such, only enrolments in their own courses.
PARTNER_REFUSED_SCOPES = (PEOPLE_READ, PEOPLE_WRITE)


class Application(AbstractApplication):
    # AbstractApplication is untyped (Any) to mypy, so django-stubs cannot infer these fields'
    # types; the annotations are quoted because only ForeignKey is subscriptable at run time.
    unit: "models.ForeignKey[OrganisationUnit | None, OrganisationUnit | None]" = models.ForeignKey(
        "organisations.OrganisationUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_applications",
        verbose_name=_("agency (organisation unit)"),
        help_text=_("An agency's system: it sees only the people in this unit and the units below it."),
    )
    partner: "models.ForeignKey[ContentPartner | None, ContentPartner | None]" = models.ForeignKey(
        "organisations.ContentPartner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_applications",
        verbose_name=_("content partner"),
        help_text=_("A partner's system: it sees only the partner's courses and their learners."),
    )
    allowed_scopes: "models.CharField[str, str]" = models.CharField(
        _("scopes it may ask for"),
        max_length=255,
        default=OPENID,
        help_text=_("Separated by spaces, e.g. “learning:read certificates:read”."),
    )
    contact_email: "models.EmailField[str, str]" = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Who to tell when its secret or webhooks need attention."),
    )

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("API application")
        verbose_name_plural = _("API applications")

    @property
    def scope_list(self) -> list[str]:
        """The scopes it may hold now (a partner's never include people's records, whatever
        was typed: `clean` refuses them, and this holds even for a row saved around it)."""
        names = self.allowed_scopes.split()
        if self.partner_id:
            names = [name for name in names if name not in PARTNER_REFUSED_SCOPES]
        return names

    def clean(self) -> None:
        # Messages (lazy strings) and the base class's ValidationErrors, as ValidationError takes them.
        errors: dict[str, list[Any]] = {}
        try:
            super().clean()
        except ValidationError as problem:
            errors.update(problem.update_error_dict({}))
        unknown = [name for name in self.allowed_scopes.split() if name not in SCOPES]
        if unknown:
            errors["allowed_scopes"] = [
                _("Unknown scopes: %(unknown)s. Known scopes: %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(SCOPES)}
            ]
        if self.authorization_grant_type not in (
            self.GRANT_AUTHORIZATION_CODE,
            self.GRANT_CLIENT_CREDENTIALS,
        ):
            errors["authorization_grant_type"] = [
                _(
                    "Thaksa offers the authorization code flow (with PKCE) and client credentials "
                    "only: the implicit, password and hybrid flows expose tokens or passwords."
                )
            ]
        partner_refused = [name for name in self.allowed_scopes.split() if name in PARTNER_REFUSED_SCOPES]
        if self.partner_id and partner_refused:
            errors.setdefault("allowed_scopes", []).append(
                _(
                    "A content partner's application may not have %(scopes)s: partners see their "
                    "learners' names and agencies in reports, never their addresses or profiles."
                )
                % {"scopes": ", ".join(partner_refused)}
            )
        if self.unit_id and self.partner_id:
            errors["partner"] = [_("Choose an agency or a content partner, not both.")]
        if self.authorization_grant_type == self.GRANT_CLIENT_CREDENTIALS and not (
            self.unit_id or self.partner_id
        ):
            errors["unit"] = [
                _(
                    "A server-to-server application (client credentials) acts for nobody who signs "
                    "in: bind it to an agency or a content partner, or it can read nothing."
                )
            ]
        if errors:
            raise ValidationError(errors)
