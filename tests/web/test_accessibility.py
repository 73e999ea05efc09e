"""WCAG 2.2 AA in real headless Chromium: axe-core on every main page, for every role, at desk and
phone width; visible focus; touch targets of at least 24 by 24 pixels.

Needs Chromium as tests/web/test_browser.py does, and axe-core from npm (``npm ci
--ignore-scripts``, which ``python3 dev.py test`` runs); without axe-core the axe tests fail and
say how to install it, since a skipped accessibility check would read as a passed one.
"""

import re
from pathlib import Path

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.conftest import BROWSER_TEST, DESKTOP, PHONE, log_in_page, open_browser_page
from tests.web.pages import build_desk

pytestmark = BROWSER_TEST

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
OPEN_DETAILS = """() => {
    const closed = document.querySelectorAll("main details:not([open])");
    closed.forEach(details => { details.open = true; });
    return closed.length;
}"""
MIN_TARGET = 24  # CSS pixels, WCAG 2.2 success criterion 2.5.8


@pytest.fixture
def desk():
    return build_desk()


def _axe_violations(page: Page) -> list[str]:
    """What axe-core finds on the page as it stands, one line per rule and element."""
    assert AXE.exists(), (
        f"axe-core is missing ({AXE}): run `npm ci --ignore-scripts` at the repository root "
        "(or `python3 dev.py test`, which does it)"
    )
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through Playwright, not added as a script tag: the page's
        # Content-Security-Policy refuses inline scripts, and rightly so.
        page.evaluate(AXE.read_text())
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{page.url} {violation['id']} ({violation['impact']}): "
        + ", ".join(map(str, node["target"]))
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def _pages_of(role: str, desk) -> list[str]:
    """The pages a role works with, each in the state that shows the most of it."""
    claim = reverse("claims:detail", args=[desk.claim.pk])
    queue = reverse("claims:list")
    common = [
        queue,
        queue + "?state=disputed&q=Drones",
        queue + "?q=zzzqqq",
        queue + "?per_page=10&page=2&sort=-updated",
        reverse("claims:my_queue"),
        reverse("claims:inbox"),
        reverse("claims:settings"),
        reverse("claims:corrections"),
        reverse("claims:corrections") + "?corrected_from=2024-13-01&corrected_to=2999-12-31",
        claim,
        reverse("claims:detail", args=[desk.idle.pk]),
        reverse("claims:detail", args=[desk.disputed.pk]),
        reverse("claims:review_packet", args=[desk.claim.pk]),
    ]
    if role == "editor":
        return [
            *common,
            reverse("claims:create"),
            reverse("claims:edit", args=[desk.claim.pk]),
            reverse("claims:source_create"),
            reverse("claims:dashboard"),
            reverse("claims:dashboard") + "?since=2026-11-08&until=2026-11-02",
            reverse("claims:stage_slowest", args=["publication"]),
            reverse("claims:disagreements"),
            reverse("claims:disagreements") + f"?a={desk.reviewer.pk}&b={desk.other_reviewer.pk}",
            reverse("claims:export", args=["html"]),
        ]
    if role == "viewer":
        return [*common, reverse("claims:create")]  # the 403 page
    return common


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ["editor", "reviewer", "viewer"])
def test_axe_finds_no_violation(browser, browser_context_args, desk, role, width):
    page = open_browser_page(browser, browser_context_args, width)
    page.goto(reverse("login"))
    violations = _axe_violations(page)
    log_in_page(page, getattr(desk, role).username)
    for path in _pages_of(role, desk):
        page.goto(path)
        # The closed forms (add a link, retract, assign) are checked open, as they are used.
        page.evaluate(OPEN_DETAILS)
        violations += _axe_violations(page)
    if role == "editor":
        violations += _refused_forms(page, desk)
        violations += _after_an_action(page, desk)
        violations += _queue_bulk_and_compact(page, desk)
    page.context.close()
    assert not violations, "axe-core found:\n" + "\n".join(violations)


@pytest.mark.parametrize("width", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_axe_finds_no_violation_in_sign_off(
    browser, browser_context_args, desk, role, width, settings
):
    """The claim page with sign-off on: a proposal waiting (the editor's view with sign-off and
    return, the proposer's with withdraw) and a published verdict to correct."""
    settings.FACTCHECK_SIGNOFF = True  # the live server runs in this process: it sees this
    page = open_browser_page(browser, browser_context_args, width)
    log_in_page(page, getattr(desk, role).username)
    violations = []
    for claim in (desk.waiting, desk.disputed, desk.judged, desk.half_judged):
        page.goto(reverse("claims:detail", args=[claim.pk]))
        page.evaluate(OPEN_DETAILS)
        violations += _axe_violations(page)
    page.context.close()
    assert not violations, "axe-core found:\n" + "\n".join(violations)


def _refused_forms(page: Page, desk) -> list[str]:
    """The pages as they come back with errors: a new claim and a state change, both empty."""
    page.goto(reverse("claims:create"))
    page.evaluate("document.querySelectorAll('form').forEach(form => { form.noValidate = true; })")
    page.get_by_role("button", name="Create claim").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    violations = _axe_violations(page)
    page.goto(reverse("claims:detail", args=[desk.disputed.pk]))
    page.evaluate("document.querySelectorAll('form').forEach(form => { form.noValidate = true; })")
    page.locator("#state").get_by_role("button", name="Change state").click()
    expect(page.locator("#state .errorlist").first).to_be_visible()
    return violations + _axe_violations(page)


def _after_an_action(page: Page, desk) -> list[str]:
    """The claim page as an action leaves it: the new link confirmed, focused, highlighted."""
    page.goto(reverse("claims:detail", args=[desk.idle.pk]))
    column = page.locator("#evidence-supports")
    column.get_by_text("Add supporting link").click()
    column.get_by_label("Link").fill(f"https://axe.example/{page.viewport_size['width']}")
    column.get_by_role("button", name="Add link").click()
    expect(column.locator("li[data-changed] .feedback")).to_be_visible()
    return _axe_violations(page)


def _queue_bulk_and_compact(page: Page, desk) -> list[str]:
    """The queue's bulk form refused (nothing chosen) and done (a result above the rows), then
    the compact rows; the queue is left comfortable again for the tests that follow."""
    page.goto(reverse("claims:list"))
    bar = page.locator(".bulk-bar")
    bar.get_by_text("Assign a reviewer").click()
    bar.get_by_role("button", name="Assign to the selected").click()
    expect(bar.locator(".errorlist").first).to_be_visible()
    violations = _axe_violations(page)
    page.get_by_label(f"Select claim #{desk.idle.pk}:", exact=False).check()
    # The refused action comes back open, with the reviewer still to choose.
    bar.get_by_label("Reviewer").select_option(label="Omar Other")
    bar.get_by_role("button", name="Assign to the selected").click()
    expect(page.locator("#bulk-result")).to_be_visible()
    violations += _axe_violations(page)
    for density in ("Compact", "Comfortable"):
        page.get_by_role("button", name=density).click()
        expect(page.locator("#queue-results")).to_have_class(
            re.compile(f"density-{density.lower()}")
        )
        page.evaluate(OPEN_DETAILS)
        violations += _axe_violations(page)
    return violations


# Focus you can see (WCAG 2.4.7, 1.4.11) -----------------------------------------------------

FOCUS_STYLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const opaque = node => {
        const colour = getComputedStyle(node).backgroundColor;
        return colour.startsWith("rgb(") ? colour : null;
    };
    // The ring is drawn on what lies behind the element, or on its own fill when drawn inside it.
    let node = parseFloat(style.outlineOffset) < 0 ? element : element.parentElement;
    while (node && !opaque(node)) node = node.parentElement;
    return {
        element: element.outerHTML.slice(0, 80),
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        ring: style.outlineColor,
        background: node ? opaque(node) : "rgb(255, 255, 255)",
    };
}"""


def _luminance(colour: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``rgb(...)`` colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_of_known_colours():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgb(242, 183, 5)", "rgb(255, 255, 255)") == pytest.approx(1.8, abs=0.05)


def test_focus_ring_is_visible_on_every_stop(browser, browser_context_args, desk):
    """Tab through the queue and the claim page: each stop shows a ring of 2 px or more, at 3:1."""
    page = open_browser_page(browser, browser_context_args, DESKTOP)
    log_in_page(page, desk.editor.username)
    faint = []
    for path in (reverse("claims:list"), reverse("claims:detail", args=[desk.claim.pk])):
        page.goto(path)
        page.evaluate(OPEN_DETAILS)
        seen = set()
        for _ in range(120):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_STYLE)
            if focus["element"] in seen or focus["element"].startswith("<body"):
                break
            seen.add(focus["element"])
            ratio = contrast(focus["ring"], focus["background"])
            if focus["style"] == "none" or focus["width"] < 2 or ratio < 3:
                faint.append(f"{path} {focus} {ratio:.2f}:1")
        assert len(seen) > 10, f"{path}: Tab reached only {len(seen)} elements"
    page.context.close()
    assert not faint, "focus rings too faint:\n" + "\n".join(faint)


# Touch targets (WCAG 2.5.8) ---------------------------------------------------------------------

TARGETS = """min => {
    const interactive =
        "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";
    // A link inside running text may be as small as the text (2.5.8's inline exception).
    const inSentence = element => element.tagName === "A"
        && getComputedStyle(element).display === "inline"
        && element.closest("p, blockquote, .claim-meta, .timeline li");
    return [...document.querySelectorAll(interactive)]
        .filter(element => element.tabIndex >= 0 && element.getClientRects().length)
        .filter(element => !inSentence(element))
        .map(element => [element, element.getBoundingClientRect()])
        .filter(([, box]) => box.width < min || box.height < min)
        .map(([element, box]) =>
          `${element.outerHTML.slice(0, 90)}: ${box.width.toFixed(1)} x ${box.height.toFixed(1)}`
        );
}"""


def test_touch_targets_are_at_least_24_px_on_a_phone(browser, browser_context_args, desk):
    page = open_browser_page(browser, browser_context_args, PHONE)
    log_in_page(page, desk.editor.username)
    small = []
    claim = reverse("claims:detail", args=[desk.claim.pk])
    for path in (reverse("claims:list"), reverse("claims:list") + "?per_page=10", claim):
        page.goto(path)
        page.evaluate(OPEN_DETAILS)
        small += [f"{path} {target}" for target in page.evaluate(TARGETS, MIN_TARGET)]
    page.goto(reverse("claims:list"))
    page.get_by_role("button", name="Compact").click()
    expect(page.locator("#queue-results")).to_have_class(re.compile("density-compact"))
    page.evaluate(OPEN_DETAILS)
    small += [f"compact queue {target}" for target in page.evaluate(TARGETS, MIN_TARGET)]
    page.context.close()
    assert not small, f"targets under {MIN_TARGET} x {MIN_TARGET} px:\n" + "\n".join(small)
