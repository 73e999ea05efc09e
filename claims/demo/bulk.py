"""Synthetic claims at benchmark scale: evidence, an assignment, proposed and signed-off verdicts
and a valid audit trail for each.

This deliberately bypasses ``claims.services``: the services lock, validate and write one row at
a time, which is right for people and far too slow for a million rows. It is the one sanctioned
exception to "every write goes through a service", and keeps the services' invariants itself
instead: ``claims.demo.stories`` plays each claim's history in memory in an order the workflow
allows and records every step with ``claims.audit.chain.build_event``, so ``verify_audit`` passes.

How it is fast: ids of claims, evidence, assignments and proposals are reserved up front, so a
batch is built completely in memory, by worker processes when the platform can fork (building
is pure Python and the larger share of the work), while the main process writes the previous
batch in one transaction with one prepared INSERT (a COPY on PostgreSQL) per table
(``claims.db.bulkwrite``). Each batch has its own random generator seeded from the run's seed, so
the data does not depend on the number of workers. Running it again appends.
"""

import gc
import multiprocessing
import os
import random
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from multiprocessing.pool import Pool

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from tqdm import tqdm

from claims.db.bulkwrite import IdBlock, write_rows
from claims.models import Assignment, Claim, Evidence, Proposal, Source
from claims.permissions import EDITORS_GROUP, REVIEWERS_GROUP

from .stories import EVIDENCE_PER_CLAIM, MOST_PROPOSALS, TABLES, BatchBuilder, Plan
from .vocabulary import FIRST_NAMES, LAST_NAMES, OUTLETS, SUBJECTS, TITLES

HISTORY_DAYS = 548  # about 18 months
REVIEWERS, EDITORS = 20, 3
DEFAULT_BATCH_SIZE = 2000
DEFAULT_WORKERS = min(4, os.cpu_count() or 1)


class SeedingFailed(Exception):
    """The seed could not be written: no role groups yet, or a clash with another writer."""


@dataclass(frozen=True)
class Seeded:
    """What ``seed_bulk`` wrote: rows per table (see ``stories.TABLES``), sources, and how long
    it took in seconds."""

    rows: dict[str, int]
    sources: int
    seconds: float


def seed_bulk(
    *,
    claims: int,
    seed: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = DEFAULT_WORKERS,
    progress: bool = False,
) -> Seeded:
    """Append ``claims`` synthetic claims with their whole history, the same for the same
    ``seed``; ``workers`` 0 builds in this process, ``progress`` shows a bar on stderr."""
    started = time.monotonic()
    rng = random.Random(seed)  # noqa: S311 synthetic claims, no secrets
    now = timezone.now()
    builder = BatchBuilder(
        now=now,
        editors=_staff("seed-editor", EDITORS, EDITORS_GROUP),
        reviewers=_staff("seed-reviewer", REVIEWERS, REVIEWERS_GROUP),
        sources=_sources(rng, timezone.localdate(now), _source_count(claims)),
    )
    plans = _plans(rng, now, claims, batch_size)
    rows = dict.fromkeys((name for name, _model in TABLES), 0)
    with (
        _worker_pool(builder, workers) as pool,
        _without_cyclic_collector(),
        tqdm(total=claims, unit=" claims", disable=not progress) as bar,
    ):
        for tables in _built(builder, plans, pool, workers):
            _write(tables, rows)
            bar.update(len(tables[0][-1]))
    return Seeded(rows=rows, sources=len(builder.sources), seconds=time.monotonic() - started)


# Building, in worker processes or here ---------------------------------------------------------

# Worker processes inherit the builder when forked; building needs no database.
_builder: BatchBuilder | None = None


def _build_in_worker(plan: Plan):
    return _builder.build(plan)


@contextmanager
def _worker_pool(builder: BatchBuilder, workers: int) -> Iterator[Pool | None]:
    """Processes forked with ``builder``, or None where there are to be none or cannot fork."""
    global _builder
    _builder = builder
    pool = None
    if workers and "fork" in multiprocessing.get_all_start_methods():
        # Workers never touch the database and leave with os._exit, so an inherited
        # connection is never used or closed by them; still, hand them none when we can.
        if not connection.in_atomic_block:
            connection.close()
        pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield pool
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        _builder = None


@contextmanager
def _without_cyclic_collector() -> Iterator[None]:
    """The rows built hold no reference cycles, so the cyclic collector would only rescan them
    again and again as they pile up."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _built(
    builder: BatchBuilder, plans: Iterable[Plan], pool: Pool | None, workers: int
) -> Iterator[list]:
    """Each plan's batch of rows, in the plans' order."""
    if pool is None:
        for plan in plans:
            yield builder.build(plan)
        return
    # Keep every worker busy while this process writes the oldest batch.
    pending = deque()
    for plan in plans:
        pending.append(pool.apply_async(_build_in_worker, (plan,)))
        if len(pending) > workers:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _plans(rng: random.Random, now: datetime, claims: int, batch_size: int) -> Iterator[Plan]:
    """Each batch's seed, ids and creation times, drawn in order from the run's generator."""
    ids = {model: IdBlock(model) for model in (Claim, Evidence, Assignment, Proposal)}
    times = _creation_times(rng, now, claims)
    for start in range(0, claims, batch_size):
        size = min(batch_size, claims - start)
        yield Plan(
            seed=rng.getrandbits(64),
            claim_ids=ids[Claim].take(size),
            evidence_ids=ids[Evidence].take(size * EVIDENCE_PER_CLAIM),
            assignment_ids=ids[Assignment].take(size),
            proposal_ids=ids[Proposal].take(size * MOST_PROPOSALS),
            created=[next(times) for _claim in range(size)],
        )


def _creation_times(rng: random.Random, now: datetime, count: int) -> Iterator[datetime]:
    """When each claim came in, oldest first, so ids follow time as on a real desk.

    Newer claims are more frequent (a desk's intake grows). Creating them in time order
    also keeps each batch's rows in one stretch of the time indexes instead of in every
    page of them, which is what keeps a large seed fast.
    """
    history = timedelta(days=HISTORY_DAYS)
    for share in _descending_uniforms(rng, count):
        yield now - timedelta(hours=1) - history * share**1.4


def _descending_uniforms(rng: random.Random, count: int) -> Iterator[float]:
    """``count`` uniform draws from [0, 1), largest first, one at a time in constant memory.

    Each is the largest of the draws still to come: the maximum of n uniforms is U ** (1 / n).
    """
    largest = 1.0
    for remaining in range(count, 0, -1):
        largest *= rng.random() ** (1 / remaining)
        yield largest


# Writing -------------------------------------------------------------------------------------


def _write(tables, rows: dict[str, int]) -> None:
    """One batch in one transaction, counted into ``rows`` once it is in."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for _name, table, columns, values in tables:
                if values:
                    write_rows(cursor, table, columns, values)
    except IntegrityError as error:
        raise SeedingFailed(
            f"A batch clashed with rows written by someone else while seeding ({error}); "
            f"{rows['claims']:,} claims were added before it. Run it again."
        ) from error
    for name, _table, _columns, values in tables:
        rows[name] += len(values)


def _staff(prefix: str, count: int, group_name: str) -> list:
    """The synthetic editors or reviewers, created (in their role's group) when missing."""
    try:
        group = Group.objects.get(name=group_name)
    except Group.DoesNotExist as error:
        raise SeedingFailed(f"Group {group_name!r} is missing; run migrate first.") from error
    User = get_user_model()
    users = []
    for number in range(1, count + 1):
        username = f"{prefix}-{number:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            # The same names on every run, independent of the seed.
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


def _source_count(claims: int) -> int:
    """Enough sources for claims to share them, as a desk's claims share the day's coverage."""
    return min(400, max(10, claims // 250)) if claims else 0


def _sources(rng: random.Random, today: date, count: int) -> list[Source]:
    """``count`` new sources published over the seed's history, oldest first."""
    sources = []
    for _number in range(count):
        outlet = rng.choice(OUTLETS)
        published = today - timedelta(days=rng.randrange(HISTORY_DAYS + 30))
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
