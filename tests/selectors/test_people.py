"""People: one answer to "who may review", the same in every list that offers reviewers, and
a queue filter that names only reviewers."""

import pytest
from django.contrib.auth.models import Permission
from django.http import QueryDict

from claims import services
from claims.permissions import is_reviewer
from claims.selectors.filters import ClaimFilter
from claims.selectors.people import display_name, reviewer_candidates
from claims.web.forms import AssignForm
from tests.factories import AssignmentFactory, ClaimFactory, UserFactory


@pytest.fixture
def granted_reviewer(db):
    """Holds the reviewer permission directly, in no group."""
    user = UserFactory(username="direct", first_name="Dina", last_name="Direct")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="claims", codename="review_claims")
    )
    return user


def test_a_directly_granted_reviewer_is_a_candidate_everywhere(
    granted_reviewer, editor, reviewer, viewer
):
    assert is_reviewer(granted_reviewer)
    candidates = set(reviewer_candidates())
    assert granted_reviewer in candidates
    assert reviewer in candidates
    assert editor in candidates  # editors may review too
    assert viewer not in candidates

    assert granted_reviewer in AssignForm().fields["reviewer"].queryset
    people = ClaimFilter(QueryDict(), user=editor).form.fields["reviewer"].widget.plain_choices
    assert (str(granted_reviewer.pk), "Dina Direct") in people


def test_every_candidate_is_a_reviewer_by_the_permission_rule(
    granted_reviewer, editor, reviewer, viewer, superuser
):
    inactive = UserFactory(username="gone", is_active=False)
    inactive.user_permissions.add(
        Permission.objects.get(content_type__app_label="claims", codename="review_claims")
    )
    users = [granted_reviewer, editor, reviewer, viewer, superuser, inactive]
    assert {u for u in users if is_reviewer(u)} == set(reviewer_candidates()) & set(users)


def test_the_service_assigns_a_directly_granted_reviewer(granted_reviewer, editor, claim):
    assignment = services.reviewer_assign(actor=editor, claim=claim, reviewer=granted_reviewer)
    assert assignment.reviewer == granted_reviewer


def test_the_candidates_are_one_query_however_many(django_assert_num_queries, editor, reviewer):
    UserFactory.create_batch(5)
    with django_assert_num_queries(1):
        list(reviewer_candidates())


def _page(client, user, reviewer_id) -> str:
    client.force_login(user)
    return client.get(f"/claims/?reviewer={reviewer_id}").content.decode()


@pytest.mark.parametrize("kind", ["viewer", "inactive superuser", "deactivated stranger"])
def test_the_queue_does_not_name_an_account_that_is_not_a_reviewer(client, viewer, kind):
    named = {
        "viewer": lambda: UserFactory(username="nosy", first_name="Nora", last_name="Nosy"),
        "inactive superuser": lambda: UserFactory(
            username="root2",
            first_name="Sam",
            last_name="Super",
            is_superuser=True,
            is_active=False,
        ),
        "deactivated stranger": lambda: UserFactory(
            username="old", first_name="Olga", last_name="Old", is_active=False
        ),
    }[kind]()
    page = _page(client, viewer, named.pk)
    assert display_name(named) not in page
    assert "Select a valid choice" in page  # refused, by id only


def test_the_queue_still_names_a_deactivated_reviewer_with_assignments(client, viewer, reviewer):
    AssignmentFactory(claim=ClaimFactory(), reviewer=reviewer)
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    page = _page(client, viewer, reviewer.pk)
    assert f'<option value="{reviewer.pk}" selected>{display_name(reviewer)} (inactive)' in page
