"""factory_boy factories. They build rows directly, for arranging test data only: behaviour under
test always goes through claims.services."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from claims.models import (
    Appearance,
    Assignment,
    Claim,
    Evidence,
    Proposal,
    ProposalStatus,
    ReviewState,
    Source,
    Stance,
)
from claims.permissions import EDITORS_GROUP, REVIEWERS_GROUP, VIEWERS_GROUP
from claims.urlnorm import normalize_url


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@desk.example")
    password = factory.django.Password("pw")

    role = factory.PostGeneration(
        lambda user, create, extracted, **kwargs: _join(user, create, extracted)
    )


def _join(user, create, group_name):
    """``UserFactory(role="Editors")`` puts the user in that role's group."""
    if create and group_name:
        user.groups.add(Group.objects.get(name=group_name))


class EditorFactory(UserFactory):
    role = factory.PostGeneration(
        lambda user, create, extracted, **kwargs: _join(user, create, extracted or EDITORS_GROUP)
    )


class ReviewerFactory(UserFactory):
    role = factory.PostGeneration(
        lambda user, create, extracted, **kwargs: _join(user, create, extracted or REVIEWERS_GROUP)
    )


class ViewerFactory(UserFactory):
    role = factory.PostGeneration(
        lambda user, create, extracted, **kwargs: _join(user, create, extracted or VIEWERS_GROUP)
    )


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Report number {n}")
    url = factory.Sequence(lambda n: f"https://news.example/report-{n}")
    outlet = "Example News"
    author = factory.Faker("name")
    published_on = datetime.date(2021, 12, 15)


class ClaimFactory(factory.django.DjangoModelFactory):
    """An unverified claim with no events; use services to change it in tests."""

    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Claim number {n} about the strike")
    claimant = "Donald Trump"
    claimed_on = datetime.date(2021, 7, 1)


class AppearanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appearance

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "a quoted passage"


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    stance = Stance.SUPPORTS
    url = factory.Sequence(lambda n: f"https://evidence.example/page-{n}")
    normalized_url = factory.LazyAttribute(lambda e: normalize_url(e.url))
    title = "An evidence page"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    claim = factory.SubFactory(ClaimFactory)
    reviewer = factory.SubFactory(ReviewerFactory)


class IndependentProposalFactory(factory.django.DjangoModelFactory):
    """A reviewer's proposal in an independent review, as a row: what the agreement figures
    read. Proposing through the services is tested in tests/signoff/."""

    class Meta:
        model = Proposal

    claim = factory.SubFactory(ClaimFactory)
    proposed_by = factory.SubFactory(ReviewerFactory)
    proposed_at = factory.LazyFunction(timezone.now)
    from_state = ReviewState.UNVERIFIED
    based_on_version = 1
    state = ReviewState.CORROBORATED
    rationale = "Judged against the sources."
    independent = True
    status = ProposalStatus.PENDING
