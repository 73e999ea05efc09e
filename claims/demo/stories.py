"""Seeded claims' stories, built in memory: each claim's whole history as rows and audit events.

Every claim's story is played out in an order the workflow allows (created, maybe edited, a
reviewer assigned, five evidence links, perhaps a retraction or two, verdicts checked against
``claims.workflow``, the assignment perhaps closed), and each step is recorded with
``claims.audit.chain.build_event`` in the shape its service writes, so the chains are real and
``verify_audit`` passes. Counters equal the standing links of each stance, ``version`` equals the
chain length, and the rows' timestamps are their events' timestamps. Building needs no database,
so ``claims.demo.bulk`` runs it in worker processes.

Verdicts go through sign-off, as on a desk with ``FACTCHECK_SIGNOFF`` on (the default): the
reviewer (or the editor) proposes, another editor signs it off, which publishes it, and a later
move is a correction with its public note. Some proposals are returned first and proposed again,
a few are withdrawn, and some recent claims have one still waiting. The ``Proposal`` and
``Publication`` rows carry their events' times, as ``claims.signoff.services`` writes them.
"""

import bisect
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from claims import workflow
from claims.audit.actions import AuditAction
from claims.audit.chain import build_event
from claims.db.bulkwrite import table_rows
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    Evidence,
    Proposal,
    ProposalStatus,
    Publication,
    ReviewState,
    Source,
    Stance,
)
from claims.selectors.people import display_name

from .vocabulary import (
    CLOSE_NOTES,
    CORRECTION_NOTES,
    EVIDENCE_SITES,
    FIRST_NAMES,
    LAST_NAMES,
    PERIODS,
    PROPOSAL_WITHDRAW_REASONS,
    RATIONALES,
    RETRACT_REASONS,
    RETURN_NOTES,
    SIGNOFF_NOTES,
    SUBJECTS,
    TITLES,
    TRANSCRIPT,
    VERBS,
    WITHDRAW_REASONS,
)

EVIDENCE_PER_CLAIM = 5
# How many of its links a claim's story retracts.
RETRACTIONS = ((0, 0.55), (1, 0.35), (2, 0.1))

# How the assignment ends: mostly open while a claim awaits a verdict, mostly done after one.
CLOSING_WITHOUT_VERDICT = (
    (AssignmentStatus.OPEN, 0.88),
    (AssignmentStatus.WITHDRAWN, 0.1),
    (AssignmentStatus.DONE, 0.02),
)
CLOSING_AFTER_VERDICT = (
    (AssignmentStatus.OPEN, 0.35),
    (AssignmentStatus.DONE, 0.6),
    (AssignmentStatus.WITHDRAWN, 0.05),
)

# Final state: how often, and the state paths that end there (weights within the state).
STATE_MIX = (
    (ReviewState.UNVERIFIED, 0.5),
    (ReviewState.CORROBORATED, 0.3),
    (ReviewState.DISPUTED, 0.2),
)
PATHS = {
    ReviewState.UNVERIFIED: (
        ((), 0.8),
        ((ReviewState.CORROBORATED, ReviewState.UNVERIFIED), 0.12),
        ((ReviewState.DISPUTED, ReviewState.UNVERIFIED), 0.08),
    ),
    ReviewState.CORROBORATED: (
        ((ReviewState.CORROBORATED,), 0.85),
        ((ReviewState.DISPUTED, ReviewState.CORROBORATED), 0.15),
    ),
    ReviewState.DISPUTED: (
        ((ReviewState.DISPUTED,), 0.85),
        ((ReviewState.CORROBORATED, ReviewState.DISPUTED), 0.15),
    ),
}
# Sign-off: how often an editor returns a proposed verdict before signing off the next one, how
# often a proposer withdraws one first, and how often a recent claim without a verdict has one
# waiting (claims younger than WAITING_DAYS: nothing waits for months on a working desk).
RETURN_SHARE = 0.15
WITHDRAW_SHARE = 0.04
WAITING_SHARE, WAITING_DAYS = 0.35, 21
# Proposals a claim's story can make: two moves, each returned once, and one withdrawn.
MOST_PROPOSALS = 5

# The stance a verdict needs standing evidence of.
NEEDS = {ReviewState.CORROBORATED: Stance.SUPPORTS, ReviewState.DISPUTED: Stance.CONTRADICTS}
# How likely a link is to support the claim, by the state the claim ends in.
LEAN = {ReviewState.UNVERIFIED: 0.5, ReviewState.CORROBORATED: 0.8, ReviewState.DISPUTED: 0.25}


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


@dataclass
class Plan:
    """What a worker needs to build one batch: its seed, reserved ids and creation times."""

    seed: int
    claim_ids: list[int]
    evidence_ids: list[int]
    assignment_ids: list[int]
    proposal_ids: list[int]  # MOST_PROPOSALS per claim; those a story does not take go unused
    created: list[datetime]


@dataclass
class Batch:
    """The instances of one batch of claims."""

    claims: list
    appearances: list
    evidence: list
    assignments: list
    proposals: list
    publications: list
    events: list


TABLES = (
    ("claims", Claim),
    ("appearances", Appearance),
    ("evidence", Evidence),
    ("assignments", Assignment),
    ("proposals", Proposal),
    ("publications", Publication),
    ("events", AuditEvent),
)


class Story:
    """One claim's history played forward: each step takes the next time and records an event."""

    def __init__(self, claim: Claim, times: list[datetime]):
        self.claim = claim
        self.times = times
        self.step = 1  # times[0] is the claim's creation
        self.events: list[AuditEvent] = []

    @property
    def upcoming(self) -> datetime:
        return self.times[self.step]

    def record(self, actor, action: str, data: dict, *, at: datetime | None = None) -> datetime:
        if at is None:
            at, self.step = self.upcoming, self.step + 1
        self.events.append(build_event(self.claim, actor=actor, action=action, data=data, at=at))
        self.claim.updated_at = at
        return at


@dataclass(slots=True)
class Outline:
    """What one claim's story holds, drawn before it is played: who acts, and its turns."""

    final_state: str
    path: tuple[str, ...]  # the state changes, in order
    editor: object
    reviewer: object
    retracts: int
    early_edit: bool
    late_edit: bool
    closing: str  # how the assignment ends
    returned: tuple[bool, ...]  # for each move of the path: is its first proposal returned?
    withdrawn: bool  # is a proposal withdrawn before the first move?
    waiting: bool  # is a proposal left waiting for sign-off (a claim with no move)?

    @property
    def steps(self) -> int:
        """How many events follow the claim's creation."""
        return (
            1  # reviewer.assigned
            + EVIDENCE_PER_CLAIM
            + self.retracts
            + 2 * len(self.path)  # proposed, signed off
            + 2 * sum(self.returned)  # proposed, returned
            + 2 * self.withdrawn  # proposed, withdrawn
            + self.waiting
            + self.early_edit
            + self.late_edit
            + (self.closing != AssignmentStatus.OPEN)
        )


class BatchBuilder:
    """Builds batches of claims with their whole history, in memory, from a Plan."""

    def __init__(self, *, now: datetime, editors: list, reviewers: list, sources: list):
        self.now = now
        self.today = timezone.localdate(now)
        self.editors = editors
        self.reviewers = reviewers
        self.sources = sources
        self.source_dates = [source.published_on for source in sources]

    def build(self, plan: Plan) -> list[tuple[str, str, list[str], list[list]]]:
        """The batch's rows per table: (name, table, columns, adapted values)."""
        self.rng = random.Random(plan.seed)  # noqa: S311 synthetic claims, no secrets
        batch = Batch([], [], [], [], [], [], [])
        evidence_ids, assignment_ids = iter(plan.evidence_ids), iter(plan.assignment_ids)
        self.proposal_ids = iter(plan.proposal_ids)
        for claim_id, created in zip(plan.claim_ids, plan.created, strict=True):
            self._build_claim(batch, claim_id, created, evidence_ids, assignment_ids)
        return [(name, *table_rows(model, getattr(batch, name))) for name, model in TABLES]

    def _clock(self, created: datetime, steps: int) -> list[datetime]:
        """Increasing times after ``created``: minutes to days apart, all before now."""
        rng = self.rng
        gaps = [rng.expovariate(1 / 20) * 3600 for _step in range(steps)]  # mean 20 hours
        room = (self.now - created).total_seconds() * 0.98
        scale = min(1.0, room / sum(gaps)) if gaps else 1.0
        times, at = [created], created
        for gap in gaps:
            at += timedelta(seconds=max(gap * scale, 0.001))
            times.append(at)
        return times

    def _appearance_sources(self, claimed_on: date) -> list[Source]:
        """One or two sources published shortly before the claim was made."""
        rng = self.rng
        end = bisect.bisect_right(self.source_dates, claimed_on) or len(self.sources)
        nearby = self.sources[max(0, end - 15) : end]
        return rng.sample(nearby, min(len(nearby), 1 if rng.random() < 0.6 else 2))

    def _build_claim(
        self, batch: Batch, claim_id: int, created: datetime, evidence_ids, assignment_ids
    ) -> None:
        outline = self._outline(created)
        claim = self._new_claim(claim_id, created, outline.editor)
        story = Story(claim, self._clock(created, outline.steps))
        batch.appearances.extend(self._open(story, outline.editor))
        if outline.early_edit:
            self._edit(story)
        assignment = self._assign(
            story, next(assignment_ids), outline.editor, outline.reviewer, outline.closing
        )
        batch.assignments.append(assignment)
        evidence = self._add_evidence(
            story, evidence_ids, outline.editor, outline.reviewer, outline.final_state, outline.path
        )
        batch.evidence.extend(evidence)
        for _retraction in range(outline.retracts):
            self._retract(story, evidence, outline.editor, outline.path)
        self._conclude(story, batch, assignment, outline)
        if outline.late_edit:
            self._edit(story)

        claim.version = claim.audit_length  # as the services keep it: one bump per event
        batch.claims.append(claim)
        batch.events.extend(story.events)

    def _outline(self, created: datetime) -> Outline:
        rng = self.rng
        final_state = _pick(rng, STATE_MIX)
        path = _pick(rng, PATHS[final_state])
        recent = self.now - created < timedelta(days=WAITING_DAYS)
        return Outline(
            final_state=final_state,
            path=path,
            editor=rng.choice(self.editors),
            reviewer=rng.choice(self.reviewers),
            retracts=_pick(rng, RETRACTIONS),
            early_edit=rng.random() < 0.6,
            late_edit=rng.random() < 0.25,
            closing=_pick(rng, CLOSING_AFTER_VERDICT if path else CLOSING_WITHOUT_VERDICT),
            returned=tuple(rng.random() < RETURN_SHARE for _move in path),
            withdrawn=bool(path) and rng.random() < WITHDRAW_SHARE,
            waiting=not path and recent and rng.random() < WAITING_SHARE,
        )

    def _new_claim(self, claim_id: int, created: datetime, editor) -> Claim:
        rng = self.rng
        claimed_on = timezone.localdate(created) - timedelta(days=rng.randrange(10))
        subject, unit = rng.choice(SUBJECTS)
        return Claim(
            id=claim_id,
            text=(
                f"{subject.capitalize()} {rng.choice(VERBS)} "
                f"{rng.randrange(2, 400) / 10:g}{unit} {rng.choice(PERIODS)}."
            ),
            claimant=f"{rng.choice(TITLES)} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            claimed_on=claimed_on,
            created_by_id=editor.pk,
            created_at=created,
        )

    def _open(self, story: Story, editor) -> list[Appearance]:
        """Where the claim appeared, and its creation recorded as ``claim_create`` would."""
        claim = story.claim
        appearances = [
            Appearance(
                claim_id=claim.pk,
                source=source,
                quote=f"“{claim.text}” {claim.claimant} told {source.outlet}.",
            )
            for source in self._appearance_sources(claim.claimed_on)
        ]
        story.record(
            editor,
            AuditAction.CLAIM_CREATED,
            {
                "new": {
                    "text": claim.text,
                    "claimant": claim.claimant,
                    "claimed_on": claim.claimed_on.isoformat(),
                    "appearances": [
                        {"source_id": a.source.pk, "source": str(a.source), "quote": a.quote}
                        for a in appearances
                    ],
                }
            },
            at=claim.created_at,
        )
        return appearances

    def _conclude(self, story: Story, batch: Batch, assignment: Assignment, outline: Outline):
        """The verdicts and how the assignment ends: a withdrawn reviewer leaves the verdict to
        an editor; one who is done proposed it first. Each move is proposed and signed off by
        another editor, some after a returned proposal; a few proposals are withdrawn, and a
        recent claim may have one still waiting."""
        rng, editor, reviewer = self.rng, outline.editor, outline.reviewer
        if outline.closing == AssignmentStatus.WITHDRAWN:
            self._close(story, assignment, reviewer, editor, outline.closing)
        for number, state in enumerate(outline.path):
            by_reviewer = assignment.is_open and rng.random() < 0.8
            proposer = reviewer if by_reviewer else editor
            approver = rng.choice([other for other in self.editors if other.pk != proposer.pk])
            if number == 0 and outline.withdrawn:
                withdrawn = self._propose(story, batch, proposer, state)
                reason = rng.choice(PROPOSAL_WITHDRAW_REASONS)
                self._decide(story, withdrawn, proposer, ProposalStatus.WITHDRAWN, reason)
            if outline.returned[number]:
                returned = self._propose(story, batch, proposer, state)
                note = rng.choice(RETURN_NOTES)
                self._decide(story, returned, approver, ProposalStatus.RETURNED, note)
            self._sign_off(story, batch, self._propose(story, batch, proposer, state), approver)
        if outline.waiting:
            claim = story.claim
            state = ReviewState.CORROBORATED if claim.supporting_count else ReviewState.DISPUTED
            by_reviewer = assignment.is_open and rng.random() < 0.8
            proposal = self._propose(story, batch, reviewer if by_reviewer else editor, state)
            claim.signoff_waiting_since = proposal.proposed_at
        if outline.closing == AssignmentStatus.DONE:
            closer = reviewer if rng.random() < 0.85 else editor
            self._close(story, assignment, reviewer, closer, outline.closing)

    # Story steps, each recording the event data its service would --------------------------

    def _edit(self, story: Story) -> None:
        rng, claim = self.rng, story.claim
        before = {"text": claim.text, "claimant": claim.claimant, "claimed_on": claim.claimed_on}
        edits = ["claimed_on"]
        if not claim.text.endswith(TRANSCRIPT):
            edits += ["text", "text"]
        if claim.claimant.startswith(TITLES):
            edits.append("claimant")
        edit = rng.choice(edits)
        if edit == "text":
            claim.text = claim.text[:-1] + TRANSCRIPT
        elif edit == "claimant":
            claim.claimant = claim.claimant.split(" ", 1)[1]  # drop the title
        else:
            claim.claimed_on -= timedelta(days=rng.randrange(1, 5))
        after = {"text": claim.text, "claimant": claim.claimant, "claimed_on": claim.claimed_on}
        changed = [name for name in before if before[name] != after[name]]

        def iso(value):
            return value.isoformat() if isinstance(value, date) else value

        story.record(
            rng.choice(self.editors),
            AuditAction.CLAIM_EDITED,
            {
                "old": {name: iso(before[name]) for name in changed},
                "new": {name: iso(after[name]) for name in changed},
            },
        )

    def _assign(self, story: Story, assignment_id: int, editor, reviewer, closing: str):
        rng = self.rng
        assigned_on = timezone.localdate(story.upcoming)
        if rng.random() < 0.08:
            due_on = None
        elif closing == AssignmentStatus.OPEN:
            # Open work falls due around today, about a quarter of it overdue, so queue and
            # overdue benchmarks see realistic shares even for old claims.
            due_on = max(
                self.today + timedelta(days=rng.randint(-12, 30)),
                assigned_on + timedelta(days=rng.randint(2, 14)),
            )
        else:
            due_on = assigned_on + timedelta(days=rng.randint(3, 14))
        assignment = Assignment(
            id=assignment_id,
            claim_id=story.claim.pk,
            reviewer_id=reviewer.pk,
            assigned_by_id=editor.pk,
            due_on=due_on,
        )
        assignment.assigned_at = story.record(
            editor,
            AuditAction.REVIEWER_ASSIGNED,
            {
                "assignment_id": assignment_id,
                "new": {
                    "reviewer_id": reviewer.pk,
                    "reviewer": display_name(reviewer),
                    "due_on": due_on.isoformat() if due_on else None,
                    "status": AssignmentStatus.OPEN,
                },
            },
        )
        return assignment

    def _add_evidence(self, story: Story, ids, editor, reviewer, final_state, path) -> list:
        rng, claim = self.rng, story.claim
        lean = LEAN[final_state]
        stances = [
            Stance.SUPPORTS if rng.random() < lean else Stance.CONTRADICTS
            for _link in range(EVIDENCE_PER_CLAIM)
        ]
        for needed in {NEEDS[state] for state in path if state in NEEDS}:
            if needed not in stances:  # take a link from the stance that has plenty
                plenty = [i for i, s in enumerate(stances) if stances.count(s) > 1]
                stances[rng.choice(plenty)] = needed
        links = []
        for number, stance in enumerate(stances, start=1):
            publisher, domain = rng.choice(EVIDENCE_SITES)
            at = story.upcoming
            normalized = f"https://{domain}/{at:%Y/%m}/report-{claim.pk}-{number}"
            # Some links arrive with tracking parameters, which normalisation drops.
            url = normalized + ("?utm_source=newsletter" if rng.random() < 0.1 else "")
            actor = reviewer if rng.random() < 0.75 else editor
            evidence = Evidence(
                id=next(ids),
                claim_id=claim.pk,
                stance=stance,
                url=url,
                normalized_url=normalized,
                title=f"{publisher}: figures for {at:%B %Y}",
                publisher=publisher,
                excerpt=f"Table {rng.randint(1, 30)} gives {rng.randrange(2, 400) / 10:g}.",
                note="" if rng.random() < 0.7 else "Primary source.",
                added_by=actor,  # the instance, which _retract reads back
                added_at=at,
            )
            if stance == Stance.SUPPORTS:
                claim.supporting_count += 1
            else:
                claim.contradicting_count += 1
            story.record(
                actor,
                AuditAction.EVIDENCE_ADDED,
                {
                    "evidence_id": evidence.pk,
                    "new": {
                        "stance": stance,
                        "url": evidence.url,
                        "title": evidence.title,
                        "publisher": evidence.publisher,
                        "excerpt": evidence.excerpt,
                        "note": evidence.note,
                    },
                },
            )
            links.append(evidence)
        return links

    def _retract(self, story: Story, links: list, editor, path) -> None:
        """Retract one link the claim's later verdicts can do without."""
        claim = story.claim
        needed = {NEEDS[state] for state in path if state in NEEDS}
        standing = [link for link in links if link.is_standing]
        spare = [
            link
            for link in standing
            if link.stance not in needed
            or sum(other.stance == link.stance for other in standing) > 1
        ]
        link = self.rng.choice(spare)
        workflow.check_retraction(claim, link.stance)
        actor = link.added_by if self.rng.random() < 0.7 else editor
        link.retracted_at = story.upcoming
        link.retracted_by_id = actor.pk
        link.retraction_reason = self.rng.choice(RETRACT_REASONS)
        if link.stance == Stance.SUPPORTS:
            claim.supporting_count -= 1
        else:
            claim.contradicting_count -= 1
        story.record(
            actor,
            AuditAction.EVIDENCE_RETRACTED,
            {
                "evidence_id": link.pk,
                "stance": link.stance,
                "url": link.url,
                "old": {"retracted": False},
                "new": {"retracted": True},
                "reason": link.retraction_reason,
            },
        )

    def _propose(self, story: Story, batch: Batch, actor, state: str) -> Proposal:
        """A verdict proposed as ``verdict_propose`` records it: checked as the move would be."""
        claim = story.claim
        rationale = self.rng.choice(RATIONALES[state])
        correcting = claim.published_at is not None
        note = self.rng.choice(CORRECTION_NOTES) if correcting else ""
        workflow.check_verdict(claim, state, rationale, note)  # the real rules, in memory
        proposal = Proposal(
            id=next(self.proposal_ids),
            claim_id=claim.pk,
            proposed_by_id=actor.pk,
            from_state=claim.state,
            from_rationale=claim.rationale,
            based_on_version=claim.audit_length,  # the version the proposer saw
            state=state,
            rationale=rationale,
            is_correction=correcting,
            correction_note=note,
        )
        data = {
            "proposal": proposal.pk,
            "old": {"state": proposal.from_state, "rationale": proposal.from_rationale},
            "new": {"state": state, "rationale": rationale},
            "reason": rationale,
        }
        if correcting:
            data["correction_note"] = note
        proposal.proposed_at = story.record(actor, AuditAction.VERDICT_PROPOSED, data)
        proposal.proposer_name = display_name(actor)
        batch.proposals.append(proposal)
        return proposal

    def _decide(self, story: Story, proposal: Proposal, actor, status: str, note: str) -> None:
        """A proposal returned with the editor's note, or withdrawn by its proposer."""
        proposal.status, proposal.decided_by_id, proposal.decision_note = status, actor.pk, note
        data = self._about(proposal)
        if status == ProposalStatus.RETURNED:
            action, data["reason"] = AuditAction.VERDICT_RETURNED, note
        else:
            action = AuditAction.VERDICT_WITHDRAWN
            if note:
                data["reason"] = note
        proposal.decided_at = story.record(actor, action, data)

    def _sign_off(self, story: Story, batch: Batch, proposal: Proposal, approver) -> None:
        """Signed off as ``verdict_sign_off`` does it: checked again, applied and published
        (a correction when the claim's verdict was published before)."""
        claim = story.claim
        workflow.check_verdict(claim, proposal.state, proposal.rationale, proposal.correction_note)
        at = story.upcoming
        old = {"state": claim.state, "rationale": claim.rationale}
        correcting = claim.published_at is not None
        claim.state, claim.rationale, claim.state_changed_at = (
            proposal.state,
            proposal.rationale,
            at,
        )
        if proposal.state != ReviewState.UNVERIFIED and claim.first_verdict_at is None:
            claim.first_verdict_at = at
        if correcting:
            claim.corrected_at = at
        else:
            claim.published_at = at
        batch.publications.append(
            Publication(
                claim_id=claim.pk,
                published_at=at,
                state=proposal.state,
                rationale=proposal.rationale,
                is_correction=correcting,
                previous_state=old["state"] if correcting else "",
                previous_rationale=old["rationale"] if correcting else "",
                correction_note=proposal.correction_note,
                proposal_id=proposal.pk,
                proposed_by_id=proposal.proposed_by_id,
                approved_by_id=approver.pk,
            )
        )
        proposal.status, proposal.decided_by_id, proposal.decided_at = (
            ProposalStatus.APPROVED,
            approver.pk,
            at,
        )
        proposal.decision_note = self.rng.choice(SIGNOFF_NOTES)
        data = {"old": old, "new": {"state": claim.state, "rationale": claim.rationale}}
        if correcting:
            data["correction_note"] = proposal.correction_note
        data["published_at"] = at.isoformat()
        data.update(self._about(proposal))
        data.update(note=proposal.decision_note, reason=proposal.rationale)
        story.record(approver, AuditAction.VERDICT_APPROVED, data)

    @staticmethod
    def _about(proposal: Proposal) -> dict:
        """What a decision's event says about its proposal, as the services write it."""
        return {
            "proposal": proposal.pk,
            "proposed_by": proposal.proposer_name,
            "state": proposal.state,
            "correction": proposal.is_correction,
        }

    def _close(self, story: Story, assignment: Assignment, reviewer, actor, status: str) -> None:
        if status == AssignmentStatus.DONE:
            action, reason = AuditAction.REVIEWER_COMPLETED, self.rng.choice(CLOSE_NOTES)
        else:
            action, reason = AuditAction.REVIEWER_WITHDRAWN, self.rng.choice(WITHDRAW_REASONS)
        assignment.status = status
        assignment.closed_at = story.upcoming
        assignment.closed_by_id = actor.pk
        assignment.close_reason = reason
        data = {
            "assignment_id": assignment.pk,
            "reviewer_id": reviewer.pk,
            "reviewer": display_name(reviewer),
            "old": {"status": AssignmentStatus.OPEN},
            "new": {"status": status},
        }
        if reason:
            data["reason"] = reason
        story.record(actor, action, data)
