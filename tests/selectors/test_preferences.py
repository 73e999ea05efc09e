"""Reading a person's desk preferences: the default until they choose, in one query."""

from django.contrib.auth.models import AnonymousUser

from claims import services
from claims.models import QueueDensity
from claims.selectors.preferences import queue_density


def test_the_queue_is_comfortable_for_someone_who_never_chose(editor, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert queue_density(editor) == QueueDensity.COMFORTABLE


def test_the_chosen_density_is_read_in_one_query(editor, django_assert_num_queries):
    services.desk_preferences_update(actor=editor, queue_density=QueueDensity.COMPACT)
    with django_assert_num_queries(1):
        assert queue_density(editor) == QueueDensity.COMPACT


def test_nobody_signed_in_gets_the_default_without_a_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert queue_density(AnonymousUser()) == QueueDensity.COMFORTABLE
