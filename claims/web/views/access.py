"""What every page of the desk checks first: a role on the desk, and a claim that exists."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from claims.models import Claim
from claims.permissions import (
    can_view,
)
from claims.selectors import claim_page


def require_reader(user) -> None:
    """Refuse anyone with no role on the desk: every page but login needs one."""
    if not can_view(user):
        raise PermissionDenied(_("Your account has no role on this desk yet. Ask an editor."))


def claim_or_404(pk: int, reader=None) -> Claim:
    """The claim with everything its page shows (for ``reader``, if given), or the desk's 404."""
    try:
        return claim_page.claim_detail(pk, reader)
    except Claim.DoesNotExist as missing:
        raise Http404(_("No claim with this number.")) from missing
