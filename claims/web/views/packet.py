"""A claim's review packet: the printable report's page of the claim, with its discussion and
its whole history, for the desk (it carries internal comments: never for the public)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from claims.interchange.exports import html as report
from claims.interchange.exports.reader import ExportSelection, iter_claims
from claims.selectors import claim_page
from claims.selectors.comments import visible_comments
from claims.web.views.access import claim_or_404, require_reader


@require_GET
@report.allow_report_assets
def review_packet(request, pk):
    """The report's claim (``report_claim.html``, read as the report reads it), then the
    comments and the history as the claim page shows them to this user."""
    require_reader(request.user)
    claim = claim_or_404(pk)
    selection = ExportSelection([claim.pk], user=request.user)
    record = next(iter_claims(selection, include=report.INCLUDE), None)
    if record is None:  # deleted since it was read a line above
        raise Http404
    timeline = claim_page.claim_timeline(claim, request.user)
    context = {
        **report.claim_context(record),
        "organization": settings.FACTCHECK_ORGANIZATION_NAME,
        "generated_at": timezone.now(),
        "comments": visible_comments(claim, request.user),
        "timeline": list(reversed(timeline)),  # oldest first: a packet reads as a story
        "back_url": claim.get_absolute_url(),
        **report.report_assets(),
    }
    return render(request, "claims/review_packet.html", context)
