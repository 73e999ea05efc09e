"""People as the desk shows them: display names, and who may be a reviewer.

"Who may review" has one definition, ``permissions.is_reviewer``; ``reviewer_candidates`` is the
same rule as a query (a permission held through a group or granted to the user directly), so the
claim page's assign form, the queue's reviewer filter and the admin all offer the same people.
"Who is on the desk" is ``permissions.can_view``; ``desk_members`` is that rule as a query, the
people a comment may mention.
"""

import functools
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from claims.mentions import MAX_MENTIONS
from claims.models import Assignment, Claim

# As long as AuditEvent.actor_name holds: a full name can be 301 characters (150 + space + 150).
ACTOR_NAME_LENGTH = 300

_REVIEWING_PERMISSIONS = ("review_claims", "manage_claims")
_EDITING_PERMISSIONS = ("manage_claims",)
_READING_PERMISSIONS = ("view_claim", "manage_claims")
# The most people the mention autocomplete offers at once: a few keystrokes more narrow it.
MENTION_CHOICES = 8
_NAME_FIELDS = ("id", "username", "first_name", "last_name", "is_active")


def display_name(user) -> str:
    """A person's name as every page, export and audit event writes it: the full name, else the
    user name; "system" for work no person did."""
    if user is None:
        return "system"
    return name_from_parts(user.first_name, user.last_name, user.get_username())


def name_from_parts(first_name: str, last_name: str, username: str) -> str:
    """``display_name`` for a row read as plain values (``User.get_full_name``'s rule)."""
    return (f"{first_name} {last_name}".strip() or username)[:ACTOR_NAME_LENGTH]


def name_with_username(user) -> str:
    """The name and, where it differs, the user name: for choosing among people who may share
    a name (the admin's reviewer choices)."""
    name = display_name(user)
    return name if name == user.get_username() else f"{name} ({user.get_username()})"


def _holding(codenames: tuple[str, ...]) -> Q:
    """Superusers, and holders of one of these claim permissions through a group or directly.

    As two ``IN`` subqueries rather than joins: joined, every user row is repeated once per
    group and permission and needs a DISTINCT, which cost PostgreSQL 1.9 ms of the claim page.
    """
    ids = _permission_ids(codenames)
    user_model = get_user_model()
    in_groups = user_model.groups.through.objects.filter(
        group_id__in=Group.permissions.through.objects.filter(permission_id__in=ids).values(
            "group_id"
        )
    ).values("user_id")
    directly = user_model.user_permissions.through.objects.filter(permission_id__in=ids).values(
        "user_id"
    )
    return Q(is_superuser=True) | Q(pk__in=in_groups) | Q(pk__in=directly)


@functools.cache
def _permission_ids(codenames: tuple[str, ...]) -> tuple[int, ...]:
    """These claim permissions' ids, read once per process: naming them by id spares each
    people query two joins, and PostgreSQL the planning of them (most of its time). A
    permission row lives as long as its model; ``flush`` and ``migrate`` may write them again,
    so post_migrate forgets these (``ClaimsConfig.ready``)."""
    return tuple(
        Permission.objects.filter(
            codename__in=codenames, content_type=ContentType.objects.get_for_model(Claim)
        ).values_list("pk", flat=True)
    )


def forget_permission_ids(**_kwargs) -> None:
    _permission_ids.cache_clear()


def desk_editors() -> QuerySet:
    """Active users who run the desk: ``permissions.is_editor`` as one query."""
    return (
        get_user_model()
        .objects.filter(_holding(_EDITING_PERMISSIONS), is_active=True)
        .order_by("id")
    )


def reviewer_candidates() -> QuerySet:
    """Active users who may review, by name: ``permissions.is_reviewer`` as one query."""
    return (
        get_user_model()
        .objects.filter(_holding(_REVIEWING_PERMISSIONS), is_active=True)
        .order_by("first_name", "last_name", "username")
        .only(*_NAME_FIELDS)
    )


def reviewer_options() -> list[tuple[str, str]]:
    """(id, name) of each of ``reviewer_candidates``, as a select offers them: plain values
    from one query, not a user instance per option."""
    rows = reviewer_candidates().values_list("id", "first_name", "last_name", "username")
    return [(str(pk), name_from_parts(first, last, username)) for pk, first, last, username in rows]


def desk_members() -> QuerySet:
    """Active users with a role on the desk (``permissions.can_view`` as one query), by name."""
    return (
        get_user_model()
        .objects.filter(_holding(_READING_PERMISSIONS), is_active=True)
        .order_by("first_name", "last_name", "username")
        .only(*_NAME_FIELDS)
    )


def mentioned_people(names: list[str]) -> list:
    """The desk members these usernames name (case aside, an exact spelling preferred), in the
    order named; a name that is nobody's, or an inactive account's, names no one."""
    names = names[:MAX_MENTIONS]
    if not names:
        return []
    found = desk_members().filter(reduce(or_, (Q(username__iexact=name) for name in names)))
    by_name: dict[str, object] = {}
    for user in found:
        by_name[user.username] = user
        by_name.setdefault(user.username.lower(), user)
    people = []
    for name in names:
        user = by_name.get(name) or by_name.get(name.lower())
        if user is not None and user not in people:
            people.append(user)
    return people


def mention_candidates(prefix: str) -> list:
    """At most ``MENTION_CHOICES`` desk members whose username, first or last name starts with
    ``prefix`` (an ``@`` before it aside), in one query; nobody for an empty prefix."""
    prefix = prefix.strip().lstrip("@").strip()
    if not prefix:
        return []
    return list(
        desk_members().filter(
            Q(username__istartswith=prefix)
            | Q(first_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix)
        )[:MENTION_CHOICES]
    )


def former_reviewer(user_id: int):
    """A user who is not a candidate today but held an assignment (deactivated, or moved out
    of a reviewing role): their work still counts, so a filter may still name them. Anyone
    else, however the id was typed, is not named."""
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .filter(Exists(Assignment.objects.filter(reviewer_id=OuterRef("pk"))))
        .only(*_NAME_FIELDS)
        .first()
    )


def reviewer_label(user) -> str:
    """A reviewer as a choice in a list: marked when the account is no longer active."""
    name = display_name(user)
    return name if user.is_active else _("%(name)s (inactive)") % {"name": name}
