"""What the views of a claim's parts share: finding the claim and the part in the URL, and
answering with the claim's ETag.

The ETag of every answer about a claim or one of its parts (evidence, an assignment, a proposal,
a comment) is the claim's: the parts have no version of their own, and the claim's is what the
next write that needs ``If-Match`` will ask for.
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from claims.models import Claim

from .concurrency import with_etag


def claim_or_404(claim_id) -> Claim:
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        raise exceptions.NotFound(_("There is no claim with this number."))
    return claim


def part_or_404(model, claim: Claim, pk):
    """The claim's evidence link, assignment, proposal or comment numbered ``pk``; another
    claim's is not found here either."""
    part = model.objects.filter(pk=pk, claim_id=claim.pk).first()
    if part is None:
        raise exceptions.NotFound(
            _("This claim has no %(part)s with this number.") % {"part": model._meta.verbose_name}
        )
    return part


def part_response(serializer_class, part, *, status_code=200, context=None) -> Response:
    """``part`` written by ``serializer_class``, with its claim's ETag as it is now."""
    response = Response(serializer_class(part, context=context or {}).data, status=status_code)
    return with_etag(response, Claim.objects.only("id", "version").get(pk=part.claim_id))
