"""Issue the certificates of completed enrolments that have none (after an outage, or for
courses completed before certificates were switched on)."""

from django.core.management.base import BaseCommand

from certificates.services.issuance import certificate_issue, enrolments_without_certificate


class Command(BaseCommand):
    help = "Issue every certificate that completed enrolments are owed."

    def handle(self, *args, **options):
        issued = 0
        for enrolment_id in enrolments_without_certificate():
            certificate = certificate_issue(enrolment_id=enrolment_id)
            if certificate is not None and certificate.enrolment_id == enrolment_id:
                issued += 1
        self.stdout.write(f"Issued {issued} certificate(s).")
