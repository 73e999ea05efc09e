"""The review workflow on one claim: evidence, reviewers, state moves, proposals and sign-off.

Each view asks ``claims.permissions`` first (so a refusal is a 403 whatever else is wrong with
the request, as in the desk UI), takes the claim's version from ``If-Match`` for the writes the
UI checks against the version a person saw (a state move, a proposal, an editor's decision),
and leaves the deciding to the service, as the web views do.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action

from claims import services
from claims.models import Assignment, Evidence, Proposal, ReviewState, Stance
from claims.permissions import Action, available_actions, require, signoff_required

from .base import NoStoreMixin
from .claims import claim_response
from .concurrency import expected_version
from .inputs import optional_text, required_text
from .parts import claim_or_404, part_or_404, part_response
from .representations import (
    AssignmentSerializer,
    ClaimDetailSerializer,
    EvidenceSerializer,
    ProposalSerializer,
)
from .schema import ETAG_HEADER, IF_MATCH


class ClaimPartViewSet(NoStoreMixin, viewsets.GenericViewSet):
    """Views under /claims/{claim_id}/: the claim is found (or 404) before anything else."""

    lookup_value_regex = "[0-9]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.claim = claim_or_404(kwargs["claim_id"])

    def validated(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# Evidence ---------------------------------------------------------------------------------------


class EvidenceInputSerializer(serializers.Serializer):
    stance = serializers.ChoiceField(choices=Stance.choices)
    url = required_text(max_length=Evidence._meta.get_field("url").max_length)
    title = optional_text()
    publisher = optional_text()
    excerpt = optional_text()
    note = optional_text()


class RetractSerializer(serializers.Serializer):
    reason = required_text()


@extend_schema(tags=["evidence"], parameters=[ETAG_HEADER])
class EvidenceViewSet(ClaimPartViewSet):
    """Links for or against a claim. Adding or retracting one needs no version: a new link
    conflicts with nothing another person did, and whether a link may go is checked against
    the claim as it is."""

    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.all()

    @extend_schema(
        summary="Add a link that supports or contradicts the claim",
        request=EvidenceInputSerializer,
        responses={201: EvidenceSerializer},
    )
    def create(self, request, claim_id=None):
        require(request.user, Action.ADD_EVIDENCE, self.claim)
        values = self.validated(EvidenceInputSerializer)
        evidence = services.evidence_add(actor=request.user, claim=self.claim, **values)
        return part_response(EvidenceSerializer, evidence, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Retract a link, saying why (it stays on record)",
        request=RetractSerializer,
        responses={200: EvidenceSerializer},
    )
    @action(detail=True, methods=["post"])
    def retract(self, request, claim_id=None, pk=None):
        evidence = part_or_404(Evidence, self.claim, pk)
        if evidence.is_standing:
            require(request.user, Action.RETRACT_EVIDENCE, self.claim, target=evidence)
        reason = self.validated(RetractSerializer)["reason"]
        evidence = services.evidence_retract(actor=request.user, evidence=evidence, reason=reason)
        return part_response(EvidenceSerializer, evidence)


# Assignments ------------------------------------------------------------------------------------


class AssignSerializer(serializers.Serializer):
    reviewer = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class CompleteSerializer(serializers.Serializer):
    note = optional_text()


class WithdrawSerializer(serializers.Serializer):
    reason = optional_text()


@extend_schema(tags=["assignments"], parameters=[ETAG_HEADER])
class AssignmentViewSet(ClaimPartViewSet):
    """Reviews asked of reviewers: assigned by an editor, completed by the reviewer (or an
    editor for them), withdrawn by an editor."""

    serializer_class = AssignmentSerializer
    queryset = Assignment.objects.all()

    @extend_schema(
        summary="Ask a reviewer to review the claim",
        request=AssignSerializer,
        responses={201: AssignmentSerializer},
    )
    def create(self, request, claim_id=None):
        require(request.user, Action.ASSIGN_REVIEWER, self.claim)
        values = self.validated(AssignSerializer)
        assignment = services.reviewer_assign(actor=request.user, claim=self.claim, **values)
        return part_response(AssignmentSerializer, assignment, status_code=201)

    @extend_schema(
        summary="Mark the review done, with a note",
        request=CompleteSerializer,
        responses={200: AssignmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, claim_id=None, pk=None):
        assignment = self._open(pk, Action.COMPLETE_ASSIGNMENT)
        note = self.validated(CompleteSerializer)["note"]
        assignment = services.reviewer_complete(
            actor=request.user, assignment=assignment, note=note
        )
        return part_response(AssignmentSerializer, assignment)

    @extend_schema(
        summary="Take the reviewer off the claim, saying why",
        request=WithdrawSerializer,
        responses={200: AssignmentSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, claim_id=None, pk=None):
        assignment = self._open(pk, Action.WITHDRAW_ASSIGNMENT)
        reason = self.validated(WithdrawSerializer)["reason"]
        assignment = services.reviewer_withdraw(
            actor=request.user, assignment=assignment, reason=reason
        )
        return part_response(AssignmentSerializer, assignment)

    def _open(self, pk, action_name: str) -> Assignment:
        """The assignment, with the permission asked while it is open (a closed one is the
        service's to refuse, saying so)."""
        assignment = part_or_404(Assignment, self.claim, pk)
        if assignment.is_open:
            require(self.request.user, action_name, self.claim, target=assignment)
        return assignment


# State moves and sign-off -----------------------------------------------------------------------


class VerdictSerializer(serializers.Serializer):
    """A verdict: the state, the rationale the public reads and, changing a published verdict,
    the public correction note."""

    state = serializers.ChoiceField(choices=ReviewState.choices)
    rationale = optional_text()
    correction_note = optional_text()


class MoveSerializer(VerdictSerializer):
    close_my_review = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Finish your own open review of the claim in the same step.",
    )
    review_note = optional_text(help_text="The note on finishing your review.")


class NoteSerializer(serializers.Serializer):
    note = optional_text()


class ReturnSerializer(serializers.Serializer):
    note = required_text()


class ReviewModeSerializer(serializers.Serializer):
    independent = serializers.BooleanField()


def _moves_by_proposal(request, claim) -> None:
    """With sign-off on nobody moves a state directly: say where to propose instead."""
    if signoff_required() and Action.PROPOSE_VERDICT in available_actions(request.user, claim):
        raise exceptions.PermissionDenied(
            _("This desk signs verdicts off: propose the move at %(url)s instead.")
            % {"url": reverse("api-proposal-list", kwargs={"claim_id": claim.pk})}
        )


@extend_schema(tags=["workflow"], parameters=[ETAG_HEADER])
class StateViewSet(ClaimPartViewSet):
    """The claim's review state, moved directly on a desk without sign-off."""

    serializer_class = ClaimDetailSerializer

    @extend_schema(
        summary="Move the claim's state (desks without sign-off); its rationale is published",
        request=MoveSerializer,
        responses={200: ClaimDetailSerializer},
        parameters=[IF_MATCH],
    )
    def create(self, request, claim_id=None):
        _moves_by_proposal(request, self.claim)
        require(request.user, Action.CHANGE_STATE, self.claim)
        values = self.validated(MoveSerializer)
        version = expected_version(request, self.claim)
        services.claim_change_state(
            actor=request.user, claim=self.claim, expected_version=version, **values
        )
        return claim_response(request, self.claim)


@extend_schema(tags=["workflow"], parameters=[ETAG_HEADER])
class ProposalViewSet(ClaimPartViewSet):
    """Verdicts proposed for a second editor's sign-off (desks with sign-off on)."""

    serializer_class = ProposalSerializer
    queryset = Proposal.objects.all()

    @extend_schema(
        summary="Propose a verdict for sign-off",
        request=MoveSerializer,
        responses={201: ProposalSerializer},
        parameters=[IF_MATCH],
    )
    def create(self, request, claim_id=None):
        require(request.user, Action.PROPOSE_VERDICT, self.claim)
        values = self.validated(MoveSerializer)
        version = expected_version(request, self.claim)
        proposal = services.verdict_propose(
            actor=request.user, claim=self.claim, expected_version=version, **values
        )
        return part_response(ProposalSerializer, proposal, status_code=201)

    @extend_schema(
        summary="Sign the proposal off: the claim takes its verdict, published",
        request=NoteSerializer,
        responses={200: ProposalSerializer},
    )
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, claim_id=None, pk=None):
        proposal = self._proposal(pk, Action.SIGN_OFF_VERDICT)
        note = self.validated(NoteSerializer)["note"]
        services.verdict_sign_off(actor=request.user, proposal=proposal, note=note)
        return part_response(ProposalSerializer, Proposal.objects.get(pk=proposal.pk))

    @extend_schema(
        summary="Return the proposal to its proposer, saying why",
        request=ReturnSerializer,
        responses={200: ProposalSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, claim_id=None, pk=None):
        proposal = self._proposal(pk, Action.RETURN_VERDICT)
        note = self.validated(ReturnSerializer)["note"]
        proposal = services.verdict_return(actor=request.user, proposal=proposal, note=note)
        return part_response(ProposalSerializer, proposal)

    @extend_schema(
        summary="Take back your own proposal",
        request=WithdrawSerializer,
        responses={200: ProposalSerializer},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, claim_id=None, pk=None):
        proposal = self._proposal(pk, Action.WITHDRAW_PROPOSAL)
        reason = self.validated(WithdrawSerializer)["reason"]
        proposal = services.verdict_withdraw(actor=request.user, proposal=proposal, reason=reason)
        return part_response(ProposalSerializer, proposal)

    def _proposal(self, pk, action_name: str) -> Proposal:
        proposal = part_or_404(Proposal, self.claim, pk)
        proposal.claim = self.claim
        require(self.request.user, action_name, self.claim, target=proposal)
        return proposal


@extend_schema(tags=["workflow"], parameters=[ETAG_HEADER])
class DecisionViewSet(ClaimPartViewSet):
    """An independent review decided with an editor's own verdict."""

    serializer_class = ClaimDetailSerializer

    @extend_schema(
        summary="Decide an independent review with your own verdict",
        request=VerdictSerializer,
        responses={200: ClaimDetailSerializer},
        parameters=[IF_MATCH],
    )
    def create(self, request, claim_id=None):
        require(request.user, Action.SIGN_OFF_VERDICT, self.claim)
        values = self.validated(VerdictSerializer)
        version = expected_version(request, self.claim)
        services.verdict_decide(
            actor=request.user, claim=self.claim, expected_version=version, **values
        )
        return claim_response(request, self.claim)


@extend_schema(tags=["workflow"], parameters=[ETAG_HEADER])
class ReviewModeViewSet(ClaimPartViewSet):
    """Whether the claim is reviewed independently (each reviewer blind, an editor decides)."""

    serializer_class = ClaimDetailSerializer

    @extend_schema(
        summary="Put the claim under independent review, or end it",
        request=ReviewModeSerializer,
        responses={200: ClaimDetailSerializer},
    )
    def create(self, request, claim_id=None):
        require(request.user, Action.SET_REVIEW_MODE, self.claim)
        independent = self.validated(ReviewModeSerializer)["independent"]
        services.claim_set_review_mode(
            actor=request.user, claim=self.claim, independent=independent
        )
        return claim_response(request, self.claim)
