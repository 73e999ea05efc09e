"""The desk's corrections: every change to a published verdict, newest first."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.signoff.selectors import desk_corrections
from claims.web.views.access import require_reader


@require_GET
def corrections(request):
    """Every correction desk-wide, newest first, filtered by the dates asked for: what the
    desk's corrections policy promises readers, for anyone on the desk to check."""
    require_reader(request.user)
    listing = desk_corrections(request.GET)
    return render(request, "claims/corrections.html", {"corrections": listing})
