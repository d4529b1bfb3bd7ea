"""Which models hold personal data, found from the model registry (never a hand list).

A model holds personal data when one of its own fields
- links to the user model (a foreign key, one-to-one or many-to-many),
- links to a model whose rows belong to a person (a model whose policy names a `subject`,
  such as LearnerProfile, Enrolment or a SCORM Registration), or
- is a personal detail by its name or type: names, e-mail addresses, employee numbers, IP
  addresses, browsers, telephone and national id numbers.

Only a model's own fields count: a course page inherits Wagtail's `owner` from `Page`, whose
policy covers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from subject_rights.policies import POLICIES_BY_MODEL, Policy

PERSONAL_FIELD_NAME = re.compile(
    r"(^|_)(first_name|last_name|given_name|family_name|full_name|holder_name|e?mail|e_mail|username"
    r"|employee_number|ip_address|user_agent|phone|mobile|national_id|citizen_id|id_card|birth_date"
    r"|date_of_birth)(_|$)"
)
PERSONAL_FIELD_TYPES = (models.EmailField, models.GenericIPAddressField)


@dataclass(frozen=True)
class PersonalData:
    model: type[models.Model]
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


def _own_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [*model._meta.local_fields, *model._meta.local_many_to_many]


def personal_fields(model: type[models.Model]) -> list[str]:
    """The model's own fields that hold a personal detail by their name or type."""
    return [
        field.name
        for field in _own_fields(model)
        if not field.is_relation
        and (isinstance(field, PERSONAL_FIELD_TYPES) or PERSONAL_FIELD_NAME.search(field.name))
    ]


def personal_data_models(
    *,
    candidates: Iterable[type[models.Model]] | None = None,
    policies: Mapping[str, Policy] = POLICIES_BY_MODEL,
) -> dict[str, PersonalData]:
    """Every model (of `candidates`, by default the whole registry) that holds personal data,
    by label, with why. Links through person-owned models are followed as far as policies
    say a model's rows belong to a person."""
    user_model = get_user_model()
    candidates = list(apps.get_models() if candidates is None else candidates)
    found: dict[str, PersonalData] = {}
    changed = True
    while changed:
        changed = False
        owned = {
            label
            for label in found
            if label == user_model._meta.label or (label in policies and policies[label].subject)
        }
        for model in candidates:
            if model._meta.label in found:
                continue
            reasons: list[str] = []
            for field in _own_fields(model):
                related = field.related_model if field.is_relation else None
                if related is None or (field.auto_created and not field.concrete):
                    continue
                related_label = related._meta.label  # type: ignore[union-attr]
                if related is user_model:
                    reasons.append(f"{field.name} links to a person")
                elif related_label in owned and related is not model:
                    reasons.append(f"{field.name} links to {related_label}, which belongs to a person")
            reasons.extend(f"{name} is a personal detail" for name in personal_fields(model))
            if reasons:
                found[model._meta.label] = PersonalData(model, tuple(reasons))
                changed = True
    return found
