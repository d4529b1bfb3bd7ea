"""The Thai public service's classifications of people, as the Civil Service Act B.E. 2551 has them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Title(models.TextChoices):
    """Name titles. Thai forms are the Thai translation of each label."""

    MR = "mr", _("Mr.")
    MRS = "mrs", _("Mrs.")
    MISS = "miss", _("Miss")
    DR = "dr", _("Dr.")
    ASST_PROF = "asst_prof", _("Asst. Prof.")
    ASST_PROF_DR = "asst_prof_dr", _("Asst. Prof. Dr.")
    ASSOC_PROF = "assoc_prof", _("Assoc. Prof.")
    ASSOC_PROF_DR = "assoc_prof_dr", _("Assoc. Prof. Dr.")
    PROF = "prof", _("Prof.")
    PROF_DR = "prof_dr", _("Prof. Dr.")
    ACTING_SUB_LT = "acting_sub_lt", _("Acting Sub Lt.")


class EmploymentType(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    GOVERNMENT_EMPLOYEE = "government_employee", _("Government employee")
    PERMANENT_EMPLOYEE = "permanent_employee", _("Permanent employee")
    PUBLIC_ORGANISATION_STAFF = "public_organisation_staff", _("Public organisation staff")


class PositionType(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    MANAGERIAL = "managerial", _("Managerial")
    KNOWLEDGE_WORKER = "knowledge_worker", _("Knowledge worker")
    GENERAL = "general", _("General")


class PositionLevel(models.TextChoices):
    EXECUTIVE_PRIMARY = "executive_primary", _("Executive – primary")
    EXECUTIVE_HIGHER = "executive_higher", _("Executive – higher")
    MANAGERIAL_PRIMARY = "managerial_primary", _("Managerial – primary")
    MANAGERIAL_HIGHER = "managerial_higher", _("Managerial – higher")
    PRACTITIONER = "practitioner", _("Practitioner")
    PROFESSIONAL = "professional", _("Professional")
    SENIOR_PROFESSIONAL = "senior_professional", _("Senior professional")
    EXPERT = "expert", _("Expert")
    ADVISORY = "advisory", _("Advisory")
    OPERATIONAL = "operational", _("Operational")
    EXPERIENCED = "experienced", _("Experienced")
    SENIOR = "senior", _("Senior")
    HIGHLY_SKILLED = "highly_skilled", _("Highly skilled")


LEVELS_BY_POSITION_TYPE: dict[str, list[str]] = {
    PositionType.EXECUTIVE: [PositionLevel.EXECUTIVE_PRIMARY, PositionLevel.EXECUTIVE_HIGHER],
    PositionType.MANAGERIAL: [PositionLevel.MANAGERIAL_PRIMARY, PositionLevel.MANAGERIAL_HIGHER],
    PositionType.KNOWLEDGE_WORKER: [
        PositionLevel.PRACTITIONER,
        PositionLevel.PROFESSIONAL,
        PositionLevel.SENIOR_PROFESSIONAL,
        PositionLevel.EXPERT,
        PositionLevel.ADVISORY,
    ],
    PositionType.GENERAL: [
        PositionLevel.OPERATIONAL,
        PositionLevel.EXPERIENCED,
        PositionLevel.SENIOR,
        PositionLevel.HIGHLY_SKILLED,
    ],
}
