"""Public pages, open without signing in: anyone checks that a published verdict's history is
in a checkpoint the desk signed (``claims.audit.public``), and downloads what is needed to check
it again without the desk."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from claims.audit import public
from claims.models import Claim, is_row_id


def _published_or_404(pk) -> Claim:
    try:
        return public.published_claim(pk)
    except Claim.DoesNotExist as missing:
        raise Http404("No published verdict with this number.") from missing


@login_not_required
@require_GET
def verify_index(request):
    """The desk's public key and newest checkpoint, and a box for a verdict's number."""
    number = request.GET.get("claim", "").strip().lstrip("#")
    if is_row_id(number):
        return redirect("claims:verify_claim", pk=int(number))
    context = {
        "key": public.desk_key(),
        "checkpoint": public.newest_checkpoint(),
        "asked": number,
    }
    return render(request, "claims/verify.html", context, status=404 if number else 200)


@login_not_required
@require_GET
def verify_claim(request, pk):
    """One published verdict: whether its history is in the newest signed checkpoint."""
    claim = _published_or_404(pk)
    document = public.verdict_document(claim)
    context = {
        "claim": claim,
        "proof": document["audit_proof"],
        "problems": public.verdict_check(document),
        "events": len(document["history"]),
        "key": public.desk_key(),
    }
    return render(request, "claims/verify_claim.html", context)


@login_not_required
@require_GET
def verify_claim_proof(request, pk):
    """The verdict with its history's hashes and proof, as ``proofcheck.py`` reads it."""
    document = public.verdict_document(_published_or_404(pk))
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="verdict-{pk}-proof.json"'
    return response
