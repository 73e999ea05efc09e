"""An action's confirmation is shown beside what it changed, which takes focus and is announced.

Each action redirects to the claim page at the changed item's id; the page then writes the
confirmation inside that item, marks it the one element to focus and highlight, and repeats the
words in the page's live region. The banner at the top no longer carries them.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.test.html import Element, parse_html
from django.urls import reverse

from claims.models import Assignment, ReviewState, Stance
from claims.web import feedback
from tests.conftest import add_evidence, detail_url, edit_data, login


def find(node, predicate):
    """Every element under ``node`` (an element of django.test.html) for which it holds."""
    found = []
    for child in getattr(node, "children", []):
        if isinstance(child, Element):
            if predicate(child):
                found.append(child)
            found.extend(find(child, predicate))
    return found


def attrs(element) -> dict:
    return dict(element.attributes)


def text_of(node) -> str:
    if isinstance(node, str):
        return node
    return " ".join(text_of(child) for child in node.children)


def followed(client, response):
    """The claim page the action redirected to, parsed; and the fragment it pointed at."""
    assert response.status_code == 302, response.content.decode()[:500]
    path, _, fragment = response["Location"].partition("#")
    page = client.get(path)
    assert page.status_code == 200
    return parse_html(page.content.decode()), fragment


def assert_confirmed_at(page, item: str, words: str) -> None:
    """``words`` appear inside element ``item``, which alone takes focus; the live region says
    them; the banner does not."""
    (element,) = find(page, lambda e: attrs(e).get("id") == item)
    assert "data-changed" in attrs(element)
    assert attrs(element)["tabindex"] == "-1"
    focused = find(page, lambda e: "autofocus" in attrs(e))
    assert focused == [element]
    notes = find(element, lambda e: "feedback" in attrs(e).get("class", "").split())
    assert [text_of(note).strip() for note in notes] == [words]
    (announcer,) = find(page, lambda e: attrs(e).get("id") == "announcer")
    assert attrs(announcer)["role"] == "status"
    assert text_of(announcer).strip() == words
    assert not find(page, lambda e: "messages" in attrs(e).get("class", "").split())


def test_an_added_link_is_confirmed_inside_it(client, reviewer, assigned_claim):
    response = login(client, reviewer).post(
        reverse("claims:evidence_add", args=[assigned_claim.pk, Stance.SUPPORTS]),
        {"supports-url": "https://stats.example/counts", "supports-stance": Stance.SUPPORTS},
    )
    evidence = assigned_claim.evidence.get()
    page, fragment = followed(client, response)
    assert fragment == f"link-{evidence.pk}"
    assert_confirmed_at(page, fragment, "Evidence added.")


def test_a_retracted_link_is_confirmed_inside_it(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS)
    second = add_evidence(claim, editor, Stance.SUPPORTS)
    response = login(client, editor).post(
        reverse("claims:evidence_retract", args=[claim.pk, second.pk]),
        {f"retract-{second.pk}-reason": "Counted twice."},
    )
    page, fragment = followed(client, response)
    assert fragment == f"link-{second.pk}"
    assert_confirmed_at(page, fragment, "Evidence retracted.")


def test_an_assignment_and_its_closing_are_confirmed_at_the_reviewer(
    client, editor, reviewer, claim
):
    response = login(client, editor).post(
        reverse("claims:assign", args=[claim.pk]), {"assign-reviewer": reviewer.pk}
    )
    assignment = Assignment.objects.get(claim=claim)
    page, fragment = followed(client, response)
    assert fragment == f"assignment-{assignment.pk}"
    assert_confirmed_at(page, fragment, "Reviewer assigned.")

    response = login(client, reviewer).post(
        reverse("claims:assignment_complete", args=[claim.pk, assignment.pk])
    )
    page, fragment = followed(client, response)
    assert fragment == f"assignment-{assignment.pk}"
    assert_confirmed_at(page, fragment, "Review marked done.")


def test_a_state_change_is_confirmed_at_the_state(client, reviewer, assigned_claim):
    add_evidence(assigned_claim, reviewer, Stance.CONTRADICTS)
    response = login(client, reviewer).post(
        reverse("claims:state_change", args=[assigned_claim.pk]),
        {
            "state-state": ReviewState.DISPUTED,
            "state-rationale": "The audit office says otherwise.",
            "state-expected_version": assigned_claim.version,
            "state-close_review": "on",
        },
    )
    page, fragment = followed(client, response)
    assert fragment == feedback.STATE_ITEM
    assert_confirmed_at(page, fragment, "State changed and your review closed.")


def test_a_saved_edit_is_confirmed_at_the_claim(client, editor, claim):
    response = login(client, editor).post(
        reverse("claims:edit", args=[claim.pk]), edit_data(claim, claimant="A new claimant")
    )
    assert response.status_code == 302
    page = parse_html(client.get(response["Location"]).content.decode())
    assert_confirmed_at(page, feedback.CLAIM_ITEM, "Claim saved.")


def test_the_confirmation_is_shown_once(client, reviewer, assigned_claim):
    login(client, reviewer).post(
        reverse("claims:evidence_add", args=[assigned_claim.pk, Stance.SUPPORTS]),
        {"supports-url": "https://stats.example/counts", "supports-stance": Stance.SUPPORTS},
    )
    client.get(detail_url(assigned_claim))
    again = parse_html(client.get(detail_url(assigned_claim)).content.decode())
    assert not find(again, lambda e: "data-changed" in attrs(e))
    (announcer,) = find(again, lambda e: attrs(e).get("id") == "announcer")
    assert text_of(announcer).strip() == ""


@pytest.fixture
def request_with_messages(rf: RequestFactory):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = rf.get("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_take_feedback_keeps_messages_without_an_item_for_the_banner(request_with_messages):
    from django.contrib import messages

    request = request_with_messages
    messages.info(request, "Source saved.")
    feedback.confirm(request, "Evidence added.", item="link-3")
    confirmation, others = feedback.take_feedback(request)
    assert confirmation == feedback.Feedback("Evidence added.", "link-3")
    assert [str(m) for m in others] == ["Source saved."]
    assert get_messages(request).used  # so the response clears them, as after a template loop
