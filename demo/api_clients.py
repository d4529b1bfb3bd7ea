"""The demo's two API applications, with credentials printed in the README so that the
example `curl` calls work on a fresh `make run` (demo only: seed_demo refuses production)."""

from api.models import Application
from organisations.models import ContentPartner, OrganisationUnit

# (client id, secret, name, unit code, partner code, scopes)
DEMO_APPLICATIONS = [
    (
        "demo-nso-hr-system",
        "demo-nso-hr-system-secret-2569",
        "ระบบบริหารบุคคล สำนักงานสถิติแห่งชาติ (HR system)",
        "MDES-NSO",
        None,
        "people:read people:write learning:read enrolments:write certificates:read competencies:read "
        "analytics:read",
    ),
    (
        "demo-chula-enrolment",
        "demo-chula-enrolment-secret-2569",
        "ระบบลงทะเบียน จุฬาลงกรณ์มหาวิทยาลัย (partner enrolment)",
        None,
        "chula",
        "learning:read enrolments:write certificates:read",
    ),
]


def seed_api_applications() -> int:
    for client_id, secret, name, unit_code, partner_code, scopes in DEMO_APPLICATIONS:
        application = Application.objects.filter(client_id=client_id).first() or Application(
            client_id=client_id
        )
        application.name = name
        application.client_type = Application.CLIENT_CONFIDENTIAL
        application.authorization_grant_type = Application.GRANT_CLIENT_CREDENTIALS
        application.unit = OrganisationUnit.objects.get(code=unit_code) if unit_code else None
        application.partner = ContentPartner.objects.get(code=partner_code) if partner_code else None
        application.allowed_scopes = scopes
        application.client_secret = secret  # hashed when saved
        application.full_clean(exclude=["client_secret"])
        application.save()
    return len(DEMO_APPLICATIONS)
