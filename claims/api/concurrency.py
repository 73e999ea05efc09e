"""Optimistic concurrency the HTTP way: a claim's ``ETag`` is its version; the writes the desk
UI checks against the version a person saw take it back in ``If-Match``.

A missing ``If-Match`` is 428 (the client must say what it based the write on); a version that
is not the claim's is handed to the service as ``expected_version``, which decides, as for the
UI, whether what changed since undoes the write (``ClaimConflict``, answered 412). A source's
edits take the source's own ETag the same way.
"""

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions

from claims.models import Claim, Source

from .problems import PreconditionFailed, PreconditionRequired

# If-Match as RFC 9110 writes entity tags (strong or weak), separated by commas; "*" aside.
IF_MATCH_SYNTAX = r'^\s*(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*\s*$'
_IF_MATCH = re.compile(IF_MATCH_SYNTAX)
_ETAG = re.compile(r'^"(?P<kind>claim|source)-(?P<pk>\d+)-v(?P<version>\d+)"$')


def claim_etag(claim: Claim) -> str:
    """A strong entity tag for the claim as it is now."""
    return f'"claim-{claim.pk}-v{claim.version}"'


def source_etag(source: Source) -> str:
    """A source has a version of its own, which its edits are checked against."""
    return f'"source-{source.pk}-v{source.version}"'


def with_etag(response, claim: Claim):
    response["ETag"] = claim_etag(claim)
    return response


def expected_version(request, claim: Claim) -> int:
    """The version of ``claim`` the request's ``If-Match`` names; 428 without one (or with
    "*", which names none), 412 for a tag that is not one of this claim's (another claim's, a
    weak or a made-up one), 400 for a header that is no list of entity tags."""
    return _named_version(request, "claim", claim.pk)


def expected_source_version(request, source: Source) -> int:
    """As ``expected_version``, for a source's edit."""
    return _named_version(request, "source", source.pk)


def _named_version(request, kind: str, pk: int) -> int:
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        # "Any version" is no basis for a write that must know which one it read.
        raise PreconditionRequired(
            _("Send If-Match with the %(kind)s's ETag, as read from it.") % {"kind": kind}
        )
    if not _IF_MATCH.match(header):
        raise exceptions.ValidationError(
            {"If-Match": [_('Write If-Match as an entity tag, e.g. "claim-1-v3".')]}
        )
    for tag in (part.strip() for part in header.split(",")):
        match = _ETAG.match(tag)
        if match and match["kind"] == kind and int(match["pk"]) == pk:
            return int(match["version"])
    raise PreconditionFailed(
        _("If-Match names no version of this %(kind)s; read it again for its ETag.")
        % {"kind": kind}
    )
