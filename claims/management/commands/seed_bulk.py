"""Synthetic data at benchmark scale: claims with evidence, an assignment and a valid audit trail.

This command deliberately bypasses ``claims.services``: the services lock, validate and write one
row at a time, which is right for people and far too slow for a million rows. It is the one
sanctioned exception to "every write goes through a service". It keeps the services' invariants
itself instead: every claim's story is played out in memory in an order the workflow allows
(created, maybe edited, a reviewer assigned, five evidence links, perhaps a retraction or two,
state changes checked against ``workflow``, the assignment perhaps closed), and each step is
recorded with ``claims.audit.build_event`` in the shape the services write, so the chains are
real and ``verify_audit`` passes. Counters equal the standing links of each stance,
``version`` equals the chain length, and the rows' timestamps are their events' timestamps.

How it is fast: ids of claims, evidence and assignments are reserved up front, so a batch is
built completely in memory, by worker processes when the platform can fork (building is pure
Python and the larger share of the work), while the main process writes the previous batch in
one transaction with one prepared INSERT (a COPY on PostgreSQL) per table. Each batch has its
own random generator seeded from ``--seed``, so the data does not depend on the number of
workers. Running the command again appends.
"""

import bisect
import gc
import multiprocessing
import os
import random
import time
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from tqdm import tqdm

from claims import workflow
from claims.audit.actions import AuditAction
from claims.audit.chain import build_event
from claims.db.bulkwrite import IdBlock, table_rows, write_rows
from claims.models import (
    Appearance,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    Claim,
    Evidence,
    ReviewState,
    Source,
    Stance,
)
from claims.permissions import EDITORS_GROUP, REVIEWERS_GROUP
from claims.selectors.people import display_name

HISTORY_DAYS = 548  # about 18 months
EVIDENCE_PER_CLAIM = 5
REVIEWERS, EDITORS = 20, 3

FIRST_NAMES = ("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Kira")
LAST_NAMES = ("Abbott", "Brandt", "Duarte", "Fischer", "Haddad", "Jensen", "Moreau", "Okafor")
TITLES = ("Senator", "Governor", "Mayor", "Minister", "Rep.", "CEO", "Dr.", "Commissioner")
OUTLETS = (
    "Daily Ledger",
    "Morning Post",
    "City Wire",
    "National Courier",
    "Evening Standard Times",
    "Public Broadcast News",
    "Harbor Gazette",
    "Capitol Report",
    "The Examiner",
    "Valley Herald",
)
EVIDENCE_SITES = (
    ("Statistics Office", "stats.gov.example"),
    ("Central Bank", "centralbank.example"),
    ("Newswire", "www.newswire.example"),
    ("Health Ministry", "health.gov.example"),
    ("Parliament Records", "records.parliament.example"),
    ("Budget Office", "budget.gov.example"),
    ("University Research Centre", "research.uni.example"),
    ("Court Records", "courts.example"),
    ("Fact Archive", "archive.factdesk.example"),
    ("Election Commission", "elections.example"),
    ("Daily Ledger", "www.dailyledger.example"),
    ("City Wire", "citywire.example"),
)
SUBJECTS = (
    ("unemployment", "%"),
    ("inflation", "%"),
    ("violent crime", "%"),
    ("the housing budget", " billion"),
    ("hospital waiting times", "%"),
    ("school funding", " million"),
    ("carbon emissions", "%"),
    ("the trade deficit", " billion"),
    ("public debt", " billion"),
    ("border crossings", "%"),
    ("electricity prices", "%"),
    ("teacher salaries", "%"),
)
VERBS = ("rose by", "fell by", "doubled to", "dropped to", "grew by", "was cut by", "reached")
TRANSCRIPT = ", according to the speech transcript."
PERIODS = ("last year", "since 2020", "this quarter", "in a decade", "under this government")
CORROBORATE_REASONS = (
    "Official figures match the claim within rounding.",
    "Two independent sources confirm the number.",
    "The published dataset supports the claim as stated.",
)
DISPUTE_REASONS = (
    "The official series shows the opposite trend.",
    "The figure cherry-picks a single month.",
    "The cited report does not say this.",
)
REOPEN_REASONS = (
    "New data was published; reviewing again.",
    "A reader pointed to a revised figure.",
)
RETRACT_REASONS = (
    "Link is to an outdated version of the report.",
    "Page no longer supports the stance; wrong table cited.",
    "Duplicate of a better primary source.",
)
RATIONALES = {
    ReviewState.CORROBORATED: CORROBORATE_REASONS,
    ReviewState.DISPUTED: DISPUTE_REASONS,
    ReviewState.UNVERIFIED: REOPEN_REASONS,
}
CLOSE_NOTES = ("", "", "Checked against the primary data.", "Verdict written up.")
WITHDRAW_REASONS = ("Reassigned to the economics desk.", "Reviewer on leave.")
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
NEEDS = {ReviewState.CORROBORATED: Stance.SUPPORTS, ReviewState.DISPUTED: Stance.CONTRADICTS}
LEAN = {ReviewState.UNVERIFIED: 0.5, ReviewState.CORROBORATED: 0.8, ReviewState.DISPUTED: 0.25}


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _descending_uniforms(rng: random.Random, count: int):
    """``count`` uniform draws from [0, 1), largest first, one at a time in constant memory.

    Each is the largest of the draws still to come: the maximum of n uniforms is U ** (1 / n).
    """
    largest = 1.0
    for remaining in range(count, 0, -1):
        largest *= rng.random() ** (1 / remaining)
        yield largest


@dataclass
class Plan:
    """What a worker needs to build one batch: its seed, reserved ids and creation times."""

    seed: int
    claim_ids: list[int]
    evidence_ids: list[int]
    assignment_ids: list[int]
    created: list[datetime]


@dataclass
class Batch:
    """The instances of one batch of claims."""

    claims: list
    appearances: list
    evidence: list
    assignments: list
    events: list


TABLES = (
    ("claims", Claim),
    ("appearances", Appearance),
    ("evidence", Evidence),
    ("assignments", Assignment),
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


class Desk:
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
        self.rng = random.Random(plan.seed)
        batch = Batch([], [], [], [], [])
        evidence_ids, assignment_ids = iter(plan.evidence_ids), iter(plan.assignment_ids)
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
        rng = self.rng
        final_state = _pick(rng, STATE_MIX)
        path = _pick(rng, PATHS[final_state])
        editor = rng.choice(self.editors)
        reviewer = rng.choice(self.reviewers)
        retracts = _pick(rng, ((0, 0.55), (1, 0.35), (2, 0.1)))
        early_edit = rng.random() < 0.6
        late_edit = rng.random() < 0.25
        closing = _pick(rng, CLOSING_AFTER_VERDICT if path else CLOSING_WITHOUT_VERDICT)
        steps = (
            1  # reviewer.assigned
            + EVIDENCE_PER_CLAIM
            + retracts
            + len(path)
            + early_edit
            + late_edit
            + (closing != AssignmentStatus.OPEN)
        )
        claimed_on = timezone.localdate(created) - timedelta(days=rng.randrange(10))
        subject, unit = rng.choice(SUBJECTS)
        claim = Claim(
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
        story = Story(claim, self._clock(created, steps))

        appearances = [
            Appearance(
                claim_id=claim_id,
                source=source,
                quote=f"“{claim.text}” {claim.claimant} told {source.outlet}.",
            )
            for source in self._appearance_sources(claimed_on)
        ]
        batch.appearances.extend(appearances)
        story.record(
            editor,
            AuditAction.CLAIM_CREATED,
            {
                "new": {
                    "text": claim.text,
                    "claimant": claim.claimant,
                    "claimed_on": claimed_on.isoformat(),
                    "appearances": [
                        {"source_id": a.source.pk, "source": str(a.source), "quote": a.quote}
                        for a in appearances
                    ],
                }
            },
            at=created,
        )
        if early_edit:
            self._edit(story)
        assignment = self._assign(story, next(assignment_ids), editor, reviewer, closing)
        batch.assignments.append(assignment)
        evidence = self._add_evidence(story, evidence_ids, editor, reviewer, final_state, path)
        batch.evidence.extend(evidence)
        for _retraction in range(retracts):
            self._retract(story, evidence, editor, path)
        # A withdrawn reviewer leaves the verdict to an editor; one who is done gave it first.
        if closing == AssignmentStatus.WITHDRAWN:
            self._close(story, assignment, reviewer, editor, closing)
        for state in path:
            by_reviewer = assignment.is_open and rng.random() < 0.8
            self._change_state(story, reviewer if by_reviewer else editor, state)
        if closing == AssignmentStatus.DONE:
            closer = reviewer if rng.random() < 0.85 else editor
            self._close(story, assignment, reviewer, closer, closing)
        if late_edit:
            self._edit(story)

        claim.version = claim.audit_length  # as the services keep it: one bump per event
        batch.claims.append(claim)
        batch.events.extend(story.events)

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

    def _change_state(self, story: Story, actor, state: str) -> None:
        claim = story.claim
        rationale = self.rng.choice(RATIONALES[state])
        workflow.check_transition(claim, state, rationale)  # the real table, in memory
        old = {"state": claim.state, "rationale": claim.rationale}
        at = story.upcoming
        claim.state, claim.rationale, claim.state_changed_at = state, rationale, at
        if state != ReviewState.UNVERIFIED and claim.first_verdict_at is None:
            claim.first_verdict_at = at
        story.record(
            actor,
            AuditAction.CLAIM_STATE_CHANGED,
            {"old": old, "new": {"state": state, "rationale": rationale}, "reason": rationale},
        )

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


# Worker processes inherit the desk when forked; building needs no database.
_desk: Desk | None = None


def _build_in_worker(plan: Plan):
    return _desk.build(plan)


class Command(BaseCommand):
    help = (
        "Append N synthetic claims with evidence, reviewer assignments and valid audit chains "
        "(for benchmarks; bypasses the services)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims to add.")
        parser.add_argument("--seed", type=int, help="Seed for a repeatable random generator.")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Claims per transaction (default 2000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, os.cpu_count() or 1),
            help="Processes that build batches (default: CPUs, at most 4); 0 builds in-process.",
        )

    def handle(self, *args, claims: int, seed, batch_size: int, workers: int, **options):
        if claims < 0 or batch_size < 1 or workers < 0:
            raise CommandError("--claims and --workers must be 0 or more, --batch-size 1 or more.")
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        desk = Desk(
            now=self.now,
            editors=self._staff("seed-editor", EDITORS, EDITORS_GROUP),
            reviewers=self._staff("seed-reviewer", REVIEWERS, REVIEWERS_GROUP),
            sources=self._sources(min(400, max(10, claims // 250)) if claims else 0),
        )
        plans = self._plans(claims, batch_size)
        totals = dict.fromkeys((name for name, _model in TABLES), 0)

        global _desk
        _desk = desk
        pool = None
        if workers and "fork" in multiprocessing.get_all_start_methods():
            # Workers never touch the database and leave with os._exit, so an inherited
            # connection is never used or closed by them; still, hand them none when we can.
            if not connection.in_atomic_block:
                connection.close()
            pool = multiprocessing.get_context("fork").Pool(workers)
        # The rows built here hold no reference cycles; the cyclic collector would only rescan
        # them again and again, at a fifth of the build time.
        gc.disable()
        try:
            with tqdm(total=claims, unit=" claims", disable=not self.stdout.isatty()) as bar:

                def write(tables):
                    self._write(tables, totals)
                    bar.update(len(tables[0][-1]))

                if pool is None:
                    for plan in plans:
                        write(desk.build(plan))
                else:
                    # Keep every worker busy while this process writes the oldest batch.
                    pending = deque()
                    for plan in plans:
                        pending.append(pool.apply_async(_build_in_worker, (plan,)))
                        if len(pending) > workers:
                            write(pending.popleft().get())
                    while pending:
                        write(pending.popleft().get())
        finally:
            gc.enable()
            if pool is not None:
                pool.terminate()
                pool.join()
            _desk = None

        self.stdout.write(
            f"Seeded {totals['claims']:,} claims, {totals['evidence']:,} evidence links, "
            f"{totals['assignments']:,} assignments, {totals['appearances']:,} appearances, "
            f"{totals['events']:,} audit events and {len(desk.sources):,} sources "
            f"in {time.monotonic() - started:.1f} s."
        )

    def _plans(self, claims: int, batch_size: int):
        """Each batch's seed, ids and creation times, drawn in order from the main generator."""
        ids = {model: IdBlock(model) for model in (Claim, Evidence, Assignment)}
        times = self._creation_times(claims)
        for start in range(0, claims, batch_size):
            size = min(batch_size, claims - start)
            yield Plan(
                seed=self.rng.getrandbits(64),
                claim_ids=ids[Claim].take(size),
                evidence_ids=ids[Evidence].take(size * EVIDENCE_PER_CLAIM),
                assignment_ids=ids[Assignment].take(size),
                created=[next(times) for _claim in range(size)],
            )

    def _write(self, tables, totals: dict) -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for _name, table, columns, rows in tables:
                    if rows:
                        write_rows(cursor, table, columns, rows)
        except IntegrityError as error:
            raise CommandError(
                f"A batch clashed with rows written by someone else while seeding ({error}); "
                f"{totals['claims']:,} claims were added before it. Run it again."
            ) from error
        for name, _table, _columns, rows in tables:
            totals[name] += len(rows)

    def _creation_times(self, count: int):
        """When each claim came in, oldest first, so ids follow time as on a real desk.

        Newer claims are more frequent (a desk's intake grows). Creating them in time order
        also keeps each batch's rows in one stretch of the time indexes instead of in every
        page of them, which is what keeps a large seed fast.
        """
        history = timedelta(days=HISTORY_DAYS)
        for share in _descending_uniforms(self.rng, count):
            yield self.now - timedelta(hours=1) - history * share**1.4

    # Users and sources -----------------------------------------------------------------------

    def _staff(self, prefix: str, count: int, group_name: str) -> list:
        """The synthetic editors or reviewers, created (in their role's group) when missing."""
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist as error:
            raise CommandError(f"Group {group_name!r} is missing; run migrate first.") from error
        User = get_user_model()
        users = []
        for number in range(1, count + 1):
            username = f"{prefix}-{number:02d}"
            user = User.objects.filter(username=username).first()
            if user is None:
                # The same names on every run, independent of --seed.
                first = FIRST_NAMES[(number * 7 + len(prefix)) % len(FIRST_NAMES)]
                last = LAST_NAMES[(number * 11 + len(prefix)) % len(LAST_NAMES)]
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@desk.example",
                )
                user.set_unusable_password()
                user.save()
            user.groups.add(group)
            users.append(user)
        return users

    def _sources(self, count: int) -> list[Source]:
        rng = self.rng
        sources = []
        for _number in range(count):
            outlet = rng.choice(OUTLETS)
            published = self.today - timedelta(days=rng.randrange(HISTORY_DAYS + 30))
            subject, _unit = rng.choice(SUBJECTS)
            slug = f"{subject.replace(' ', '-')}-{rng.randrange(10**6):06d}"
            domain = outlet.lower().replace(" ", "")
            sources.append(
                Source(
                    title=f"{rng.choice(TITLES)} {rng.choice(LAST_NAMES)} on {subject}",
                    url=f"https://www.{domain}.example/{published:%Y/%m}/{slug}",
                    outlet=outlet,
                    author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    published_on=published,
                    text=f"Coverage of {subject} as reported by {outlet}.",
                )
            )
        Source.objects.bulk_create(sources)
        if any(source.pk is None for source in sources):  # a backend that returns no ids
            sources = list(Source.objects.order_by("-pk")[:count])
        return sorted(sources, key=lambda source: source.published_on)
