"""Outbound addresses: http(s) only, and none that resolves into the desk's own network, checked
when an endpoint is registered and again, after DNS, before each delivery (connecting to the
address that was checked, so a name that rebinds cannot slip past)."""

import socket

import pytest
import urllib3
from django.core.exceptions import ValidationError

from claims import netguard
from claims.models import DeliveryStatus, WebhookDelivery
from claims.webhooks import services as webhook_services
from tests.conftest import make_claim
from tests.webhooks.conftest import Receiver

REFUSED_AT_REGISTRATION = [
    ("http://127.0.0.1/hook", "loopback"),
    ("http://10.0.0.1/hook", "private"),
    ("http://192.168.1.20:8080/hook", "private"),
    ("http://172.16.0.1/hook", "private"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://169.254.10.1/", "link-local"),
    ("http://100.64.0.1/", "shared"),
    ("http://[::1]/hook", "loopback"),
    ("http://[fd00:ec2::254]/", "cloud metadata"),
    ("http://[fc00::1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://localhost:8000/hook", "loopback"),
]


@pytest.fixture
def private_refused(settings):
    settings.FACTCHECK_WEBHOOK_ALLOW_PRIVATE = False


@pytest.mark.usefixtures("private_refused")
@pytest.mark.parametrize(("url", "kind"), REFUSED_AT_REGISTRATION)
def test_an_address_inside_the_network_is_refused_at_registration(editor, url, kind):
    with pytest.raises(ValidationError) as refused:
        webhook_services.webhook_endpoint_create(editor, url=url, event_types=["claim.created"])
    (message,) = refused.value.message_dict["url"]
    assert kind in message
    assert "refused" in message


@pytest.mark.usefixtures("private_refused")
@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://files.example.org/hook", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("javascript:alert(1)", "Only http:// and https://"),
        ("https://user:pw@hooks.example.org/", "no user name or password"),
        ("https:///nohost", "no host name"),
        ("http://[::1/", "not a web address"),
    ],
)
def test_what_is_not_an_http_address_is_refused(editor, url, words):
    with pytest.raises(ValidationError) as refused:
        webhook_services.webhook_endpoint_create(editor, url=url, event_types=["claim.created"])
    assert words in refused.value.message_dict["url"][0]


@pytest.mark.parametrize("address", ["169.254.169.254", "fd00:ec2::254", "0.0.0.0", "ff02::1"])  # noqa: S104
def test_metadata_multicast_and_unspecified_stay_refused_when_private_is_allowed(address):
    assert netguard.refusal(address, allow_private=True)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "::1", "fd12::1", "100.64.1.1"])
def test_private_addresses_pass_when_allowed(address):
    assert netguard.refusal(address, allow_private=True) is None
    assert netguard.refusal(address, allow_private=False)


@pytest.mark.parametrize(
    "address",
    [
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "192.0.2.1",  # documentation: not public
    ],
)
def test_addresses_hiding_a_private_one_are_refused(address):
    assert netguard.refusal(address, allow_private=False)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_pass(address):
    assert netguard.refusal(address, allow_private=False) is None


def public_dns(monkeypatch, answers: dict[str, list[str]]):
    """Resolve the names given as told, as a rebinding DNS server would."""

    def resolve(host, port):
        return answers[host]

    monkeypatch.setattr(netguard, "resolve", resolve)


@pytest.mark.usefixtures("private_refused")
def test_a_name_any_of_whose_addresses_is_private_is_refused(editor, monkeypatch):
    public_dns(monkeypatch, {"hooks.example.org": ["93.184.215.14", "10.0.0.5"]})
    with pytest.raises(ValidationError) as refused:
        webhook_services.webhook_endpoint_create(
            editor, url="https://hooks.example.org/", event_types=["claim.created"]
        )
    assert "10.0.0.5" in refused.value.message_dict["url"][0]


@pytest.mark.usefixtures("private_refused")
def test_a_name_that_does_not_resolve_is_refused(editor, monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(netguard.socket, "getaddrinfo", fail)
    with pytest.raises(ValidationError) as refused:
        webhook_services.webhook_endpoint_create(
            editor, url="https://nowhere.example.org/", event_types=["claim.created"]
        )
    assert "could not be found" in refused.value.message_dict["url"][0]


@pytest.mark.usefixtures("private_refused")
def test_a_name_rebound_to_loopback_after_registration_is_refused_and_nothing_is_sent(
    editor, monkeypatch, settings, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        port = receiver.server.server_port
        public_dns(monkeypatch, {"hooks.example.org": ["93.184.215.14"]})
        endpoint, _secret = webhook_services.webhook_endpoint_create(
            editor, url=f"http://hooks.example.org:{port}/", event_types=["claim.created"]
        )
        public_dns(monkeypatch, {"hooks.example.org": ["127.0.0.1"]})  # the rebinding
        with django_capture_on_commit_callbacks(execute=True):
            make_claim(editor)
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.response_status is None
    assert "127.0.0.1 (loopback)" in delivery.response_excerpt


def test_the_request_goes_to_the_vetted_address_with_the_name_as_host(
    editor, monkeypatch, django_capture_on_commit_callbacks
):
    """The name resolves once, to the receiver on loopback (allowed here); the request goes
    to that address and carries the name, never asking DNS again."""
    with Receiver() as receiver:
        port = receiver.server.server_port
        public_dns(monkeypatch, {"hooks.example.org": ["127.0.0.1"]})
        endpoint, _secret = webhook_services.webhook_endpoint_create(
            editor, url=f"http://hooks.example.org:{port}/in?key=1", event_types=["claim.created"]
        )

        numeric_only = socket.getaddrinfo

        def no_second_lookup(host, *args, **kwargs):
            if host != "127.0.0.1":  # the connection to the vetted address is numeric
                raise AssertionError(f"the request looked up {host} itself")
            return numeric_only(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", no_second_lookup)
        with django_capture_on_commit_callbacks(execute=True):
            make_claim(editor)
    (request,) = receiver.received
    assert request.headers["host"] == f"hooks.example.org:{port}"
    assert request.path == "/in?key=1"
    assert WebhookDelivery.objects.get(endpoint=endpoint).status == DeliveryStatus.DELIVERED


def test_https_checks_the_certificate_against_the_name(monkeypatch):
    """Connecting to a vetted IP must still verify the certificate for the name: a plain HTTP
    server on the other end fails the TLS handshake instead of being talked to."""
    with Receiver() as receiver:
        target = netguard.Target(
            "https", "hooks.example.org", receiver.server.server_port, "/", "127.0.0.1"
        )
        with pytest.raises(urllib3.exceptions.SSLError):
            netguard.post(target, body=b"{}", headers={}, timeout=5)
    assert receiver.received == []
