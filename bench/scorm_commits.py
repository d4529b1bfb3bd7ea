"""SCORM commit benchmark: commits per second and latency of the real endpoint, against a
bare Django JSON view measured in the same run (so the ratio means something on any machine).

Run with `make bench`. It builds a throwaway test database (SQLite file, or PostgreSQL when
DATABASE_URL is set), launches a SCORM 2004 package for a learner, then sends commits at the
limits a commit may reach (scorm.commit_payload): 250 interactions and 64 000 characters of
(Thai) suspend data, with the location, score and two interactions changing each time,
through Django's test client and the full middleware stack, one after another as one
learner's autocommits would arrive. The floor is a trivial JSON view behind the same
middleware, sent a body of the same size. Results go to bench-results/scorm-commits.json;
it runs in well under a minute (BENCH_COMMITS scales it).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()


from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

COMMITS = int(os.environ.get("BENCH_COMMITS", "150"))
INTERACTIONS = 250
SUSPEND_DATA_CHARS = 64_000
WARMUP = 20


def _timed(send, count: int) -> list[float]:
    durations = []
    for number in range(count):
        started = time.perf_counter()
        send(number)
        durations.append(time.perf_counter() - started)
    return durations


def _summary(durations: list[float]) -> dict:
    ordered = sorted(durations)
    return {
        "requests": len(durations),
        "per_second": round(len(durations) / sum(durations), 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def main() -> dict:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(ROOT_URLCONF="bench.urls", CELERY_TASK_ALWAYS_EAGER=True):
            from courses.tests.factories import enrolled
            from people.tests.factories import UserFactory
            from scorm.tests.factories import launch, package_ready, scorm_lesson
            from scorm.tokens import Grant, commit_token

            lesson = scorm_lesson(package=package_ready(version="2004").package)
            session = launch(enrolled(UserFactory(), lesson), lesson).session
            url = reverse("scorm:commit", args=[commit_token(Grant.for_session(session))])
            host = urlsplit(settings.SCORM_CONTENT_ORIGIN).netloc or "testserver"
            client = Client(HTTP_HOST=host)  # commits answer on the content origin only
            app_client = Client()

            def body(number: int) -> str:
                interactions = [
                    {
                        "id": f"urn:thaksa:question-{i}",
                        "type": "choice",
                        "description": f"คำถามข้อที่ {i}",
                        "learner_response": "b" if i not in (number % 250, (number + 1) % 250) else "c",
                        "correct_responses": [{"pattern": "b"}],
                        "result": "correct",
                        "latency": "PT12S",
                    }
                    for i in range(INTERACTIONS)
                ]
                suspend = (str(number) + "ก" * SUSPEND_DATA_CHARS)[:SUSPEND_DATA_CHARS]
                return json.dumps(
                    {
                        "runtimeData": {
                            "cmi": {
                                "location": f"slide-{number}",
                                "completion_status": "incomplete",
                                "score": {"scaled": str((number % 100) / 100)},
                                "session_time": "PT1S",
                                "suspend_data": suspend,
                                "interactions": interactions,
                            }
                        },
                        "commitSequence": number + 1,
                    },
                    ensure_ascii=False,
                )

            bodies = [body(number) for number in range(COMMITS)]
            filler = json.dumps({"filler": "ก" * len(bodies[0])}, ensure_ascii=False)

            def commit(number: int) -> None:
                response = client.post(url, data=bodies[number], content_type="text/plain")
                assert response.status_code == 200, response.content

            def bare(_number: int) -> None:
                response = app_client.post("/bench/bare/", data=filler, content_type="text/plain")
                assert response.status_code == 200

            _timed(bare, WARMUP)
            floor = _summary(_timed(bare, COMMITS))
            endpoint = _summary(_timed(commit, COMMITS))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return {
        "benchmark": "scorm-commits",
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "commit": {
            "interactions": INTERACTIONS,
            "suspend_data_chars": SUSPEND_DATA_CHARS,
            "body_bytes": len(bodies[0].encode()),
        },
        "bare_json_view": floor,
        "scorm_commit_endpoint": endpoint,
        "throughput_ratio_to_floor": round(endpoint["per_second"] / floor["per_second"], 3),
        "p50_latency_ratio_to_floor": round(endpoint["p50_ms"] / floor["p50_ms"], 1),
    }


if __name__ == "__main__":
    results = main()
    out = ROOT / "bench-results" / "scorm-commits.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
