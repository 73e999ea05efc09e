"""A claim's discussion on its page: adding, editing and hiding comments by POST, what each role
is offered, escaping and links, the mention autocomplete, and the page's queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import clock, services
from claims.audit.actions import AuditAction
from claims.models import Comment
from tests.conftest import detail_url, events_of, login, propose
from tests.factories import EditorFactory, ReviewerFactory, UserFactory, ViewerFactory


def add_url(claim):
    return reverse("claims:comment_add", args=[claim.pk])


def edit_url(comment):
    return reverse("claims:comment_edit", args=[comment.claim_id, comment.pk])


def hide_url(comment):
    return reverse("claims:comment_hide", args=[comment.claim_id, comment.pk])


def comment_item(html: str, comment) -> str:
    """The ``<li>`` of ``comment`` on the page (up to the next comment or the list's end)."""
    start = html.index(f'id="comment-{comment.pk}"')
    ends = [html.find(end, start) for end in ('<li class="comment', "comment-form", "</section>")]
    return html[start : min(end for end in ends if end > 0)]


def written_ago(minutes, **kwargs):
    with clock.replaying(timezone.now() - datetime.timedelta(minutes=minutes)):
        return services.comment_add(**kwargs)


# Adding -------------------------------------------------------------------------------------------


def test_a_reviewer_adds_a_comment_and_lands_on_it_with_the_confirmation(client, reviewer, claim):
    response = login(client, reviewer).post(add_url(claim), {"comment-text": "Checked the log."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(claim)}#comment-{comment.pk}"
    assert events_of(claim)[-1].action == AuditAction.COMMENT_ADDED

    page = client.get(response["Location"]).content.decode()
    item = comment_item(page, comment)
    assert "autofocus" in item
    assert "data-changed" in item
    assert '<p class="feedback">Comment added.</p>' in item
    assert re.search(r'id="announcer"[^>]*>Comment added\.</div>', page)
    assert "Rita Reviewer" in item
    assert "Checked the log." in item


def test_the_discussion_reads_oldest_first_with_names_and_times(client, editor, reviewer, claim):
    written_ago(30, actor=reviewer, claim=claim, text="First, by Rita")
    services.comment_add(actor=editor, claim=claim, text="Then Edna")
    page = login(client, editor).get(detail_url(claim)).content.decode()
    assert page.index("First, by Rita") < page.index("Then Edna")
    assert page.index("Rita Reviewer") < page.index("Then Edna")
    assert 'class="comment-head"><strong>Edna Editor</strong>' in page
    assert page.count('<time class="muted small" datetime=') == 2


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_comment_comes_back_with_the_error_at_its_field(client, editor, claim, text):
    response = login(client, editor).post(add_url(claim), {"comment-text": text})
    assert response.status_code == 422
    assert response.context["forms"]["comment"].errors["text"]
    assert not Comment.objects.exists()


def test_a_refused_comment_keeps_what_was_typed(client, editor, claim):
    typed = "A long note, " + "x" * 2000
    response = login(client, editor).post(add_url(claim), {"comment-text": typed})
    assert response.status_code == 422
    form = response.context["forms"]["comment"]
    assert "at most 2000 characters" in form.errors["text"][0]
    page = response.content.decode()
    assert f">\n{typed}</textarea>" in page
    assert 'class="field field-error"' in page
    assert not Comment.objects.exists()


def test_a_viewer_reads_the_discussion_but_may_not_write_in_it(client, viewer, editor, claim):
    comment = services.comment_add(actor=editor, claim=claim, text="Editors' note")
    login(client, viewer)
    page = client.get(detail_url(claim)).content.decode()
    assert "Editors&#x27; note" in page
    for absent in ("Add comment", add_url(claim), edit_url(comment), hide_url(comment), "Hide…"):
        assert absent not in page
    assert client.post(add_url(claim), {"comment-text": "Me too"}).status_code == 403
    hidden = client.post(hide_url(comment), {f"hide-comment-{comment.pk}-reason": "x"})
    assert hidden.status_code == 403
    assert Comment.objects.count() == 1


def test_an_unassigned_reviewer_is_offered_the_discussion(client, reviewer, claim):
    page = login(client, reviewer).get(detail_url(claim)).content.decode()
    assert "Add comment" in page
    assert "This claim is not assigned to you" in page  # evidence and verdicts still are not


# What a comment shows ---------------------------------------------------------------------------


def test_a_comment_is_escaped_and_only_http_links_become_links(client, editor, reviewer, claim):
    services.comment_add(
        actor=editor,
        claim=claim,
        text="<script>alert('x')</script> <img src=x onerror=alert(1)> javascript:alert(1) "
        "data:text/html,hi www.example.com a@b.com and https://news.example/a?b=1&c=2.",
    )
    page = login(client, reviewer).get(detail_url(claim)).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert 'href="data:' not in page
    assert "mailto:" not in page
    assert 'href="http://www.example.com' not in page
    assert (
        '<a href="https://news.example/a?b=1&amp;c=2" rel="nofollow noopener noreferrer" '
        'target="_blank">https://news.example/a?b=1&amp;c=2</a>.'
    ) in page


def test_mentions_of_desk_members_are_highlighted_and_others_left_plain(
    client, editor, reviewer, claim
):
    ReviewerFactory(username="gone", first_name="Gone", is_active=False)
    services.comment_add(actor=editor, claim=claim, text="@rita, @gone and @nobody: look")
    page = login(client, editor).get(detail_url(claim)).content.decode()
    assert '<mark class="mention" title="Rita Reviewer">@rita</mark>, @gone and @nobody' in page


def test_line_breaks_are_kept(client, editor, claim):
    services.comment_add(actor=editor, claim=claim, text="One\nTwo")
    page = login(client, editor).get(detail_url(claim)).content.decode()
    assert "One<br>\nTwo" in page


# Editing -----------------------------------------------------------------------------------------


def test_the_author_edits_and_the_page_shows_the_earlier_version(client, reviewer, claim):
    comment = written_ago(2, actor=reviewer, claim=claim, text="The log says 23:10")
    login(client, reviewer)
    page = client.get(detail_url(claim)).content.decode()
    assert edit_url(comment) in comment_item(page, comment)
    assert "You can edit it until" in comment_item(page, comment)

    response = client.post(edit_url(comment), {f"edit-comment-{comment.pk}-text": "It says 23:01"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    item = comment_item(client.get(response["Location"]).content.decode(), comment)
    assert "It says 23:01" in item
    assert "· edited" in item
    assert "Edited: 1 earlier version" in item
    assert "The log says 23:10" in item
    assert "Comment edited." in item


def test_past_the_window_the_author_sees_a_disabled_edit_saying_when_it_closed(
    client, reviewer, claim
):
    comment = written_ago(18, actor=reviewer, claim=claim, text="Old news")
    item = comment_item(login(client, reviewer).get(detail_url(claim)).content.decode(), comment)
    assert f'disabled aria-describedby="edit-blocked-{comment.pk}"' in item
    assert "The edit window closed 3\xa0minutes ago." in item
    assert edit_url(comment) not in item
    assert hide_url(comment) in item  # hiding their own stays open


def test_an_edit_sent_after_the_window_closed_keeps_the_text_typed(client, reviewer, claim):
    comment = written_ago(16, actor=reviewer, claim=claim, text="Old news")
    key = f"edit-comment-{comment.pk}-text"
    response = login(client, reviewer).post(edit_url(comment), {key: "My careful rewrite"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "My careful rewrite</textarea>" in page
    assert "The edit window closed" in page
    assert Comment.objects.get(pk=comment.pk).text == "Old news"


def test_nobody_but_the_author_is_offered_an_edit_or_may_post_one(client, editor, reviewer, claim):
    comment = services.comment_add(actor=reviewer, claim=claim, text="Rita's")
    login(client, editor)
    item = comment_item(client.get(detail_url(claim)).content.decode(), comment)
    assert edit_url(comment) not in item
    assert "edit-blocked" not in item
    response = client.post(edit_url(comment), {f"edit-comment-{comment.pk}-text": "Edna's now"})
    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).text == "Rita's"


# Hiding -------------------------------------------------------------------------------------------


def test_an_editor_hides_a_comment_and_the_page_says_who_and_why(client, editor, reviewer, claim):
    comment = services.comment_add(actor=reviewer, claim=claim, text="A source's phone number")
    login(client, editor)
    response = client.post(hide_url(comment), {f"hide-comment-{comment.pk}-reason": "Private."})
    assert response.status_code == 302
    page = login(client, reviewer).get(detail_url(claim)).content.decode()
    item = comment_item(page, comment)
    assert "Comment hidden by Edna Editor: Private." in item
    assert "phone number" not in page
    assert edit_url(comment) not in item
    assert hide_url(comment) not in item
    assert "Edna Editor hid a comment by Rita Reviewer: “Private.”" in page  # the history


def test_hiding_without_a_reason_comes_back_with_the_error(client, editor, reviewer, claim):
    comment = services.comment_add(actor=reviewer, claim=claim, text="Rita's")
    response = login(client, editor).post(
        hide_url(comment), {f"hide-comment-{comment.pk}-reason": ""}
    )
    assert response.status_code == 422
    item = comment_item(response.content.decode(), comment)
    assert '<details class="comment-hide" open>' in item
    assert "This field is required." in item
    assert not Comment.objects.get(pk=comment.pk).is_hidden


def test_another_reviewer_is_offered_no_hide_and_is_refused_one(
    client, reviewer, other_reviewer, claim
):
    comment = services.comment_add(actor=reviewer, claim=claim, text="Rita's")
    login(client, other_reviewer)
    item = comment_item(client.get(detail_url(claim)).content.decode(), comment)
    assert hide_url(comment) not in item
    response = client.post(hide_url(comment), {f"hide-comment-{comment.pk}-reason": "Mine"})
    assert response.status_code == 403
    assert not Comment.objects.get(pk=comment.pk).is_hidden


# Independent review ---------------------------------------------------------------------------


def test_a_blind_reviewer_sees_neither_the_other_reviewers_comments_nor_their_events(
    client, independent_claim, editor, reviewer, other_reviewer
):
    services.comment_add(actor=other_reviewer, claim=independent_claim, text="Omar leans no")
    services.comment_add(actor=editor, claim=independent_claim, text="Edna: due Friday")
    page = login(client, reviewer).get(detail_url(independent_claim)).content.decode()
    assert "Omar leans no" not in page
    assert "Omar Other commented" not in page
    assert "Edna: due Friday" in page
    assert "Edna Editor commented" in page

    propose(independent_claim, reviewer)
    page = client.get(detail_url(independent_claim)).content.decode()
    assert "Omar leans no" in page
    assert "Omar Other commented" in page

    page = login(client, editor).get(detail_url(independent_claim)).content.decode()
    assert "Omar leans no" in page


# The page's queries -------------------------------------------------------------------------------


def _page_queries(client, claim) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(claim)).status_code == 200
    return len(queries)


def test_the_claim_page_reads_its_discussion_in_the_same_queries_however_long(
    client, editor, reviewer, other_reviewer, claim
):
    login(client, editor)
    first = written_ago(1, actor=reviewer, claim=claim, text="One @omar https://a.example/")
    one = _page_queries(client, claim)
    for number in range(19):
        comment = services.comment_add(
            actor=(editor, reviewer, other_reviewer)[number % 3],
            claim=claim,
            text=f"Comment {number} for @edna and @rita",
        )
        if number % 4 == 0:
            services.comment_hide(actor=editor, comment=comment, reason="Resolved")
    services.comment_edit(actor=reviewer, comment=first, text="One, edited, @omar")
    assert Comment.objects.filter(claim=claim).count() == 20
    assert _page_queries(client, claim) == one


# Mention autocomplete ---------------------------------------------------------------------------

SEARCH = reverse("claims:mention_search")


def test_the_mention_search_needs_a_login_and_a_role_on_the_desk(client, db):
    response = client.get(SEARCH, {"q": "ri"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    nobody = UserFactory(username="nobody")
    assert login(client, nobody).get(SEARCH, {"q": "ri"}).status_code == 403


def test_the_mention_search_offers_active_desk_members_by_name_or_username(
    client, editor, reviewer, viewer, db
):
    ReviewerFactory(username="rick", first_name="Rick", last_name="Gone", is_active=False)
    UserFactory(username="rina", first_name="Rina", last_name="Norole")
    EditorFactory(username="zed", first_name="Zed", last_name="Richter")
    login(client, viewer)
    page = client.get(SEARCH, {"q": "ri"}).content.decode()
    offered = re.findall(r'data-mention="([^"]+)"', page)
    assert offered == ["rita", "zed"]  # username "rita" and last name "Richter"; by name
    assert "2 people found" in page
    assert re.findall(r'data-mention="([^"]+)"', client.get(SEARCH, {"q": "@Edn"}).content.decode())
    assert client.get(SEARCH, {"q": "@Edn"}).content.decode().count("data-mention=") == 1
    assert "Nobody on the desk has that name." in client.get(SEARCH, {"q": "qqq"}).content.decode()
    assert "data-mention" not in client.get(SEARCH, {"q": " "}).content.decode()


def test_the_mention_search_offers_at_most_eight_in_one_query_however_many_match(
    client, viewer, django_assert_num_queries
):
    for number in range(12):
        ReviewerFactory(username=f"sam{number:02}", first_name="Sam", last_name=f"S{number}")
    login(client, viewer)
    client.get(SEARCH, {"q": "x"})  # the session and the user, read once as on every page
    # The session, the user, their permissions (one query: claims.auth_backend), the people.
    with django_assert_num_queries(4):
        page = client.get(SEARCH, {"q": "sam"}).content.decode()
    assert page.count("data-mention=") == 8


def test_the_mention_search_escapes_names(client, viewer, db):
    ViewerFactory(username="evil", first_name="<b>Evil</b>", last_name="")
    page = login(client, viewer).get(SEARCH, {"q": "evil"}).content.decode()
    assert "<b>Evil" not in page
    assert "&lt;b&gt;Evil&lt;/b&gt;" in page


def test_the_comment_form_offers_the_search_only_to_a_script(client, editor, claim):
    page = login(client, editor).get(detail_url(claim)).content.decode()
    block = re.search(r"<div class=\"mention-search\"[^>]*>", page).group()
    assert " hidden>" in block  # desk.js shows it; without JavaScript @username is typed
    assert f'hx-get="{SEARCH}"' in page
