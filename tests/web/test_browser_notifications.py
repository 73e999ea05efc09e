"""Work finds people, in real headless Chromium: an editor assigns a claim; the reviewer sees
the bell's count, opens the claim from the inbox and comments mentioning the editor; the editor
is notified. Tasks run inline (TASKS_URL=immediate) once each write commits."""

import re

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from playwright.sync_api import expect

from claims.models import Notification
from tests.conftest import BROWSER_TEST, log_in_page, open_browser_page
from tests.web.test_browser import SCREENSHOTS

pytestmark = BROWSER_TEST


def bell(page):
    return page.locator("a.bell")


def test_an_assignment_and_a_mention_reach_their_people(
    browser, browser_context_args, claim, editor, reviewer
):
    desk = open_browser_page(browser, browser_context_args)
    log_in_page(desk, editor)
    desk.goto(claim.get_absolute_url())
    assign = desk.locator("#assignments")
    assign.get_by_text("Assign a reviewer").click()
    assign.get_by_label("Reviewer").select_option(label="Rita Reviewer")
    assign.get_by_role("button", name="Assign").click()
    expect(desk.locator("#assignments")).to_contain_text("Rita Reviewer")
    expect(bell(desk)).to_have_attribute("aria-label", "Notifications: 0 unread")

    rita = open_browser_page(browser, browser_context_args)
    log_in_page(rita, reviewer)
    expect(bell(rita)).to_have_attribute("aria-label", "Notifications: 1 unread")
    expect(bell(rita).locator(".count")).to_have_text("1")
    bell(rita).click()
    expect(rita.get_by_role("heading", name="Notifications")).to_be_visible()
    rita.screenshot(path=SCREENSHOTS / "inbox-desktop.png", full_page=True)
    rita.get_by_role("button", name=re.compile(r"^Edna Editor assigned you to review")).click()
    expect(rita).to_have_url(re.compile(rf"/claims/{claim.pk}/$"))
    expect(bell(rita)).to_have_attribute("aria-label", "Notifications: 0 unread")

    discussion = rita.locator("#discussion")
    discussion.get_by_label("Comment", exact=True).fill("@edna the second source disagrees.")
    discussion.get_by_role("button", name="Add comment").click()
    expect(discussion).to_contain_text("the second source disagrees")

    desk.reload()
    expect(bell(desk)).to_have_attribute("aria-label", "Notifications: 1 unread")
    bell(desk).click()
    expect(desk.locator(".inbox-list li.unread")).to_have_count(1)
    expect(desk.locator(".inbox-list")).to_contain_text(
        f"Rita Reviewer mentioned you in a comment on #{claim.pk}"
    )
    assert Notification.objects.filter(recipient=editor, kind="mentioned").count() == 1
    desk.get_by_role("button", name="Mark all read").click()
    expect(bell(desk)).to_have_attribute("aria-label", "Notifications: 0 unread")
    for page in (desk, rita):
        page.context.close()
