"""A claim's discussion in real headless Chromium: commenting with JavaScript (htmx swaps the
workspace; the mention search puts @username in the comment) and without (plain POST, the
search hidden, @username typed by hand), then editing and hiding."""

import re

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from playwright.sync_api import expect

from claims.models import Comment
from tests.conftest import BROWSER_TEST, log_in_page, open_browser_page
from tests.web.test_browser import settle, submit

pytestmark = BROWSER_TEST


@pytest.fixture
def open_page(browser, browser_context_args):
    """Open a page in a fresh context, JavaScript on or off; closed after the test."""
    pages = []

    def open_(*, javascript: bool):
        page = open_browser_page(browser, browser_context_args, java_script_enabled=javascript)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.context.close()


def test_a_reviewer_mentions_a_colleague_found_by_name(open_page, claim, reviewer, other_reviewer):
    page = open_page(javascript=True)
    log_in_page(page, reviewer)
    page.goto(claim.get_absolute_url())
    discussion = page.locator("#discussion")
    comment = discussion.get_by_label("Comment", exact=True)
    comment.fill("Over to you ")

    search = discussion.get_by_label("Find a colleague to mention")
    expect(search).to_be_visible()
    search.press_sequentially("Oth")  # Omar Other, by his last name
    choice = discussion.get_by_role("button", name=re.compile(r"^@omar"))
    expect(choice).to_be_visible()
    choice.click()
    expect(comment).to_have_value("Over to you @omar ")
    expect(comment).to_be_focused()
    expect(search).to_have_value("")
    comment.press_sequentially("for the flight log.")

    response = submit(page, discussion.get_by_role("button", name="Add comment"), javascript=True)
    assert response.status == 302
    written = Comment.objects.get()
    assert list(written.mentions.all()) == [other_reviewer]
    item = page.locator(f"#comment-{written.pk}")
    expect(item.locator(".feedback")).to_have_text("Comment added.")
    expect(item).to_be_focused()
    expect(page.get_by_role("status")).to_have_text("Comment added.")
    expect(item.locator("mark.mention")).to_have_text("@omar")
    expect(page.locator("#timeline li").first).to_contain_text("Rita Reviewer commented.")


def test_enter_in_the_search_mentions_the_first_found_and_sends_nothing(
    open_page, claim, reviewer, other_reviewer
):
    page = open_page(javascript=True)
    log_in_page(page, reviewer)
    page.goto(claim.get_absolute_url())
    discussion = page.locator("#discussion")
    search = discussion.get_by_label("Find a colleague to mention")
    search.press_sequentially("omar")
    expect(discussion.get_by_role("button", name=re.compile(r"^@omar"))).to_be_visible()
    search.press("Enter")
    expect(discussion.get_by_label("Comment", exact=True)).to_have_value("@omar ")
    settle(page)
    assert not Comment.objects.exists()


def test_without_javascript_a_mention_is_typed_and_the_page_lands_on_it(
    open_page, claim, reviewer, other_reviewer
):
    page = open_page(javascript=False)
    log_in_page(page, reviewer)
    page.goto(claim.get_absolute_url())
    discussion = page.locator("#discussion")
    expect(discussion.get_by_label("Find a colleague to mention")).to_be_hidden()
    discussion.get_by_label("Comment", exact=True).fill("@omar see https://log.example/1")
    response = submit(page, discussion.get_by_role("button", name="Add comment"), javascript=False)
    assert response.status == 302
    written = Comment.objects.get()
    expect(page).to_have_url(re.compile(rf"#comment-{written.pk}$"))
    item = page.locator(f"#comment-{written.pk}")
    expect(item.locator(".feedback")).to_have_text("Comment added.")
    expect(item.get_by_role("link", name="https://log.example/1")).to_have_attribute(
        "href", "https://log.example/1"
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_author_edits_then_an_editor_hides(open_page, claim, reviewer, editor, javascript):
    page = open_page(javascript=javascript)
    log_in_page(page, reviewer)
    page.goto(claim.get_absolute_url())
    discussion = page.locator("#discussion")
    discussion.get_by_label("Comment", exact=True).fill("The log says 23:10.")
    submit(page, discussion.get_by_role("button", name="Add comment"), javascript=javascript)
    written = Comment.objects.get()
    item = page.locator(f"#comment-{written.pk}")

    item.locator("summary", has_text="Edit").click()
    item.get_by_label("Your comment").fill("The log says 23:01.")
    submit(page, item.get_by_role("button", name="Save the comment"), javascript=javascript)
    expect(item.locator(".feedback")).to_have_text("Comment edited.")
    expect(item.locator(".comment-text").first).to_have_text("The log says 23:01.")
    item.get_by_text("Edited: 1 earlier version").click()
    expect(item.locator(".earlier-versions")).to_contain_text("The log says 23:10.")

    page.context.clear_cookies()
    log_in_page(page, editor)
    page.goto(claim.get_absolute_url())
    item.get_by_text("Hide…").click()
    item.get_by_label("Reason for hiding").fill("Superseded by the evidence.")
    submit(page, item.get_by_role("button", name="Hide the comment"), javascript=javascript)
    expect(item.locator(".hidden-note")).to_have_text(
        "Comment hidden by Edna Editor: Superseded by the evidence."
    )
    expect(item).not_to_contain_text("23:01")
