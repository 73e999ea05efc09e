"""A claim's discussion: the comments the reader may read, adding one, its author editing it,
hiding it. None of these takes a version: a comment conflicts with nothing done meanwhile."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from claims import services
from claims.models import COMMENT_TEXT_LENGTH, Assignment, Claim, Comment, Proposal
from claims.permissions import Action, require
from claims.selectors.comments import comments_prefetch, visible_comments

from .concurrency import with_etag
from .inputs import Text, required_text
from .parts import part_or_404, part_response
from .representations import CommentSerializer
from .schema import ETAG_HEADER
from .workflow import ClaimPartViewSet

_TEXT_LIMIT = 10 * COMMENT_TEXT_LENGTH  # longer is refused by the service, saying how long


class CommentTextSerializer(serializers.Serializer):
    text = Text(max_length=_TEXT_LIMIT, trim_whitespace=False)


class HideSerializer(serializers.Serializer):
    reason = required_text()


def _readable(comment: Comment, claim: Claim, user) -> bool:
    """May ``user`` read ``comment`` (not one an independent review hides from them)?"""
    return any(shown.pk == comment.pk for shown in visible_comments(claim, user))


@extend_schema(tags=["comments"], parameters=[ETAG_HEADER])
class CommentViewSet(ClaimPartViewSet):
    """The claim's internal discussion, oldest first."""

    serializer_class = CommentSerializer
    queryset = Comment.objects.all()
    pagination_class = None  # a claim's discussion is read whole, as its page shows it

    def _discussion(self) -> Claim:
        """The claim with its comments and what decides which of them the reader may read."""
        return Claim.objects.prefetch_related(
            comments_prefetch(),
            Prefetch("assignments", queryset=Assignment.objects.all()),
            Prefetch("proposals", queryset=Proposal.objects.all()),
        ).get(pk=self.claim.pk)

    @extend_schema(
        summary="The comments you may read", responses={200: CommentSerializer(many=True)}
    )
    def list(self, request, claim_id=None):
        comments = visible_comments(self._discussion(), request.user)
        return with_etag(Response(CommentSerializer(comments, many=True).data), self.claim)

    @extend_schema(
        summary="Add a comment (mention colleagues with @username)",
        request=CommentTextSerializer,
        responses={201: CommentSerializer},
    )
    def create(self, request, claim_id=None):
        require(request.user, Action.ADD_COMMENT, self.claim)
        text = self.validated(CommentTextSerializer)["text"]
        comment = services.comment_add(actor=request.user, claim=self.claim, text=text)
        return part_response(CommentSerializer, comment, status_code=201)

    @extend_schema(
        summary="Rewrite your comment within the edit window",
        request=CommentTextSerializer,
        responses={200: CommentSerializer},
    )
    def partial_update(self, request, claim_id=None, pk=None):
        comment = self._comment(pk, Action.EDIT_COMMENT)
        text = self.validated(CommentTextSerializer)["text"]
        comment = services.comment_edit(actor=request.user, comment=comment, text=text)
        return part_response(CommentSerializer, comment)

    @extend_schema(
        summary="Hide a comment, saying why (it stays on record)",
        request=HideSerializer,
        responses={200: CommentSerializer},
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, claim_id=None, pk=None):
        comment = self._comment(pk, Action.HIDE_COMMENT)
        reason = self.validated(HideSerializer)["reason"]
        comment = services.comment_hide(actor=request.user, comment=comment, reason=reason)
        return part_response(CommentSerializer, comment)

    def _comment(self, pk, action_name: str) -> Comment:
        """The comment, if the reader may read it (else, as for any other number, 404), with
        the permission asked while it is not hidden (a hidden one is the service's to refuse)."""
        comment = part_or_404(Comment, self.claim, pk)
        if not _readable(comment, self._discussion(), self.request.user):
            raise exceptions.NotFound(_("This claim has no comment with this number."))
        if not comment.is_hidden:
            require(self.request.user, action_name, self.claim, target=comment)
        return comment
