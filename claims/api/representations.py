"""How the API writes the desk's rows: read-only serializers, shared by every resource that
shows a claim or one of its parts. Input is cleaned by each resource's own serializers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import AssignmentStatus, ProposalStatus, ReviewState, Stance
from claims.selectors.people import display_name
from claims.selectors.queue import soonest_due_first

from .concurrency import claim_etag


class PersonSerializer(serializers.Serializer):
    """Someone on the desk, as every page names them."""

    id = serializers.IntegerField(source="pk")
    username = serializers.CharField(source="get_username")
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return display_name(user)


def person(**kwargs) -> PersonSerializer:
    """A person who may be gone (their account deleted): null then."""
    return PersonSerializer(read_only=True, allow_null=True, **kwargs)


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    outlet = serializers.CharField(read_only=True)
    author = serializers.CharField(read_only=True)
    published_on = serializers.DateField(read_only=True, allow_null=True)
    text = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True)


class AppearanceSerializer(serializers.Serializer):
    source = SourceSerializer(read_only=True)
    quote = serializers.CharField(read_only=True)


class EvidenceSerializer(serializers.Serializer):
    """A link for or against the claim; a retracted one stays, with who, when and why."""

    id = serializers.IntegerField(read_only=True)
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    stance = serializers.ChoiceField(choices=Stance.choices, read_only=True)
    url = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    publisher = serializers.CharField(read_only=True)
    excerpt = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    added_by = person()
    added_at = serializers.DateTimeField(read_only=True)
    standing = serializers.BooleanField(source="is_standing", read_only=True)
    retracted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    retracted_by = person()
    retraction_reason = serializers.CharField(read_only=True)


class AssignmentSerializer(serializers.Serializer):
    """A review asked of someone. ``close_reason`` is the reviewer's note on finishing, which
    a blind reviewer does not read of a colleague's (``AssignmentSerializer.for_reader``)."""

    id = serializers.IntegerField(read_only=True)
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    reviewer = person()
    assigned_by = person()
    assigned_at = serializers.DateTimeField(read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    status = serializers.ChoiceField(choices=AssignmentStatus.choices, read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_by = person()
    close_reason = serializers.SerializerMethodField()

    def get_close_reason(self, assignment) -> str:
        hidden_from = self.context.get("judgements_hidden_from")
        if (
            hidden_from is not None
            and assignment.status == AssignmentStatus.DONE
            and assignment.reviewer_id != hidden_from
        ):
            return ""
        return assignment.close_reason


class ProposalSerializer(serializers.Serializer):
    """A verdict proposed for sign-off, and how it was decided."""

    id = serializers.IntegerField(read_only=True)
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    proposed_by = person()
    proposed_at = serializers.DateTimeField(read_only=True)
    from_state = serializers.ChoiceField(choices=ReviewState.choices, read_only=True)
    state = serializers.ChoiceField(choices=ReviewState.choices, read_only=True)
    rationale = serializers.CharField(read_only=True)
    is_correction = serializers.BooleanField(read_only=True)
    correction_note = serializers.CharField(read_only=True)
    independent = serializers.BooleanField(read_only=True)
    based_on_version = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=ProposalStatus.choices, read_only=True)
    decided_by = person()
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_note = serializers.CharField(read_only=True)


class PublicationSerializer(serializers.Serializer):
    """A verdict as it was made public: the first publication, then each correction."""

    published_at = serializers.DateTimeField(read_only=True)
    state = serializers.ChoiceField(choices=ReviewState.choices, read_only=True)
    rationale = serializers.CharField(read_only=True)
    is_correction = serializers.BooleanField(read_only=True)
    previous_state = serializers.CharField(read_only=True)
    previous_rationale = serializers.CharField(read_only=True)
    correction_note = serializers.CharField(read_only=True)
    proposed_by = person()
    approved_by = person()
    without_signoff = serializers.BooleanField(read_only=True)


class CommentRevisionSerializer(serializers.Serializer):
    text = serializers.CharField(read_only=True)
    written_at = serializers.DateTimeField(read_only=True)
    replaced_at = serializers.DateTimeField(read_only=True)


class CommentSerializer(serializers.Serializer):
    """A note in the claim's discussion; a hidden one keeps its place, without its text."""

    id = serializers.IntegerField(read_only=True)
    claim = serializers.IntegerField(source="claim_id", read_only=True)
    author = person()
    text = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    edited_at = serializers.DateTimeField(read_only=True, allow_null=True)
    mentions = PersonSerializer(many=True, read_only=True, source="mentions.all")
    revisions = serializers.SerializerMethodField()
    hidden = serializers.BooleanField(source="is_hidden", read_only=True)
    hidden_at = serializers.DateTimeField(read_only=True, allow_null=True)
    hidden_by = person()
    hidden_reason = serializers.CharField(read_only=True)

    def get_text(self, comment) -> str:
        return "" if comment.is_hidden else comment.text

    @extend_schema_field(CommentRevisionSerializer(many=True))
    def get_revisions(self, comment):
        if comment.is_hidden:
            return []
        return CommentRevisionSerializer(comment.revisions.all(), many=True).data


class ClaimSummarySerializer(serializers.Serializer):
    """A claim as the queue lists it."""

    id = serializers.IntegerField(read_only=True)
    etag = serializers.SerializerMethodField()
    version = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    claimant = serializers.CharField(read_only=True)
    claimed_on = serializers.DateField(read_only=True, allow_null=True)
    state = serializers.ChoiceField(choices=ReviewState.choices, read_only=True)
    supporting_count = serializers.IntegerField(read_only=True)
    contradicting_count = serializers.IntegerField(read_only=True)
    reviewers = serializers.SerializerMethodField()
    next_due_on = serializers.DateField(read_only=True, allow_null=True)
    signoff_waiting_since = serializers.DateTimeField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_etag(self, claim) -> str:
        return claim_etag(claim)

    @extend_schema_field(PersonSerializer(many=True))
    def get_reviewers(self, claim):
        """The reviewers with an open assignment, as the queue's row names them."""
        assignments = getattr(claim, "open_assignments", None)
        if assignments is None:
            assignments = [a for a in claim.assignments.all() if a.is_open]
        assignments = sorted(assignments, key=soonest_due_first)
        return PersonSerializer([a.reviewer for a in assignments], many=True).data


class SignoffSerializer(serializers.Serializer):
    """Sign-off as the reader may see it: the proposal waiting, the one last returned, and an
    independent review's round, whose proposals stay empty while they are hidden from the
    reader (``hidden``) until the reader has proposed."""

    pending = ProposalSerializer(read_only=True, allow_null=True)
    returned = ProposalSerializer(read_only=True, allow_null=True)
    round = ProposalSerializer(many=True, read_only=True)
    proposed = serializers.IntegerField(read_only=True)
    reviewers = serializers.IntegerField(read_only=True)
    complete = serializers.BooleanField(read_only=True)
    hidden = serializers.BooleanField(read_only=True)
    mine = ProposalSerializer(read_only=True, allow_null=True)


class ClaimDetailSerializer(ClaimSummarySerializer):
    """A claim with everything its page shows the reader, and the actions the reader may take
    on it now (``permissions.available_actions``)."""

    rationale = serializers.CharField(read_only=True)
    independent_review = serializers.BooleanField(read_only=True)
    created_by = person()
    state_changed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    first_verdict_at = serializers.DateTimeField(read_only=True, allow_null=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    corrected_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_published = serializers.BooleanField(read_only=True)
    appearances = AppearanceSerializer(many=True, read_only=True, source="appearances.all")
    evidence = EvidenceSerializer(many=True, read_only=True, source="evidence.all")
    assignments = AssignmentSerializer(many=True, read_only=True, source="assignments.all")
    publications = PublicationSerializer(many=True, read_only=True, source="publications.all")
    signoff = SignoffSerializer(read_only=True)
    comments = CommentSerializer(many=True, read_only=True, source="visible_comments")
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)
