"""Discussion services: adding, editing and hiding comments write the comment and one audit
event carrying what a notifier needs, or refuse and write nothing."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from claims import clock, services
from claims.audit.actions import AuditAction
from claims.models import COMMENT_TEXT_LENGTH, AuditEvent, Claim, Comment, CommentRevision
from tests.conftest import events_of, only_new_event, postgres_only, run_verify_audit
from tests.factories import ReviewerFactory, UserFactory, ViewerFactory

T0 = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


def comment_at(moment, **kwargs):
    with clock.replaying(moment):
        return services.comment_add(**kwargs)


def edit_at(moment, **kwargs):
    with clock.replaying(moment):
        return services.comment_edit(**kwargs)


def assert_refused_and_nothing_written(claim, call, error=PermissionDenied, match=None):
    events, comments = len(events_of(claim)), Comment.objects.count()
    revisions = CommentRevision.objects.count()
    with pytest.raises(error, match=match):
        call()
    assert len(events_of(claim)) == events
    assert Comment.objects.count() == comments
    assert CommentRevision.objects.count() == revisions


# Adding -------------------------------------------------------------------------------------------


def test_comment_add_writes_the_comment_and_its_event(claim, reviewer, other_reviewer):
    before, version = claim.audit_length, claim.version
    comment = services.comment_add(
        actor=reviewer, claim=claim, text="  Ask @omar about the flight log.\r\nThanks  "
    )
    assert comment.author == reviewer
    assert comment.text == "Ask @omar about the flight log.\nThanks"
    assert list(comment.mentions.all()) == [other_reviewer]
    claim.refresh_from_db()
    assert claim.version == version + 1
    event = only_new_event(claim, before)
    assert event.action == AuditAction.COMMENT_ADDED
    assert event.actor == reviewer
    assert event.data == {
        "comment_id": comment.pk,
        "author_id": reviewer.pk,
        "text": "Ask @omar about the flight log.\nThanks",
        "mentions": [other_reviewer.pk],
    }


@pytest.mark.parametrize("role", ["editor", "reviewer", "superuser"])
def test_editors_and_every_reviewer_may_comment_assigned_or_not(claim, request, role):
    """A reviewer who is not assigned still answers in the discussion: a colleague may have
    mentioned them."""
    author = request.getfixturevalue(role)
    comment = services.comment_add(actor=author, claim=claim, text="A note")
    assert comment.author == author


def test_viewer_may_not_comment(claim, viewer):
    assert_refused_and_nothing_written(
        claim,
        lambda: services.comment_add(actor=viewer, claim=claim, text="Can I?"),
        match="permission to comment on this claim",
    )


def test_nobody_without_a_role_or_inactive_may_comment(claim, reviewer, db):
    nobody = UserFactory(username="nobody")
    assert_refused_and_nothing_written(
        claim, lambda: services.comment_add(actor=nobody, claim=claim, text="x")
    )
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    assert_refused_and_nothing_written(
        claim, lambda: services.comment_add(actor=reviewer, claim=claim, text="x")
    )


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_an_empty_comment_is_refused_at_its_field(claim, editor, text):
    with pytest.raises(ValidationError) as refusal:
        services.comment_add(actor=editor, claim=claim, text=text)
    assert refusal.value.message_dict == {"text": ["Write the comment first."]}
    assert not Comment.objects.exists()


def test_a_comment_longer_than_its_limit_is_refused_and_one_at_the_limit_is_not(claim, editor):
    services.comment_add(actor=editor, claim=claim, text="x" * COMMENT_TEXT_LENGTH)
    assert_refused_and_nothing_written(
        claim,
        lambda: services.comment_add(
            actor=editor, claim=claim, text="x" * (COMMENT_TEXT_LENGTH + 1)
        ),
        error=ValidationError,
        match="at most 2000 characters",
    )


# Mentions -----------------------------------------------------------------------------------------


def test_mentions_name_active_desk_members_only(claim, editor, reviewer, viewer, db):
    gone = ReviewerFactory(username="gone", is_active=False)
    UserFactory(username="norole")  # an account with no role on the desk
    comment = services.comment_add(
        actor=editor,
        claim=claim,
        text="@rita and @vic, not @gone, @norole or @nobody; again @RITA and @rita.",
    )
    assert sorted(u.username for u in comment.mentions.all()) == ["rita", "vic"]
    assert sorted(events_of(claim)[-1].data["mentions"]) == sorted([reviewer.pk, viewer.pk])
    assert gone not in comment.mentions.all()


@pytest.mark.parametrize(
    "text",
    [
        "write to a@b.com",
        "see https://social.example/@rita",
        "rita@desk.example has it",
        "@",
        "@ rita",
    ],
)
def test_addresses_and_bare_at_signs_mention_nobody(claim, editor, reviewer, text):
    comment = services.comment_add(actor=editor, claim=claim, text=text)
    assert not comment.mentions.exists()
    assert events_of(claim)[-1].data["mentions"] == []


def test_a_mention_ends_before_its_punctuation(claim, editor, reviewer, other_reviewer):
    comment = services.comment_add(actor=editor, claim=claim, text="Thanks @rita. (@omar),")
    assert sorted(u.username for u in comment.mentions.all()) == ["omar", "rita"]


def test_a_superuser_is_on_the_desk_and_may_be_mentioned(claim, editor, superuser):
    comment = services.comment_add(actor=editor, claim=claim, text="@root please look")
    assert list(comment.mentions.all()) == [superuser]


# Editing ------------------------------------------------------------------------------------------


@pytest.fixture
def written(claim, reviewer):
    """Rita's comment on the claim, written at T0."""
    return comment_at(T0, actor=reviewer, claim=claim, text="The log says 23:10.")


def test_the_author_edits_within_the_window_and_the_old_text_is_kept(
    claim, reviewer, other_reviewer, written
):
    before = Claim.objects.get(pk=claim.pk).audit_length
    moment = T0 + datetime.timedelta(minutes=10)
    edited = edit_at(moment, actor=reviewer, comment=written, text="The log says 23:01, @omar.")
    assert edited.text == "The log says 23:01, @omar."
    assert edited.edited_at == moment
    assert list(edited.mentions.all()) == [other_reviewer]
    revision = edited.revisions.get()
    assert (revision.text, revision.written_at, revision.replaced_at) == (
        "The log says 23:10.",
        T0,
        moment,
    )
    event = only_new_event(claim, before)
    assert event.action == AuditAction.COMMENT_EDITED
    assert event.data == {
        "comment_id": written.pk,
        "author_id": reviewer.pk,
        "old": {"text": "The log says 23:10."},
        "new": {"text": "The log says 23:01, @omar."},
        "mentions": [other_reviewer.pk],
        "new_mentions": [other_reviewer.pk],
    }


def test_an_edit_tells_only_the_newly_mentioned(claim, reviewer, other_reviewer, editor):
    comment = comment_at(T0, actor=reviewer, claim=claim, text="@omar look")
    edit_at(T0, actor=reviewer, comment=comment, text="@omar and @edna look")
    data = events_of(claim)[-1].data
    assert data["mentions"] == sorted([other_reviewer.pk, editor.pk])
    assert data["new_mentions"] == [editor.pk]


def test_a_second_edit_keeps_each_earlier_text_with_when_it_was_written(reviewer, written):
    first, second = T0 + datetime.timedelta(minutes=2), T0 + datetime.timedelta(minutes=5)
    edit_at(first, actor=reviewer, comment=written, text="Second")
    edit_at(second, actor=reviewer, comment=written, text="Third")
    assert list(written.revisions.values_list("text", "written_at", "replaced_at")) == [
        ("The log says 23:10.", T0, first),
        ("Second", first, second),
    ]


def test_an_edit_that_changes_nothing_writes_nothing(claim, reviewer, written):
    before = len(events_of(claim))
    edit_at(T0, actor=reviewer, comment=written, text="  The log says 23:10.  ")
    assert len(events_of(claim)) == before
    assert not CommentRevision.objects.exists()


def test_the_window_is_open_until_its_last_second(claim, reviewer, written):
    edit_at(
        T0 + datetime.timedelta(minutes=15) - datetime.timedelta(seconds=1),
        actor=reviewer,
        comment=written,
        text="Just in time",
    )
    assert Comment.objects.get(pk=written.pk).text == "Just in time"


def test_the_window_closes_when_its_minutes_are_up(claim, reviewer, written):
    assert_refused_and_nothing_written(
        claim,
        lambda: edit_at(
            T0 + datetime.timedelta(minutes=15), actor=reviewer, comment=written, text="Late"
        ),
        match="The edit window closed just now.",
    )
    assert_refused_and_nothing_written(
        claim,
        lambda: edit_at(
            T0 + datetime.timedelta(minutes=18), actor=reviewer, comment=written, text="Late"
        ),
        match="The edit window closed 3\xa0minutes ago.",
    )


def test_the_window_is_the_desks_setting(claim, reviewer, written, settings):
    settings.FACTCHECK_COMMENT_EDIT_MINUTES = 60
    edit_at(T0 + datetime.timedelta(minutes=59), actor=reviewer, comment=written, text="Later")
    settings.FACTCHECK_COMMENT_EDIT_MINUTES = 1
    assert_refused_and_nothing_written(
        claim,
        lambda: edit_at(
            T0 + datetime.timedelta(minutes=1), actor=reviewer, comment=written, text="x"
        ),
        match="edit window closed",
    )


@pytest.mark.parametrize("role", ["editor", "other_reviewer", "superuser"])
def test_only_the_author_edits_a_comment(claim, written, request, role):
    assert_refused_and_nothing_written(
        claim,
        lambda: edit_at(T0, actor=request.getfixturevalue(role), comment=written, text="Mine"),
        match="Only the comment's author may edit it.",
    )


def test_an_author_who_lost_their_role_edits_no_more(claim, reviewer, written):
    reviewer.groups.clear()
    ViewerFactory(username="rita")  # back on the desk, as a viewer
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    assert_refused_and_nothing_written(
        claim,
        lambda: edit_at(T0, actor=reviewer, comment=written, text="Mine"),
        match="permission to edit this comment",
    )


# Hiding -------------------------------------------------------------------------------------------


def test_an_editor_hides_a_comment_with_a_reason_and_it_stays_on_record(
    claim, editor, reviewer, written
):
    before = Claim.objects.get(pk=claim.pk).audit_length
    hidden = services.comment_hide(actor=editor, comment=written, reason="  A source's number.  ")
    assert hidden.is_hidden
    assert (hidden.hidden_by, hidden.hidden_reason) == (editor, "A source's number.")
    assert Comment.objects.get(pk=written.pk).text == "The log says 23:10."  # never deleted
    event = only_new_event(claim, before)
    assert event.action == AuditAction.COMMENT_HIDDEN
    assert event.data == {
        "comment_id": written.pk,
        "author_id": reviewer.pk,
        "author": "Rita Reviewer",
        "mentions": [],
        "reason": "A source's number.",
    }


def test_the_author_hides_their_own_comment_after_the_edit_window(claim, reviewer, written):
    with clock.replaying(T0 + datetime.timedelta(days=3)):
        services.comment_hide(actor=reviewer, comment=written, reason="Wrong claim.")
    assert Comment.objects.get(pk=written.pk).hidden_by == reviewer


def test_another_reviewer_may_not_hide_a_comment(claim, other_reviewer, written):
    assert_refused_and_nothing_written(
        claim,
        lambda: services.comment_hide(actor=other_reviewer, comment=written, reason="No"),
        match="Only an editor or the comment's author may hide it.",
    )
    assert not Comment.objects.get(pk=written.pk).is_hidden


def test_a_viewer_may_not_hide_a_comment(claim, viewer, written):
    assert_refused_and_nothing_written(
        claim,
        lambda: services.comment_hide(actor=viewer, comment=written, reason="No"),
        match="permission to hide this comment",
    )


def test_hiding_needs_a_reason(claim, editor, written):
    with pytest.raises(ValidationError) as refusal:
        services.comment_hide(actor=editor, comment=written, reason="  ")
    assert refusal.value.message_dict == {"reason": ["Say why the comment is hidden."]}
    assert not Comment.objects.get(pk=written.pk).is_hidden


def test_a_hidden_comment_is_hidden_once_and_edited_never(claim, editor, reviewer, written):
    services.comment_hide(actor=editor, comment=written, reason="Off topic.")
    assert_refused_and_nothing_written(
        claim,
        lambda: services.comment_hide(actor=editor, comment=written, reason="Again"),
        error=ValidationError,
        match="already hidden",
    )
    assert_refused_and_nothing_written(
        claim,
        lambda: edit_at(T0, actor=reviewer, comment=written, text="Fixed"),
        match="This comment is hidden.",
    )


# The chain ----------------------------------------------------------------------------------------


def test_the_audit_trail_verifies_after_adds_edits_and_hides(claim, editor, reviewer, written):
    edit_at(T0 + datetime.timedelta(minutes=1), actor=reviewer, comment=written, text="Edited")
    other = services.comment_add(actor=editor, claim=claim, text="Another, @rita")
    services.comment_hide(actor=editor, comment=written, reason="Superseded.")
    services.comment_hide(actor=editor, comment=other, reason="Resolved.")
    actions = [event.action for event in events_of(claim)]
    assert actions[-5:] == [
        AuditAction.COMMENT_ADDED,
        AuditAction.COMMENT_EDITED,
        AuditAction.COMMENT_ADDED,
        AuditAction.COMMENT_HIDDEN,
        AuditAction.COMMENT_HIDDEN,
    ]
    assert run_verify_audit() == f"Audit trail intact: {len(actions)} events in 1 claim.\n"


def test_a_comment_needs_no_version_and_breaks_no_move(claim, editor, reviewer):
    """A comment arriving between loading the page and moving the state is no conflict."""
    from claims.models import ReviewState, Stance
    from tests.conftest import add_evidence

    add_evidence(claim, editor, Stance.SUPPORTS)
    seen = Claim.objects.get(pk=claim.pk).version
    services.comment_add(actor=reviewer, claim=claim, text="Looks right to me.")
    moved = services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=seen,
        state=ReviewState.CORROBORATED,
        rationale="The record agrees.",
    )
    assert moved.state == ReviewState.CORROBORATED


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_comments_each_extend_the_chain_in_turn():
    """Without the claim's row lock two comments would take the same place in its chain."""
    from tests.conftest import restore_roles
    from tests.factories import EditorFactory, SourceFactory

    restore_roles()
    people = [EditorFactory(username=f"talker{number}") for number in range(4)]
    # Made by the service, so its chain starts with its creation, as verify_audit replays it.
    claim = services.claim_create(
        actor=people[0],
        text="Talked over at once.",
        claimant="Someone",
        appearances=[services.AppearanceInput(SourceFactory(), "said so")],
    )
    barrier = threading.Barrier(len(people))
    outcomes = []

    def talk(person):
        try:
            barrier.wait()
            for number in range(3):
                services.comment_add(actor=person, claim=claim, text=f"{person} {number}")
            outcomes.append("ok")
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=talk, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == ["ok"] * len(people)
    claim.refresh_from_db()
    assert claim.audit_length == 13
    assert AuditEvent.objects.filter(claim_id=claim.pk).count() == 13
    assert run_verify_audit().startswith("Audit trail intact: 13 events in 1 claim")
