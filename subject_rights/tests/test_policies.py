"""Every model that holds personal data has a decided export and erasure.

The models come from the model registry (`apps.get_models()`), never from a list in the test:
a new model that links to a person, or has a field named like a personal detail, fails here
until someone adds its policy to subject_rights/policies.py."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from subject_rights.discovery import personal_data_models, personal_fields
from subject_rights.erasure import CUSTOM_ERASERS, person_erase
from subject_rights.export import CUSTOM_EXPORTERS, person_data_collect, policy_model
from subject_rights.policies import (
    ANONYMISE,
    CUSTOM,
    DELETE,
    ERASURE_KINDS,
    KEEP,
    POLICIES,
    POLICIES_BY_MODEL,
    Policy,
)
from subject_rights.tests.scenario import new_person


def test_every_model_holding_personal_data_has_a_policy():
    found = personal_data_models()
    missing = {label: data.reasons for label, data in found.items() if label not in POLICIES_BY_MODEL}
    assert not missing, (
        "These models hold personal data but subject_rights/policies.py does not say how they are "
        f"exported and erased: {missing}"
    )


def test_the_registry_finds_the_known_personal_data():
    """The discovery itself works: links to the user, links through a person's records, and
    personal details by name, in Thaksa's apps and third-party ones."""
    found = personal_data_models()
    for label in (
        "people.User",  # e-mail and names
        "people.LearnerProfile",  # one-to-one to the user
        "scorm.CommitRecord",  # session → attempt → registration → enrolment → user
        "assessments.AttemptItem",  # through the quiz attempt
        "audit.AuditEvent",  # actor and subject, IP address
        "privacy.ConsentRecord",
        "wagtailcore.Revision",
        "wagtailusers.UserProfile",
        "organisations.ContentPartner",  # contact_email, no link to an account
    ):
        assert label in found, label


@pytest.mark.parametrize("link", ["user", "owner"])
def test_a_new_model_linking_to_a_person_fails_until_it_has_a_policy(link):
    """A model nobody has decided about is reported, directly linked or through a person's
    enrolment (as the next SCORM or quiz table would be)."""
    attrs = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"app_label": "undecided_app"}),
        link: models.ForeignKey(get_user_model(), on_delete=models.CASCADE),
    }
    direct = type(f"Undecided{link.title()}", (models.Model,), attrs)
    through = type(
        f"UndecidedRow{link.title()}",
        (models.Model,),
        {
            "__module__": __name__,
            "Meta": type("Meta", (), {"app_label": "undecided_app"}),
            "enrolment": models.ForeignKey("courses.Enrolment", on_delete=models.CASCADE),
            "national_id": models.CharField(max_length=13),
        },
    )
    found = personal_data_models(candidates=[*apps.get_models(), direct, through])
    assert f"undecided_app.{direct.__name__}" in found
    assert f"undecided_app.{through.__name__}" in found
    assert f"undecided_app.{through.__name__}" not in POLICIES_BY_MODEL


def _check_path(model: type[models.Model], path: str) -> None:
    current = model
    for part in path.split("__"):
        field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        if field.is_relation and isinstance(field.related_model, type):
            current = field.related_model
    # A path that does not resolve raises FieldDoesNotExist above.


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: policy.model)
def test_each_policy_is_complete_and_names_real_fields(policy: Policy):
    assert policy.erasure in ERASURE_KINDS
    assert policy.reason.strip()
    model = policy_model(policy)
    if model is None:
        # A policy for an optional app (django-axes) that is not installed here.
        assert not apps.is_installed(policy.app_label), policy.model
        return
    for path in (*(p for p in [policy.subject] if p), *policy.actors, *policy.export):
        try:
            _check_path(model, path)
        except FieldDoesNotExist as error:
            raise AssertionError(f"{policy.model}: {path} is not a field ({error})") from error
    if policy.erasure == CUSTOM:
        assert policy.model in CUSTOM_ERASERS, f"{policy.model} needs an eraser in subject_rights.erasure"
    if policy.erasure in (ANONYMISE, DELETE):
        assert policy.subject, f"{policy.model}: only rows about a person can be anonymised or deleted"
    if policy.subject is None and policy.erasure != KEEP:
        assert policy.model in CUSTOM_ERASERS
    if policy.subject is None and not policy.actors and policy.export:
        assert policy.model in CUSTOM_EXPORTERS, f"{policy.model}: its export needs a custom exporter"


@pytest.mark.parametrize("policy", POLICIES, ids=lambda policy: policy.model)
def test_erasure_misses_no_personal_field(policy: Policy):
    """A field named like a personal detail in a person's rows is either anonymised, deleted
    with the row, or handled by a custom eraser; kept only where no person owns the rows."""
    model = policy_model(policy)
    if model is None or not policy.subject or policy.erasure in (DELETE, CUSTOM):
        return
    left = set(personal_fields(model)) - set(policy.anonymise) - set(policy.keeps)
    assert not left, f"{policy.model}: erasure keeps {left} without saying why (Policy.keeps)"
    assert all(reason.strip() for reason in policy.keeps.values())


def test_every_policy_is_for_a_model_or_an_optional_app():
    labels = {model._meta.label for model in apps.get_models()}
    stale = [
        policy.model
        for policy in POLICIES
        if policy.model not in labels and apps.is_installed(policy.app_label)
    ]
    assert not stale


@pytest.mark.django_db
def test_export_and_erasure_go_through_every_policy():
    """Both walk the whole registry: a policy cannot be declared and then skipped."""
    person = new_person()
    sections = person_data_collect(person=person)
    installed = [policy for policy in POLICIES if policy_model(policy) is not None]
    assert set(sections) == {policy.name for policy in installed if policy.export}
    erasure = person_erase(person=person)
    assert set(erasure.done) == {policy.model for policy in POLICIES}
