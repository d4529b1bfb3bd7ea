"""Builds the Thai demo, one idempotent step per domain. Later capabilities add their steps."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from competencies.services.frameworks import frameworks_load_shipped
from demo.accounts import DEMO_PARTNERS, DEMO_PASSWORD, DEMO_PEOPLE, DemoPerson
from demo.api_clients import seed_api_applications
from demo.assessments import seed_assessments
from demo.certificates import seed_certificate_designs, seed_certificates
from demo.courses import seed_courses
from demo.privacy import seed_privacy
from demo.scorm import seed_scorm_lesson
from demo.two_step import seed_two_step
from demo.workforce import seed_workforce
from organisations.models import ContentPartner, OrganisationUnit
from organisations.services import content_partner_update_or_create, organisation_units_import
from people.models import PARTNER_ROLES, Role, RoleGroup, User
from people.services import learner_profile_update_or_create, role_assign, user_update_or_create
from themes.models import SiteBranding
from themes.services import home_page_ensure

UNITS_FILE = Path(settings.BASE_DIR) / "organisations" / "data" / "public_service_units.json"


def refuse_in_production() -> None:
    if settings.THAKSA_ENVIRONMENT == "production":
        raise ImproperlyConfigured(
            "seed_demo creates accounts with a published password and never runs under production settings."
        )


def seed_branding() -> None:
    """Footer and contact details of the demo academy on the default site."""
    site = home_page_ensure().get_site()
    branding = SiteBranding.for_site(site)
    branding.footer_text_th = "สถาบันพัฒนาทักษะดิจิทัลภาครัฐ (ตัวอย่างสาธิต)"
    branding.footer_text_en = "Public Sector Digital Skills Academy (demonstration)"
    branding.contact_email = "help@thaksa.test"
    branding.contact_phone = "0 2000 0000"
    branding.contact_address_th = "ถนนแจ้งวัฒนะ แขวงทุ่งสองห้อง เขตหลักสี่ กรุงเทพมหานคร 10210"
    branding.contact_address_en = "Chaeng Watthana Road, Thung Song Hong, Lak Si, Bangkok 10210"
    branding.save()


def seed_organisations() -> int:
    return organisation_units_import(units=json.loads(UNITS_FILE.read_text(encoding="utf-8")))


def seed_frameworks() -> int:
    """The shipped competency frameworks with their role groups and requirements."""
    return len(frameworks_load_shipped())


def seed_partners() -> int:
    for entry in DEMO_PARTNERS:
        content_partner_update_or_create(**entry)
    return len(DEMO_PARTNERS)


def seed_person(person: DemoPerson) -> User:
    user = user_update_or_create(
        email=person.email,
        password=DEMO_PASSWORD,
        title=person.title,
        first_name=person.first_name,
        last_name=person.last_name,
        first_name_en=person.first_name_en,
        last_name_en=person.last_name_en,
        is_superuser=person.superuser,
    )
    if person.unit_code:
        learner_profile_update_or_create(
            user=user,
            unit=OrganisationUnit.objects.get(code=person.unit_code),
            employment_type=person.employment_type,
            position_title=person.position_title,
            position_type=person.position_type,
            position_level=person.position_level,
            role_group=RoleGroup.objects.filter(code=person.role_group_code).first(),
        )
    for role, scope in person.roles:
        role_assign(
            user=user,
            role=role,
            unit=OrganisationUnit.objects.get(code=scope) if role == Role.HR_MANAGER else None,
            partner=ContentPartner.objects.get(code=scope) if role in PARTNER_ROLES else None,
        )
    return user


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or refresh the whole demo. Running it again changes nothing and duplicates nothing."""
    refuse_in_production()
    seed_branding()
    counts = {
        "organisation units": seed_organisations(),
        "competency frameworks": seed_frameworks(),
        "content partners": seed_partners(),
    }
    for person in DEMO_PEOPLE:
        seed_person(person)
    counts["people"] = len(DEMO_PEOPLE)
    counts["accounts with a second step"] = seed_two_step()
    counts["processing activities"] = seed_privacy()
    counts["certificate designs"] = seed_certificate_designs()
    counts.update(seed_courses())
    counts["SCORM lessons"] = seed_scorm_lesson()
    counts.update(seed_assessments())
    counts["certificates"] = seed_certificates()
    counts.update(seed_workforce())
    counts["API applications"] = seed_api_applications()
    return counts
