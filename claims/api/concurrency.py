"""Optimistic concurrency the HTTP way: a claim's ``ETag`` is its version; the writes the desk
UI checks against the version a person saw take it back in ``If-Match``.

A missing ``If-Match`` is 428 (the client must say what it based the write on); a version that
is not the claim's is handed to the service as ``expected_version``, which decides, as for the
UI, whether what changed since undoes the write (``ClaimConflict``, answered 412).
"""

import re

from django.utils.translation import gettext as _

from claims.models import Claim

from .problems import PreconditionFailed, PreconditionRequired

_ETAG = re.compile(r'^"claim-(?P<claim>\d+)-v(?P<version>\d+)"$')


def claim_etag(claim: Claim) -> str:
    """A strong entity tag for the claim as it is now."""
    return f'"claim-{claim.pk}-v{claim.version}"'


def with_etag(response, claim: Claim):
    response["ETag"] = claim_etag(claim)
    return response


def expected_version(request, claim: Claim) -> int:
    """The version of ``claim`` the request's ``If-Match`` names; 428 without one, 412 for a
    tag that is not one of this claim's (another claim's, a weak or a made-up one)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    for tag in (part.strip() for part in header.split(",")):
        if tag == "*":
            continue  # "any version" is no basis for a write that must know which it read
        match = _ETAG.match(tag)
        if match and int(match["claim"]) == claim.pk:
            return int(match["version"])
    raise PreconditionFailed(
        _("If-Match names no version of this claim; read the claim again for its ETag.")
    )
