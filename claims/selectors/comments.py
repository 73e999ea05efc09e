"""A claim's discussion as a reader may see it: the comments in the order written, with their
authors, mentions and earlier texts, without those an independent review keeps from them."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from claims.models import Assignment, AssignmentStatus, Claim, Comment, CommentRevision, Proposal
from claims.permissions import hidden_comment_authors

_NAME_FIELDS = ("id", "username", "first_name", "last_name", "is_active")


def comments_prefetch() -> Prefetch:
    """The claim's comments, oldest first, with their people and earlier texts: three queries
    however many there are."""
    people = get_user_model().objects.only(*_NAME_FIELDS)
    return Prefetch(
        "comments",
        queryset=Comment.objects.select_related("author", "hidden_by")
        .prefetch_related(
            Prefetch("mentions", queryset=people),
            Prefetch("revisions", queryset=CommentRevision.objects.order_by("replaced_at", "id")),
        )
        .order_by("created_at", "id"),
    )


def visible_comments(claim: Claim, user) -> list[Comment]:
    """The comments of ``claim`` that ``user`` may read now, from the prefetched rows: all of
    them, but for a reviewer judging an independent review blind
    (``permissions.hidden_comment_authors``)."""
    hidden = hidden_comment_authors(user, claim)
    return [comment for comment in claim.comments.all() if comment.author_id not in hidden]


def hidden_comment_authors_by_claim(user) -> dict[int, frozenset[int]]:
    """For the exports ``user`` downloads: by claim, whose comments they may not read yet.

    Only a claim under independent review that ``user`` reviews can hide any, so those few are
    read (three queries, whatever the export holds) and asked the claim page's own rule.
    """
    if user is None or not user.is_authenticated:
        return {}
    claims = (
        Claim.objects.filter(
            independent_review=True,
            assignments__reviewer_id=user.pk,
            assignments__status=AssignmentStatus.OPEN,
        )
        .only("id", "independent_review")
        .distinct()
    ).prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.all()),
        Prefetch("proposals", queryset=Proposal.objects.all()),
    )
    found = {claim.pk: hidden_comment_authors(user, claim) for claim in claims}
    return {pk: authors for pk, authors in found.items() if authors}
