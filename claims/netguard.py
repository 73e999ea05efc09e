"""Outbound HTTP to addresses people type in, refused when they lead into the desk's own network.

Hand-written because no well-kept library pins urllib3 to an address it vetted (advocate, the
one that did it for requests, is unmaintained). A URL is checked twice: when it is registered
(``check_url``, a form's error) and before each request (``vet``), after DNS, and the request
then connects to the vetted IP itself with the name in ``Host``, SNI and the certificate check,
so a name that resolves differently a second later (DNS rebinding) cannot slip past.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Never a receiver, whatever the desk allows: the cloud's instance metadata (credentials).
METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT, RFC 6598
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: an IPv4 address inside

EXCERPT_BYTES = 1024  # what is read of an answer, for the log; the rest is never fetched


class AddressRefused(Exception):
    """The URL may not be requested: its scheme, or an address its host resolves to."""


@dataclass(frozen=True)
class Target:
    """A URL whose host resolved to ``address``, which passed the checks."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (one lookup; tests replace this to rebind DNS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise AddressRefused(
            _("The host name %(host)s could not be found.") % {"host": host}
        ) from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_ipv4(ip):
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo, NAT64), if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def refusal(address: str, *, allow_private: bool) -> str | None:
    """Why ``address`` may not be requested, in a word or two; None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    # The IPv4 address inside first, so its kind names the refusal; then the address itself.
    for candidate in filter(None, (_embedded_ipv4(ip), ip)):
        if candidate in METADATA:
            return _("cloud metadata")
        if candidate.is_unspecified:
            return _("unspecified")
        if candidate.is_multicast:
            return _("multicast")
        if allow_private:
            continue
        if candidate.is_loopback:
            return _("loopback")
        if candidate.is_link_local:
            return _("link-local")
        if candidate in SHARED:
            return _("shared (carrier-grade NAT)")
        if candidate.is_private:
            return _("private")
        if candidate.is_reserved:
            return _("reserved")
        if not candidate.is_global:
            return _("not public")
    return None


def _split(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise AddressRefused(_("This is not a web address.")) from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise AddressRefused(_("Only http:// and https:// addresses can be used."))
    if not parts.hostname:
        raise AddressRefused(_("The address has no host name."))
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(_("Put no user name or password in the address."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def vet(url: str, *, allow_private: bool) -> Target:
    """Resolve ``url``'s host now and return where to connect; AddressRefused if its scheme is
    not http(s) or any address the host resolves to is refused."""
    scheme, host, port, path = _split(url)
    addresses = resolve(host, port)
    if not addresses:
        raise AddressRefused(_("The host name %(host)s could not be found.") % {"host": host})
    for address in addresses:
        reason = refusal(address, allow_private=allow_private)
        if reason:
            raise AddressRefused(
                _("%(host)s resolves to %(address)s (%(kind)s): that address is refused.")
                % {"host": host, "address": address, "kind": reason}
            )
    return Target(scheme, host, port, path, addresses[0])


def check_url(url: str, *, allow_private: bool) -> None:
    """``vet`` for a form or service: a ValidationError on ``url`` instead."""
    try:
        vet(url, allow_private=allow_private)
    except AddressRefused as error:
        raise ValidationError({"url": str(error)}) from error


def post(target: Target, *, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST ``body`` to the vetted address, following no redirect and retrying nothing; the
    status and the start of the answer. Network errors are urllib3's own (HTTPError)."""
    options = {"timeout": urllib3.Timeout(total=timeout), "retries": False, "maxsize": 1}
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(target.address, target.port, **options)
    with pool:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            start = response.read(EXCERPT_BYTES)
        finally:
            response.close()
    return Answer(response.status, start.decode("utf-8", errors="replace"))
