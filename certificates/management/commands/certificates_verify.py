"""manage.py certificates_verify PDF [--json]: the verification page's verdict on a file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from certificates.services.verification import pdf_verify


class Command(BaseCommand):
    help = "Is a PDF a genuine Thaksa certificate, altered, or not ours? Exit status 0 only if genuine."

    def add_arguments(self, parser):
        parser.add_argument("pdf", type=Path)
        parser.add_argument("--json", action="store_true", help="Print the verdict as JSON.")

    def handle(self, *args, pdf: Path, json: bool, **options):
        try:
            data = pdf.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {pdf}: {error.strerror}") from error
        verdict = pdf_verify(data)
        with translation.override("en"):
            explanation = verdict.explanation
        certificate = verdict.certificate
        if json:
            self.stdout.write(_as_json(verdict, explanation))
        else:
            self.stdout.write(f"{verdict.verdict.upper()}: {explanation}")
            self.stdout.write(f"SHA-256: {verdict.sha256}")
            if verdict.signer:
                self.stdout.write(f"Signed by: {verdict.signer}")
            if certificate is not None:
                self.stdout.write(
                    f"Certificate: {certificate.number} ({certificate.public_status}), "
                    f"{certificate.content['course_title']['en']}"
                )
            for problem in verdict.problems:
                self.stdout.write(f"- {problem}")
        if not verdict.genuine:
            raise SystemExit(1)


def _as_json(verdict, explanation: str) -> str:
    certificate = verdict.certificate
    return json.dumps(
        {
            "verdict": verdict.verdict,
            "explanation": explanation,
            "sha256": verdict.sha256,
            "signer": verdict.signer,
            "certificate": None
            if certificate is None
            else {
                "number": certificate.number,
                "status": certificate.public_status,
                "public_id": certificate.public_id,
            },
            "problems": list(verdict.problems),
        },
        ensure_ascii=False,
        indent=2,
    )
