"""The Content-Security-Policy in real headless Chromium, which enforces it: the desk's pages,
their htmx swaps, the printable report, the review packet and the API's documentation pages run
and look as they should, and the browser reports no violation of the policy on its console."""

import re

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from playwright.sync_api import Page, expect

from claims.models import Stance
from tests.conftest import BROWSER_TEST, add_evidence, log_in_page
from tests.web.test_browser import settle

pytestmark = BROWSER_TEST

# Chromium's words for a refusal ("Refused to apply inline style because it violates the
# following Content Security Policy directive ...", "Refused to evaluate a string ...").
VIOLATION = re.compile(r"Refused to|Content Security Policy", re.IGNORECASE)
# What the policy is meant to refuse on these pages, each with why.
MEANT = {
    # ReDoc draws Redocly's logo from Redocly's server, and drops it when that fails: the
    # desk's pages load nothing from elsewhere, and the readers' visits are not announced.
    "https://cdn.redoc.ly/redoc/logo-mini.svg",
}


def watch(page: Page) -> list[str]:
    """Every console message and uncaught error the page has from now on."""
    seen = []
    page.on("console", lambda message: seen.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.append(f"uncaught: {error}"))
    return seen


def visit(page: Page, path: str) -> None:
    page.goto(path)
    settle(page)


def test_no_page_breaks_the_policy(page, claim, editor, reviewer):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://records.example/ferry")
    seen = watch(page)
    log_in_page(page, editor)

    # The queue, with htmx: a search swaps the results in place.
    visit(page, "/claims/")
    page.get_by_role("searchbox").press_sequentially("Israel")
    settle(page)
    expect(page.locator("#queue-results")).to_contain_text("Israel pulled out")
    # The claim page: its text counter (desk.js) and an htmx action (assigning a reviewer).
    visit(page, f"/claims/{claim.pk}/")
    assign = page.locator("#assignments")
    assign.get_by_text("Assign a reviewer").click()
    assign.get_by_label("Reviewer").select_option(label="Rita Reviewer")
    assign.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("Reviewer assigned.")

    # The printable report and the review packet: styled, and their Print buttons shown.
    for path in ("/claims/export/html/", f"/claims/{claim.pk}/packet/"):
        visit(page, path)
        expect(page.get_by_role("button", name="Print")).to_be_visible()
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert font.startswith("Georgia"), (path, font)

    # The API's documentation: Swagger UI and ReDoc draw the schema.
    visit(page, "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("factcheck API")
    visit(page, "/api/redoc/")
    expect(page.get_by_role("heading", name=re.compile("factcheck API"))).to_be_visible()
    page.get_by_placeholder("Search...").fill("claims")  # ReDoc searches in its worker
    expect(page.locator("[data-role='search:results']")).not_to_have_count(0)

    for path in ("/dashboard/", "/settings/", "/webhooks/", "/notifications/", "/admin/"):
        visit(page, path)

    meant = [line for line in seen if any(f"'{url}'" in line for url in MEANT)]
    assert len(meant) == len(MEANT), meant
    others = [line for line in seen if line not in meant]
    violations = [line for line in others if VIOLATION.search(line)]
    assert not violations, "\n".join(violations)
    assert not [line for line in others if line.startswith("uncaught")], others
