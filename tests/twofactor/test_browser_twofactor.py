"""Two-factor sign-in in real headless Chromium, on a desk that requires it of editors: the editor
signs in with a password, is sent to enrol, reads the key off the page as an authenticator app
would, confirms with a code computed from it here, keeps the recovery codes, and signs in again
with the password and the app's next code. axe-core checks each page on the way."""

import re
from base64 import b32decode

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from django_otp.oath import totp
from playwright.sync_api import expect

from tests.conftest import BROWSER_TEST, FACTORY_PASSWORD, SCREENSHOTS, open_browser_page
from tests.web.test_accessibility import _axe_violations

pytestmark = BROWSER_TEST


def code_from_key(key: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key as the page printed it (base32 in groups)."""
    secret = key.replace(" ", "")
    secret += "=" * (-len(secret) % 8)
    return f"{totp(b32decode(secret), drift=steps_ahead):06d}"


def sign_in(page, user) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_editor_enrols_then_signs_in_with_the_apps_code(
    browser, browser_context_args, editor, settings
):
    settings.FACTCHECK_REQUIRE_2FA = True  # the live server runs in this process: it sees this
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_browser_page(browser, browser_context_args)
    violations = []

    sign_in(page, editor)
    expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()
    expect(page.locator("#required")).to_contain_text("This desk asks editors and staff")
    page.goto("/claims/")  # any desk page leads back here until the editor has enrolled
    expect(page).to_have_url(re.compile(r"/settings/two-factor/\?next="))
    page.get_by_role("button", name="Set up two-factor sign-in").click()

    qr = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150  # big enough for a phone's camera
    key = page.locator("code.totp-secret").inner_text()
    violations += _axe_violations(page)
    page.screenshot(path=SCREENSHOTS / "two-factor-enrol.png", full_page=True)

    code = page.get_by_label("Then type the code the app shows")
    wrong = "000000" if code_from_key(key) != "000000" else "111111"
    code.fill(wrong)
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.locator(".errorlist")).to_contain_text("not the code your app shows")
    expect(code).to_have_value(wrong)
    violations += _axe_violations(page)
    page.wait_for_timeout(1100)  # a wrong code holds the device for a second

    code.fill(code_from_key(key))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    violations += _axe_violations(page)
    page.screenshot(path=SCREENSHOTS / "two-factor-recovery-codes.png", full_page=True)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", name="Claim queue")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    sign_in(page, editor)
    expect(page).to_have_url(re.compile(r"/login/code/$"))
    expect(page.get_by_text("Your password is right")).to_be_visible()
    violations += _axe_violations(page)
    page.screenshot(path=SCREENSHOTS / "two-factor-sign-in-code.png", full_page=True)
    page.get_by_label("Code").fill(code_from_key(key, steps_ahead=1))  # the confirming one is spent
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Claim queue")).to_be_visible()

    page.goto("/settings/two-factor/")
    expect(page.get_by_role("button", name="Turn off two-factor sign-in")).to_be_visible()
    violations += _axe_violations(page)
    page.context.close()
    assert not violations, "axe-core found:\n" + "\n".join(violations)
