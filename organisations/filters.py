"""Admin filters over the organisation tree."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from organisations.forms import UnitChoiceField
from organisations.models import OrganisationUnit, within_units


class WithinUnitFilter(django_filters.ModelChoiceFilter):
    """A unit and everything below it: "everyone in the Ministry of Finance".

    `through` is the way from the filtered model to its unit (see `within_units`)."""

    field_class = UnitChoiceField

    def __init__(
        self, *, through: str = "", units: QuerySet[OrganisationUnit] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("label", _("Within unit"))
        super().__init__(
            queryset=(units if units is not None else OrganisationUnit.objects.all()).order_by("path"),
            method=lambda queryset, name, unit: queryset.filter(within_units([unit.path], through=through)),
            **kwargs,
        )
