"""The claim queue in real headless Chromium: an editor's bulk actions (with JavaScript, htmx
swaps the results in place; without, a plain POST and redirect), the compact density remembered
across visits, and screenshots of both densities for review. Neither density scrolls sideways on
a phone.

Needs Chromium as tests/web/test_browser.py does; fixtures come from tests/conftest.py.
Screenshots go to ``test-artifacts/screenshots/``.
"""

import re

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from playwright.sync_api import Page, expect

from claims import services
from claims.demo.data import DEMO_EDITOR, DEMO_USERS
from claims.models import Assignment, AuditEvent, Claim, DeskPreferences, Stance
from claims.web.presentation import shorten
from tests.conftest import (
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    add_evidence,
    load_screenshot_desk,
    log_in_page,
    open_browser_page,
)
from tests.factories import SourceFactory

pytestmark = BROWSER_TEST


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def open_page(browser, browser_context_args):
    """Open pages in fresh contexts (JavaScript on or off, at a width); closed afterwards."""
    pages = []

    def open_(*, javascript: bool = True, width: int = DESKTOP) -> Page:
        page = open_browser_page(
            browser, browser_context_args, width, java_script_enabled=javascript
        )
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.context.close()


@pytest.fixture
def bulk_desk(editor, reviewer, other_reviewer):
    """Four unverified claims; the bridge claim has a supporting link, the others none."""
    source = SourceFactory(title="Evening briefing transcript", outlet="Desk wire")
    claims = {}
    for key, text, claimant in (
        ("bridge", "The harbour bridge carried 90,000 cars a day in 2023.", "Mayor Alvarez"),
        ("fares", "Bus fares fell by a third last year.", "Transport minister"),
        ("trams", "Tram ridership doubled after fares were cut.", "Transport authority"),
        ("opened", "The harbour bridge opened in 1932.", "City tourism office"),
    ):
        claims[key] = services.claim_create(
            actor=editor,
            text=text,
            claimant=claimant,
            appearances=[services.AppearanceInput(source, text[:40])],
        )
    add_evidence(claims["bridge"], editor, Stance.SUPPORTS, title="Traffic counts")
    return {key: Claim.objects.get(pk=claim.pk) for key, claim in claims.items()}


def row_box(page: Page, claim):
    """The checkbox of ``claim``'s row, found by its label as a screen reader would."""
    return page.get_by_label(f"Select claim #{claim.pk}: {claim.text}", exact=True)


def send(page: Page, button, *, javascript: bool) -> None:
    """Press a bulk form button; with JavaScript htmx swaps the results without a reload."""
    if javascript:
        page.evaluate("window.notReloaded = true")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        button.click()
    assert (posted.value.request.header_value("hx-request") == "true") is javascript
    page.wait_for_load_state("networkidle")
    if javascript:
        assert page.evaluate("window.notReloaded === true"), "htmx should swap, not reload"


def sideways_overflow(page: Page) -> str | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    return f"{page.url} is {width}px wide at {viewport}px" if width > viewport else None


# Bulk actions -------------------------------------------------------------------------------------


def test_editor_ticks_two_claims_and_assigns_a_reviewer(
    open_page, javascript, bulk_desk, editor, other_reviewer
):
    page = open_page(javascript=javascript)
    log_in_page(page, editor)
    page.goto("/claims/?sort=claimant")
    fares, trams = bulk_desk["fares"], bulk_desk["trams"]
    row_box(page, fares).check()
    row_box(page, trams).check()
    if javascript:
        expect(page.locator(".bulk-count")).to_have_text("2 selected")

    bar = page.locator(".bulk-bar")
    bar.get_by_text("Assign a reviewer").click()
    bar.get_by_label("Reviewer").select_option(label="Omar Other")
    send(page, bar.get_by_role("button", name="Assign to the selected"), javascript=javascript)

    result = page.locator("#bulk-result")
    expect(result).to_contain_text("2 claims assigned to Omar Other:")
    expect(result.get_by_role("link", name=re.compile(rf"^#{fares.pk} “Bus fares"))).to_be_visible()
    expect(result.get_by_role("link", name=re.compile(rf"^#{trams.pk} “Tram"))).to_be_visible()
    expect(result).not_to_contain_text("refused")
    expect(page).to_have_url(re.compile(r"/claims/\?sort=claimant$"))
    # The rows now show their reviewer, and the result has the focus (announced as a status).
    expect(page.locator("tbody tr", has_text="Bus fares")).to_contain_text("Omar Other")
    assert page.evaluate("document.activeElement.id") == "bulk-result"
    assigned = Assignment.objects.filter(reviewer=other_reviewer, status="open")
    assert set(assigned.values_list("claim_id", flat=True)) == {fares.pk, trams.pk}
    for claim in (fares, trams):
        assert AuditEvent.objects.filter(claim_id=claim.pk, action="reviewer.assigned").count() == 1


def test_bulk_state_change_says_which_claim_was_refused_and_why(open_page, bulk_desk, editor):
    page = open_page()
    log_in_page(page, editor)
    page.goto("/claims/?q=harbour")
    rows = page.locator("#queue-results tbody tr")
    expect(rows).to_have_count(2)
    bar = page.locator(".bulk-bar")
    bar.get_by_label("All on this page").check()
    for claim in (bulk_desk["bridge"], bulk_desk["opened"]):
        expect(row_box(page, claim)).to_be_checked()

    bar.get_by_text("Change state").first.click()
    bar.get_by_label("New state").select_option(label="Corroborated")
    bar.get_by_label("Rationale").fill("The city's own counts agree.")
    send(page, bar.get_by_role("button", name="Change the state of the selected"), javascript=True)

    result = page.locator("#bulk-result")
    expect(result.locator(".bulk-changed")).to_contain_text("1 claim moved to Corroborated:")
    expect(result.locator(".bulk-changed")).to_contain_text("The harbour bridge carried")
    refused = result.locator(".bulk-refused")
    expect(refused).to_contain_text("1 claim refused:")
    expect(refused).to_contain_text(
        "Corroborated needs at least one standing supporting evidence link."
    )
    expect(refused.get_by_role("link")).to_have_text(
        f"#{bulk_desk['opened'].pk} “The harbour bridge opened in 1932.”"
    )
    expect(page).to_have_url(re.compile(r"/claims/\?q=harbour$"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "queue-bulk-result-desktop.png", full_page=True)
    assert Claim.objects.get(pk=bulk_desk["bridge"].pk).state == "corroborated"
    assert Claim.objects.get(pk=bulk_desk["opened"].pk).state == "unverified"


def test_bulk_input_to_correct_keeps_the_ticks_and_what_was_typed(
    open_page, javascript, bulk_desk, editor
):
    page = open_page(javascript=javascript)
    log_in_page(page, editor)
    page.goto("/claims/?sort=claimant")
    row_box(page, bulk_desk["fares"]).check()
    bar = page.locator(".bulk-bar")
    bar.get_by_text("Change state").first.click()
    bar.get_by_label("New state").select_option(label="Disputed")
    bar.get_by_label("Rationale").fill("The ministry's figures say otherwise.")
    send(
        page,
        bar.get_by_role("button", name="Change the state of the selected"),
        javascript=javascript,
    )

    expect(bar.locator(".field-error")).to_contain_text(
        "None of the selected claims can move to Disputed now"
    )
    expect(row_box(page, bulk_desk["fares"])).to_be_checked()
    expect(row_box(page, bulk_desk["trams"])).not_to_be_checked()
    expect(bar.get_by_label("New state")).to_have_value("disputed")
    expect(bar.get_by_label("Rationale")).to_have_value("The ministry's figures say otherwise.")
    expect(page).to_have_url(re.compile(r"/claims/\?sort=claimant$"))
    assert Claim.objects.get(pk=bulk_desk["fares"].pk).state == "unverified"


def test_all_on_page_ticks_every_row_and_a_row_unticked_shows_a_partial_selection(
    open_page, bulk_desk, editor
):
    page = open_page()
    log_in_page(page, editor)
    everything = page.get_by_label("All on this page")
    everything.check()
    boxes = page.locator("tbody input[name=claim]")
    expect(boxes).to_have_count(4)
    for index in range(4):
        expect(boxes.nth(index)).to_be_checked()
    expect(page.locator(".bulk-count")).to_have_text("4 selected")
    row_box(page, bulk_desk["trams"]).uncheck()
    expect(everything).not_to_be_checked()
    assert everything.evaluate("box => box.indeterminate")
    expect(page.locator(".bulk-count")).to_have_text("3 selected")


def test_checkboxes_and_their_labels_are_big_enough_to_hit(open_page, bulk_desk, editor):
    for width in (DESKTOP, PHONE):
        page = open_page(width=width)
        log_in_page(page, editor)
        for density in ("Compact", "Comfortable"):
            page.get_by_role("button", name=density).click()
            page.wait_for_load_state("networkidle")
            expect(page.locator("#queue-results")).to_have_class(
                re.compile(f"density-{density.lower()}")
            )
            for target in page.locator(".select-target, .select-target input").all():
                box = target.bounding_box()
                assert box["width"] >= 24, (width, density, box)
                assert box["height"] >= 24, (width, density, box)


# Density ----------------------------------------------------------------------------------------


def test_compact_density_is_remembered_after_a_reload(open_page, javascript, bulk_desk, editor):
    page = open_page(javascript=javascript)
    log_in_page(page, editor)
    page.goto("/claims/?sort=claimant")
    comfortable = page.locator("tbody tr").first.bounding_box()["height"]
    switch = page.locator(".density-switch")
    expect(switch.get_by_role("button", name="Comfortable")).to_have_attribute(
        "aria-pressed", "true"
    )

    switch.get_by_role("button", name="Compact").click()
    page.wait_for_load_state("networkidle")

    expect(page.locator("#queue-results")).to_have_class(re.compile("density-compact"))
    expect(page).to_have_url(re.compile(r"/claims/\?sort=claimant$"))
    page.reload()
    expect(page.locator("#queue-results")).to_have_class(re.compile("density-compact"))
    expect(page.locator(".density-switch").get_by_role("button", name="Compact")).to_have_attribute(
        "aria-pressed", "true"
    )
    heights = {round(row.bounding_box()["height"]) for row in page.locator("tbody tr").all()}
    assert max(heights) < comfortable, (heights, comfortable)
    assert max(heights) <= 44, heights  # one line of text
    assert DeskPreferences.objects.get(user=editor).queue_density == "compact"


def test_long_claims_end_in_an_ellipsis_on_one_line_when_compact(open_page, editor):
    long_claim = services.claim_create(
        actor=editor,
        text="The council's transport budget for next year is the largest in its history, at "
        "more than 1.2 billion in spending on buses, trams, cycle lanes and road repairs.",
        claimant="Councillor Beatriz Fernández-Oyelaran",
        appearances=[services.AppearanceInput(SourceFactory(), "the largest in its history")],
    )
    services.desk_preferences_update(actor=editor, queue_density="compact")
    page = open_page()
    log_in_page(page, editor)
    link = page.get_by_role("link", name=re.compile("^The council's transport budget"))
    # All the row holds of it (as comfortable rows do), for screen readers; the eye gets a line.
    expect(link).to_have_text(shorten(long_claim.text))
    overflow = link.evaluate(
        "a => [getComputedStyle(a).textOverflow, a.scrollWidth > a.clientWidth]"
    )
    assert overflow == ["ellipsis", True]


def test_screenshots_of_the_compact_queue_and_no_sideways_scrolling(open_page):
    load_screenshot_desk()
    demo_editor = next(u for u in DEMO_USERS if u.username == DEMO_EDITOR)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflows = []
    for width, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = open_page(width=width)
        log_in_page(page, demo_editor.username, demo_editor.password)
        expect(page.locator("#queue-results tbody tr")).to_have_count(12)
        overflows.append(sideways_overflow(page))  # comfortable, with the checkboxes
        page.get_by_role("button", name="Compact").click()
        expect(page.locator("#queue-results")).to_have_class(re.compile("density-compact"))
        expect(page.locator(".overdue").first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"queue-compact-{name}.png", full_page=True)
        overflows.append(sideways_overflow(page))
        page.get_by_role("button", name="Comfortable").click()
        expect(page.locator("#queue-results")).to_have_class(re.compile("density-comfortable"))
    assert not [overflow for overflow in overflows if overflow]
