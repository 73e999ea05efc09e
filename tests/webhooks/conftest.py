"""What the webhook tests share: a real HTTP receiver on loopback that answers as a test
scripts it and keeps what it was sent, and an endpoint registered for it through the service."""

import http.server
import threading
from dataclasses import dataclass

import pytest

from claims.models import WebhookEventType
from claims.webhooks import services


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """An HTTP server on 127.0.0.1 (port 0: the system picks one) in a thread of its own.

    ``answers`` is the status of each request in turn (then 200 for the rest); ``received``
    holds every request as it arrived, headers with their names in lower case.
    """

    def __init__(self):
        self.answers: list[int] = []
        self.received: list[Received] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                receiver.received.append(
                    Received(
                        self.path,
                        {name.lower(): value for name, value in self.headers.items()},
                        self.rfile.read(length),
                    )
                )
                status = receiver.answers.pop(0) if receiver.answers else 200
                body = b"ok" if status < 300 else b"receiver says no"
                self.send_response(status)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/factcheck"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


@pytest.fixture
def desk_address(settings):
    settings.FACTCHECK_SITE_URL = "https://desk.example.org"


def register(owner, url, event_types=None, description=""):
    """An endpoint made through the service: (endpoint, secret)."""
    return services.webhook_endpoint_create(
        owner,
        url=url,
        event_types=list(event_types or WebhookEventType.values),
        description=description,
    )


@pytest.fixture
def endpoint_and_secret(editor, receiver):
    """An endpoint for ``receiver`` subscribed to every type, owned by Edna."""
    editor.email = "edna@example.org"
    editor.save(update_fields=["email"])
    return register(editor, receiver.url)


@pytest.fixture
def endpoint(endpoint_and_secret):
    return endpoint_and_secret[0]
