"""The one-query permission backend answers as Django's ModelBackend does."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from claims.auth_backend import ModelBackendOneQuery
from tests.factories import EditorFactory, ReviewerFactory, UserFactory, ViewerFactory


@pytest.fixture
def people(db):
    direct = UserFactory(username="direct")
    direct.user_permissions.add(Permission.objects.get(codename="manage_claims"))
    both = ReviewerFactory(username="both")
    both.user_permissions.add(Permission.objects.get(codename="manage_claims"))
    extra = Group.objects.create(name="Extra")
    extra.permissions.add(Permission.objects.get(codename="add_source"))
    both.groups.add(extra)
    return [
        EditorFactory(),
        ReviewerFactory(),
        ViewerFactory(),
        direct,
        both,
        UserFactory(username="nobody"),
        UserFactory(username="root", is_superuser=True),
        EditorFactory(username="gone", is_active=False),
    ]


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # without a permission cache


def test_every_role_gets_model_backends_permissions(people):
    for user in people:
        expected = ModelBackend().get_all_permissions(fresh(user))
        assert ModelBackendOneQuery().get_all_permissions(fresh(user)) == expected, user
    assert "claims.add_source" in ModelBackendOneQuery().get_all_permissions(fresh(people[4]))
    assert ModelBackendOneQuery().get_all_permissions(fresh(people[-1])) == set()


def test_one_query_and_then_none(people, django_assert_num_queries):
    user = fresh(people[4])
    backend = ModelBackendOneQuery()
    with django_assert_num_queries(1):
        backend.get_all_permissions(user)
        assert backend.has_perm(user, "claims.manage_claims")
        assert not backend.has_perm(user, "claims.delete_claim")


def test_no_object_permissions(people):
    assert ModelBackendOneQuery().get_all_permissions(fresh(people[0]), obj=object()) == set()
