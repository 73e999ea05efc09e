"""A claim's discussion: adding, editing and hiding comments, and finding a colleague to mention.

The writes are the claim page's own actions (``claim.run_claim_action``): a plain POST that
redirects to the comment with its confirmation, or the page again with the input kept.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims import services
from claims.models import Claim, Comment
from claims.permissions import Action, available_actions, require
from claims.selectors.people import mention_candidates
from claims.web import feedback
from claims.web.forms import CommentEditForm, CommentForm, CommentHideForm, MentionSearchForm
from claims.web.views.access import require_reader
from claims.web.views.claim import run_claim_action


def _require_author(user, claim: Claim, comment: Comment) -> None:
    """Refuse (403) whoever may not edit ``comment`` whatever its state: anyone but its author,
    and its author without a role that edits. The refusals left (the edit window closed while
    they typed, an editor hid it meanwhile) are shown at the form, the text typed kept."""
    if comment.author_id != user.pk or Action.EDIT_COMMENT not in available_actions(user, claim):
        require(user, Action.EDIT_COMMENT, claim, target=comment)


def _refusal_at_the_form(write):
    """``write``, with the service's refusal of this comment turned into an error above the
    form, so that the text typed is not lost to a 403 page."""

    def written(data):
        try:
            return write(data)
        except PermissionDenied as refusal:
            raise ValidationError(str(refusal), code="refused") from refusal

    return written


@require_POST
def comment_add(request, pk):
    claim = get_object_or_404(Claim, pk=pk)
    require(request.user, Action.ADD_COMMENT, claim)
    form = CommentForm(request.POST, prefix="comment")

    def write(data):
        return services.comment_add(actor=request.user, claim=claim, text=data["text"])

    return run_claim_action(
        request, claim, form, "comment", write, _("Comment added."), feedback.comment_item
    )


@require_POST
def comment_edit(request, pk, comment_id):
    claim = get_object_or_404(Claim, pk=pk)
    comment = get_object_or_404(Comment, pk=comment_id, claim=claim)
    _require_author(request.user, claim, comment)
    key = f"edit-comment-{comment.pk}"
    form = CommentEditForm(request.POST, prefix=key)

    def write(data):
        return services.comment_edit(actor=request.user, comment=comment, text=data["text"])

    return run_claim_action(
        request,
        claim,
        form,
        key,
        _refusal_at_the_form(write),
        _("Comment edited."),
        feedback.comment_item,
    )


@require_POST
def comment_hide(request, pk, comment_id):
    claim = get_object_or_404(Claim, pk=pk)
    comment = get_object_or_404(Comment, pk=comment_id, claim=claim)
    require(request.user, Action.HIDE_COMMENT, claim, target=comment)
    key = f"hide-comment-{comment.pk}"
    form = CommentHideForm(request.POST, prefix=key)

    def write(data):
        return services.comment_hide(actor=request.user, comment=comment, reason=data["reason"])

    return run_claim_action(
        request, claim, form, key, write, _("Comment hidden."), feedback.comment_item
    )


@require_GET
def mention_search(request):
    """The desk members whose name starts with what was typed, as buttons that put their
    ``@username`` in the comment (``static/js/desk.js``); htmx swaps them in under the field."""
    require_reader(request.user)
    form = MentionSearchForm(request.GET)
    typed = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"people": mention_candidates(typed), "typed": typed}
    return render(request, "claims/includes/mention_candidates.html", context)
