"""API applications and webhook subscriptions for the webhooks tests, and a real receiver."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from factory.declarations import LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from api.models import Application
from api.scopes import CERTIFICATES_READ, LEARNING_READ
from webhooks.models import EventType, Subscription


class ApplicationFactory(DjangoModelFactory[Application]):
    class Meta:
        model = Application

    name = Sequence(lambda n: f"HR system {n}")
    client_type = Application.CLIENT_CONFIDENTIAL
    authorization_grant_type = Application.GRANT_CLIENT_CREDENTIALS
    allowed_scopes = f"{LEARNING_READ} {CERTIFICATES_READ}"


class SubscriptionFactory(DjangoModelFactory[Subscription]):
    class Meta:
        model = Subscription

    application = SubFactory(ApplicationFactory)
    target_url = "https://hr.example.go.th/thaksa-events"
    event_types = LazyFunction(lambda: list(EventType.values))


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """An HTTP server on the loopback interface that answers the codes in `answers` in turn
    (then 200) and keeps what it received."""

    url: str = ""
    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)


def receiver_running() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(
                Received(body=body, headers={k.lower(): v for k, v in self.headers.items()})
            )
            code = state.answers.pop(0) if state.answers else 200
            answer = b"thanks" if code < 300 else b"receiver unwell"
            self.send_response(code)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/thaksa-events"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
