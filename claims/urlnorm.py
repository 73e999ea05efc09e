"""Evidence URLs: only http(s), and one normal form so one page is not added twice."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

ALLOWED_SCHEMES = ("http", "https")
validate_http_url = URLValidator(
    schemes=list(ALLOWED_SCHEMES),
    message=_("Enter a full web address starting with http:// or https://."),
)

# Query parameters that only say how a reader arrived, never which page it is.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = {"fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid", "igshid"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """The comparable form of an http(s) URL.

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters and a trailing
    slash, and sorts the query, so that links to the same page compare equal. The path keeps its
    case because servers may treat it as significant.
    """
    url = url.strip()
    validate_http_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise ValidationError(validate_http_url.message, code="invalid")
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError as error:
        raise ValidationError(_("The address has an invalid port."), code="invalid") from error
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING_NAMES
        )
    )
    return urlunsplit((scheme, netloc, path, query, ""))
