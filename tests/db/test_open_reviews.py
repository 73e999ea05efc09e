"""Each claim's open reviews and next due date, kept by triggers (claims.db.triggers), against the
assignment rows they sum up."""

import datetime
import random

from django.db.models import Count, Min, Q

from claims import services
from claims.models import Assignment, AssignmentStatus, Claim
from tests.factories import AssignmentFactory, ClaimFactory, ReviewerFactory

DAY = datetime.timedelta(days=1)


def stored(claim) -> tuple[int, datetime.date | None]:
    claim.refresh_from_db()
    return claim.open_reviews, claim.next_due_on


def recounted() -> dict[int, tuple[int, datetime.date | None]]:
    """Every claim's open assignments and earliest due date, counted from the assignments."""
    is_open = Q(assignments__status=AssignmentStatus.OPEN)
    return {
        pk: (count, due)
        for pk, count, due in Claim.objects.annotate(
            count=Count("assignments", filter=is_open),
            due=Min("assignments__due_on", filter=is_open),
        ).values_list("pk", "count", "due")
    }


def kept() -> dict[int, tuple[int, datetime.date | None]]:
    return {
        pk: (n, due)
        for pk, n, due in Claim.objects.values_list("pk", "open_reviews", "next_due_on")
    }


def test_assigning_completing_and_withdrawing_keep_the_claims_figures(
    editor, reviewer, other_reviewer, claim
):
    soon, later = datetime.date(2030, 1, 5), datetime.date(2030, 2, 1)
    assert stored(claim) == (0, None)

    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer, due_on=later)
    assert stored(claim) == (1, later)

    first = services.reviewer_assign(
        actor=editor,
        claim=claim,
        reviewer=other_reviewer,
        due_on=soon,
    )
    assert stored(claim) == (2, soon)

    services.reviewer_complete(actor=other_reviewer, assignment=first)
    assert stored(claim) == (1, later)

    rita = Assignment.objects.get(claim=claim, reviewer=reviewer)
    services.reviewer_withdraw(actor=editor, assignment=rita)
    assert stored(claim) == (0, None)

    # Assigned again without a due date: open, and nothing is due.
    services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    assert stored(claim) == (1, None)


def test_writes_outside_the_services_are_counted_too(db):
    claim, other = ClaimFactory(), ClaimFactory()
    assignment = AssignmentFactory(claim=claim, due_on=datetime.date(2030, 3, 1))
    AssignmentFactory(claim=claim, status=AssignmentStatus.DONE, due_on=datetime.date(2029, 1, 1))
    assert stored(claim) == (1, datetime.date(2030, 3, 1))

    Assignment.objects.filter(pk=assignment.pk).update(due_on=datetime.date(2030, 2, 1))
    assert stored(claim) == (1, datetime.date(2030, 2, 1))

    Assignment.objects.filter(pk=assignment.pk).update(claim=other)  # moved to another claim
    assert (stored(claim), stored(other)) == ((0, None), (1, datetime.date(2030, 2, 1)))

    Assignment.objects.filter(pk=assignment.pk).delete()
    assert stored(other) == (0, None)


def test_many_random_changes_leave_every_claim_as_its_assignments_say(db):
    rng = random.Random(7)
    claims = ClaimFactory.create_batch(6)
    reviewers = ReviewerFactory.create_batch(3)
    today = datetime.date(2030, 6, 1)
    for _step in range(120):
        move = rng.random()
        open_ones = list(Assignment.objects.filter(status=AssignmentStatus.OPEN))
        if move < 0.45 or not open_ones:
            claim, person = rng.choice(claims), rng.choice(reviewers)
            if not Assignment.objects.filter(
                claim=claim, reviewer=person, status=AssignmentStatus.OPEN
            ).exists():
                due = rng.choice([None, today + rng.randint(-20, 20) * DAY])
                AssignmentFactory(claim=claim, reviewer=person, due_on=due)
        elif move < 0.75:
            target = rng.choice(open_ones)
            target.status = rng.choice([AssignmentStatus.DONE, AssignmentStatus.WITHDRAWN])
            target.save(update_fields=["status"])
        else:
            target = rng.choice(open_ones)
            target.due_on = rng.choice([None, today + rng.randint(-20, 20) * DAY])
            target.save(update_fields=["due_on"])
    assert kept() == recounted()
    assert any(n > 1 for n, _due in kept().values())  # the run did stack up open reviews
