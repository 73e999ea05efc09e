"""Signing in, in real headless Chromium: five wrong passwords pause the login with the lockout
page, and a person changes their password from the settings page and signs in with it."""

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from playwright.sync_api import expect

from tests.conftest import BROWSER_TEST, log_in_page, open_browser_page
from tests.web.test_browser import SCREENSHOTS

pytestmark = BROWSER_TEST

NEW = "a quiet harbour at dawn"


def try_password(page, username, password):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_five_wrong_passwords_show_the_lockout_page(browser, browser_context_args, editor):
    page = open_browser_page(browser, browser_context_args)
    page.goto("/login/")
    for _ in range(4):
        try_password(page, "edna", "not it")
        expect(page.get_by_text("correct username and password")).to_be_visible()

    with page.expect_response("**/login/") as answer:
        try_password(page, "edna", "not it")

    assert answer.value.status == 429
    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()
    expect(page.get_by_text("Try again after")).to_contain_text("in 15 minutes")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "sign-in-paused.png", full_page=True)
    page.get_by_role("link", name="Back to sign in").click()
    try_password(page, "edna", "pw")
    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()


def test_a_password_changed_on_the_settings_page_signs_in(browser, browser_context_args, editor):
    page = open_browser_page(browser, browser_context_args)
    log_in_page(page, editor)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Change password").click()
    page.get_by_label("Old password").fill("pw")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password confirmation").fill(NEW)
    page.get_by_role("button", name="Change password").click()

    expect(page.get_by_text("Password changed.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    log_in_page(page, editor, NEW)
