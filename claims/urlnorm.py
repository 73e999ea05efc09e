"""Evidence URLs: only http(s), and one normal form so one page is not added twice.

Written here because no well-kept library normalizes for this job: url-normalize and w3lib
rewrite what a desk must keep (query order and escapes that servers read, IPv6 brackets) or do
not refuse what would open one site while showing another (backslashes, user info, invisible
characters); this builds on the standard library's parser and Django's URLValidator.
"""

import re
import string
import unicodedata
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ALLOWED_SCHEMES = ("http", "https")

# Unicode categories no address needs and that make one read as another: controls, invisible
# formatting (right-to-left overrides among them), separators, unassigned and private code points.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"})


@deconstructible
class HttpURLValidator(URLValidator):
    """Django's URL check for http(s), refusing too what would send a reader elsewhere than the
    address the desk shows and records (each with a code of its own, so that a form's message
    for a malformed address does not replace the reason).

    A backslash is a path separator to browsers but part of the user name to Python's parser,
    so ``https://evil.example\\@news.example/`` would be filed under one site and open another;
    a user name or password makes ``https://news.example@evil.example/`` read as the wrong site
    (and would publish a password); hidden characters make two addresses look alike.
    """

    def __call__(self, value):
        if isinstance(value, str):
            if "\\" in value:
                raise ValidationError(
                    _("A web address cannot contain a backslash (\\)."), code="backslash"
                )
            if _has_hidden_characters(value):
                raise ValidationError(
                    _("The address contains spaces or invisible characters."),
                    code="hidden_characters",
                )
        super().__call__(value)
        if "@" in value and urlsplit(value).username is not None:
            raise ValidationError(
                _("Leave out the user name and password before the @ in the address."),
                code="credentials",
            )


def _has_hidden_characters(value: str) -> bool:
    if value.isascii():  # the usual case, without a look-up per character
        return " " in value or not value.isprintable()
    return any(unicodedata.category(char) in _HIDDEN_CATEGORIES for char in value)


validate_http_url = HttpURLValidator(
    schemes=list(ALLOWED_SCHEMES),
    message=_("Enter a full web address starting with http:// or https://."),
)

# Query parameters that only say how a reader arrived, never which page it is.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = {"fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid", "igshid"}
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_PRINTABLE_ASCII = "".join(chr(code) for code in range(33, 127))
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")


def normalize_url(url: str) -> str:
    """The comparable form of an http(s) URL.

    Lower-cases scheme and host (international names in their ASCII form), drops default ports,
    fragments, tracking parameters and a trailing slash, writes the path's escapes one way and
    resolves its dot segments (RFC 3986, 6.2.2), and sorts the query, so that links to the same
    page compare equal. The path keeps its case because servers may treat it as significant.
    """
    url = url.strip()
    validate_http_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise ValidationError(validate_http_url.message, code="invalid")
    try:
        port = parts.port
    except ValueError as error:
        raise ValidationError(_("The address has an invalid port."), code="invalid") from error
    host = _normal_host(parts.hostname or "")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _normal_path(parts.path or "/")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    # Escapes that are not UTF-8 are kept byte for byte rather than read as a stand-in character.
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(
                parts.query, keep_blank_values=True, errors="surrogateescape"
            )
            if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING_NAMES
        ),
        errors="surrogateescape",
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def _normal_host(host: str) -> str:
    host = host.rstrip(".")
    if ":" in host:  # an IPv6 address, which keeps its brackets
        return f"[{host.lower()}]"
    if host.isascii():
        return host.lower()
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise ValidationError(_("The address has an invalid host name."), code="invalid") from error


def _normal_path(path: str) -> str:
    """Non-ASCII characters as UTF-8 escapes, escapes of unreserved characters decoded and the
    others in upper case, and ``.`` and ``..`` segments resolved."""
    if path.isascii() and "%" not in path and "/." not in path:
        return path  # nothing to rewrite, as in most addresses
    path = quote(path, safe=_PRINTABLE_ASCII)
    path = _ESCAPE.sub(_normal_escape, path)
    segments: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(segments) > 1:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    if path.endswith(("/.", "/..")):
        segments.append("")
    normal = "/".join(segments)
    return normal if normal.startswith("/") else "/" + normal


def _normal_escape(match: re.Match) -> str:
    char = chr(int(match[1], 16))
    return char if char in _UNRESERVED else "%" + match[1].upper()
