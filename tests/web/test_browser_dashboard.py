"""The desk dashboard in real headless Chromium on the demo desk: screenshots at desk and phone
width for review, no sideways scrolling, and a figure that opens the queue on its claims.

Needs Chromium as tests/web/test_browser.py does; both take their fixtures from tests/conftest.py.
"""

import io
import re

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Page, expect

from claims.demo.data import DEMO_EDITOR, DEMO_USERS
from tests.conftest import BROWSER_TEST, DESKTOP, PHONE, SCREENSHOTS, log_in_page, open_browser_page

pytestmark = BROWSER_TEST


def _assert_weekly_chart_reads_on_a_phone(page: Page) -> None:
    """Every label of the 12-week chart is at least 11 px on screen, and the chart opens
    scrolled to its newest week (the last column's label shows inside the panel)."""
    smallest = page.evaluate(
        """() => {
            const svg = document.querySelector('#weekly svg.chart');
            const scale = svg.getScreenCTM().a;
            return Math.min(...[...svg.querySelectorAll('text')].map(
                (text) => parseFloat(getComputedStyle(text).fontSize) * scale));
        }"""
    )
    assert smallest >= 11, f"the weekly chart's smallest text is {smallest:.1f}px"
    panel = page.locator("#weekly .chart-scroll").bounding_box()
    newest = page.locator("#weekly svg.chart text.tick").last.bounding_box()
    oldest = page.locator("#weekly svg.chart text.tick").first.bounding_box()
    assert panel["x"] <= newest["x"] <= newest["x"] + newest["width"] <= panel["x"] + panel["width"]
    assert oldest["x"] < panel["x"], "the oldest weeks are scrolled out of view, to the left"


def _assert_figure_says_it_is_a_link(page: Page) -> None:
    """Hovering a figure card underlines its label and shows an arrow."""
    figure = page.locator(".figure-state-disputed")
    figure.hover()
    label = figure.locator(".figure-label")
    assert "underline" in label.evaluate("(el) => getComputedStyle(el).textDecorationLine")
    arrow = figure.evaluate("(el) => getComputedStyle(el, '::after').opacity")
    assert arrow == "1"


def test_dashboard_screenshots_on_the_demo_desk(browser, browser_context_args):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    demo_editor = next(u for u in DEMO_USERS if u.username == DEMO_EDITOR)
    assert get_user_model().objects.filter(username=demo_editor.username).exists()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = open_browser_page(browser, browser_context_args, width)
        log_in_page(page, demo_editor.username, demo_editor.password)
        page.get_by_role("link", name="Dashboard").click()
        expect(page.get_by_role("heading", name="Desk dashboard")).to_be_visible()
        expect(page.locator("svg.chart")).to_have_count(4)
        expect(page.locator(".activity li").first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"dashboard-{name}.png", full_page=True)
        if name == "phone":
            # The 12-week chart keeps a readable size and scrolls inside its panel.
            weekly = page.locator("#weekly svg.chart")
            assert weekly.bounding_box()["width"] >= 900
            _assert_weekly_chart_reads_on_a_phone(page)
            page.locator("#weekly").screenshot(path=SCREENSHOTS / "dashboard-phone-weekly.png")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"dashboard is {scroll_width}px wide at {width}px"
        page.context.close()

    # A figure opens the queue on the claims behind it.
    page = open_browser_page(browser, browser_context_args, DESKTOP)
    log_in_page(page, demo_editor.username, demo_editor.password)
    page.goto("/dashboard/")
    _assert_figure_says_it_is_a_link(page)
    disputed = page.locator(".figure-state-disputed")
    count = disputed.locator(".figure-value").inner_text()
    disputed.click()
    expect(page).to_have_url(re.compile(r"/claims/\?state=disputed$"))
    expect(page.locator("#queue-results tbody tr")).to_have_count(int(count))
    page.context.close()
