"""Certificate issuance benchmark: time per certificate, end to end, against the raw
ReportLab + pyHanko floor measured in the same run (certificates.md: ~54 ms on one core).

End to end is `certificate_issue` for a completed enrolment: lock, snapshot, draw the PDF,
sign the credential (eddsa-rdfc-2022), embed it, PAdES-sign the PDF, store the file and the
row. The floor is only drawing the same certificate and PAdES-signing it with the same key.
Run with `make bench`; results go to bench-results/certificate-issuance.json.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CERTIFICATES = int(os.environ.get("BENCH_CERTIFICATES", "60"))
WARMUP = 5


def _summary(durations: list[float]) -> dict:
    ordered = sorted(durations)
    return {
        "count": len(durations),
        "mean_ms": round(statistics.fmean(durations) * 1000, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
        "per_second": round(len(durations) / sum(durations), 1),
    }


def main() -> dict:
    from certificates import documents, keys, rendering
    from certificates.signing import development_pki, pdf_signing

    setup_test_environment()
    development_pki.dev_keys_ensure(Path(settings.CERTIFICATES_KEYS_DIR), organisation="Thaksa (bench)")
    keys.keys_forget()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from certificates.models import Certificate
        from certificates.services.issuance import certificate_issue
        from courses.events import course_completed
        from courses.tests.factories import complete, course_with_lessons
        from people.tests.factories import learner

        # Completing here must not issue yet (the event would, in-process): issuing is what is timed.
        course_completed.disconnect(dispatch_uid="certificates.issue_on_completion")
        course = course_with_lessons(lessons=1, title_en="Benchmark course", validity_months=24)
        enrolments = [
            complete(learner(email=f"bench{n}@example.test"), course) for n in range(CERTIFICATES + WARMUP)
        ]
        end_to_end = []
        for number, enrolment in enumerate(enrolments):
            started = time.perf_counter()
            certificate_issue(enrolment_id=enrolment.pk)
            if number >= WARMUP:
                end_to_end.append(time.perf_counter() - started)
        sample = Certificate.objects.first()
        text, design, labels = (
            documents.certificate_text(sample),
            documents.design_of(None),
            documents.labels(),
        )
        setup = keys.signing_setup()
        floor = []
        for number in range(CERTIFICATES + WARMUP):
            started = time.perf_counter()
            pdf = rendering.certificate_pdf(text, design, labels)
            pdf_signing.pdf_sign(
                pdf, attachments=[], setup=setup, reason="bench", location="bench", signer_name="b"
            )
            if number >= WARMUP:
                floor.append(time.perf_counter() - started)
        issued = Certificate.objects.count()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    floor_summary, issue_summary = _summary(floor), _summary(end_to_end)
    return {
        "benchmark": "certificate-issuance",
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "pades_level": settings.CERTIFICATES_SIGNING["LEVEL"],
        "certificates_issued": issued,
        "floor_reportlab_plus_pyhanko": floor_summary,
        "certificate_issue_end_to_end": issue_summary,
        "mean_ratio_to_floor": round(issue_summary["mean_ms"] / floor_summary["mean_ms"], 2),
    }


if __name__ == "__main__":
    results = main()
    out = ROOT / "bench-results" / "certificate-issuance.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
