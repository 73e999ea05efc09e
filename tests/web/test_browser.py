"""The editor UI in real headless Chromium: the desk's main paths, with JavaScript on (htmx swaps
the claim's workspace in place) and off (plain POST and redirect), and screenshots for review.

Needs a Chromium executable: Debian's ``apt-get install chromium``, or CHROMIUM_PATH pointing at
one. Without it these tests are skipped with that message. Screenshots go to
``test-artifacts/screenshots/`` at the repository root (git-ignored).
"""

import re

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from claims import services
from claims.demo.data import DEMO_EDITOR, DEMO_USERS
from claims.models import Assignment, Claim, Stance
from tests.conftest import (
    BROWSER_TEST,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    add_evidence,
    load_screenshot_desk,
    log_in_page,
)
from tests.factories import SourceFactory

pytestmark = BROWSER_TEST


@pytest.fixture
def open_page(browser, browser_context_args):
    """Open a page in a fresh context: JavaScript on or off, at a given viewport width."""
    contexts = []

    def open_(*, javascript: bool = True, width: int = DESKTOP, height: int = 900) -> Page:
        context = browser.new_context(
            **browser_context_args,
            java_script_enabled=javascript,
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def browser_desk(editor, reviewer, other_reviewer, viewer):
    """Three claims from the editor: one assigned to Rita, one to Omar, one unassigned."""
    source = SourceFactory(title="Evening briefing transcript", outlet="Desk wire")

    def create(text, claimant):
        return services.claim_create(
            actor=editor,
            text=text,
            claimant=claimant,
            appearances=[services.AppearanceInput(source, text[:40])],
        )

    mine = create("The harbour bridge carried 90,000 cars a day in 2023.", "Mayor Alvarez")
    omars = create("The harbour bridge opened in 1932.", "City tourism office")
    create("Bus fares fell by a third last year.", "Transport minister")
    for claim, who in ((mine, reviewer), (omars, other_reviewer)):
        services.reviewer_assign(actor=editor, claim=claim, reviewer=who)
    mine.refresh_from_db()
    return {"mine": mine, "omars": omars}


# Helpers ---------------------------------------------------------------------------------------


def settle(page: Page) -> None:
    """Wait until the browser is idle, before the test itself writes to the database."""
    page.wait_for_load_state("networkidle")


def submit(page: Page, button, *, javascript: bool):
    """Click a form's button and return the POST's response, checking how it was sent.

    With JavaScript htmx sends it (and the page is not reloaded); without, the browser does.
    """
    if javascript:
        page.evaluate("window.notReloaded = true")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        button.click()
    response = posted.value
    assert (response.request.header_value("hx-request") == "true") is javascript
    if javascript:
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.notReloaded === true"), "htmx should swap, not reload"
    else:
        page.wait_for_load_state()
    return response


def timeline(page: Page):
    return page.locator("#timeline li")


def filter_queue(page: Page, *, javascript: bool, **choices) -> None:
    """Set the queue's filters; htmx applies each change, without JavaScript "Apply" does."""
    filters = page.locator(".filters")
    for label, value in choices.items():
        field = filters.get_by_label(label, exact=True)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        elif javascript:
            field.press_sequentially(value)  # htmx searches on keyup, as a person types
        else:
            field.fill(value)
    if javascript:
        settle(page)
    else:
        filters.get_by_role("button", name="Apply").click()


# 1. A reviewer works an assigned claim --------------------------------------------------------


def test_reviewer_finds_claim_adds_evidence_and_changes_state(
    open_page, javascript, browser_desk, reviewer
):
    page = open_page(javascript=javascript)
    log_in_page(page, reviewer)
    expect(page.get_by_role("heading", name="My queue", exact=True)).to_be_visible()
    page.goto("/claims/")
    rows = page.locator("#queue-results tbody tr")
    expect(rows).to_have_count(3)

    filter_queue(page, javascript=javascript, Reviewer="Me")
    expect(page).to_have_url(re.compile(r"reviewer=me"))
    expect(rows).to_have_count(1)
    filter_queue(page, javascript=javascript, Search="harbour")
    expect(page).to_have_url(re.compile(r"q=harbour"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Mayor Alvarez")
    expect(rows.first).to_contain_text("Rita Reviewer")

    rows.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(browser_desk["mine"].text)

    for stance, word, url, title in (
        (Stance.SUPPORTS, "supporting", "https://stats.example/bridge-2023", "Traffic counts"),
        (Stance.CONTRADICTS, "contradicting", "https://audit.example/bridge", "Audit office"),
    ):
        column = page.locator(f"#evidence-{stance}")
        column.get_by_text(f"Add {word} link").click()
        column.get_by_label("Link").fill(url)
        column.get_by_label("Title").fill(title)
        response = submit(
            page, column.get_by_role("button", name="Add link"), javascript=javascript
        )
        assert response.status == 302
        added = column.locator("li", has=page.get_by_role("link", name=title))
        if not javascript:
            link_id = added.get_attribute("id")
            expect(page).to_have_url(re.compile(rf"/claims/{browser_desk['mine'].pk}/#{link_id}$"))
        expect(page.get_by_role("status")).to_have_text("Evidence added.")
        expect(added.locator(".feedback")).to_have_text("Evidence added.")
        expect(added).to_be_focused()
        expect(timeline(page).first).to_contain_text(f"Rita Reviewer added {word} evidence {url}")

    state = page.locator("#state")
    state.get_by_label("Corroborate", exact=True).check()
    state.get_by_label("Rationale").fill("The city's own counts give 91,200 a day.")
    state.get_by_label("Note on your review").fill("Checked the sensor logs too.")
    # Reaching the verdict and finishing the review are one step for a reviewer.
    closing = state.get_by_role("button", name="Change state and close my review")
    response = submit(page, closing, javascript=javascript)
    assert response.status == 302
    expect(page.get_by_role("status")).to_have_text("State changed and your review closed.")
    expect(state.locator("#state-now .feedback")).to_have_text(
        "State changed and your review closed."
    )
    expect(state.locator("#state-now")).to_be_focused()
    expect(state.locator(".badge")).to_have_text("Corroborated")
    expect(timeline(page).nth(1)).to_have_text(
        re.compile(
            r"Rita Reviewer changed the state from Unverified to Corroborated: "
            r"“The city's own counts give 91,200 a day\.”"
        )
    )
    expect(timeline(page).first).to_contain_text(
        "Rita Reviewer marked their review done: “Checked the sensor logs too.”"
    )
    assert Claim.objects.get(pk=browser_desk["mine"].pk).state == "corroborated"
    assert not Assignment.objects.filter(
        claim_id=browser_desk["mine"].pk, reviewer=reviewer, status="open"
    ).exists()


# 2. An editor assigns a reviewer --------------------------------------------------------------


def test_editor_assigns_reviewer_on_claim_page(page, browser_desk, editor, other_reviewer):
    claim = browser_desk["mine"]
    log_in_page(page, editor)
    page.goto(claim.get_absolute_url())
    panel = page.locator("#assignments")
    omar = panel.locator(".assignment", has_text="Omar Other")
    expect(omar).to_have_count(0)

    panel.get_by_text("Assign a reviewer").click()
    panel.get_by_label("Reviewer").select_option(label="Omar Other")
    panel.get_by_label("Due").fill("2030-01-15")
    response = submit(page, panel.get_by_role("button", name="Assign"), javascript=True)

    assert response.status == 302
    expect(page.get_by_role("status")).to_contain_text("Reviewer assigned.")
    expect(omar).to_contain_text("Open")
    expect(omar).to_contain_text("due 15 Jan 2030")
    expect(timeline(page).first).to_have_text(
        re.compile(r"Edna Editor assigned Omar Other, due 15 Jan 2030\.")
    )


# 3. A viewer reads, and is offered nothing to do ------------------------------------------------


def test_viewer_sees_no_actions(page, browser_desk, editor, reviewer, viewer):
    claim = browser_desk["mine"]
    add_evidence(claim, editor, Stance.SUPPORTS, title="Traffic counts")
    add_evidence(claim, editor, Stance.CONTRADICTS, title="Audit office")

    log_in_page(page, viewer)
    expect(page.locator("#queue-results tbody tr")).to_have_count(3)
    expect(page.get_by_role("link", name="New claim")).to_have_count(0)

    page.goto(claim.get_absolute_url())
    expect(page.get_by_role("link", name="Traffic counts")).to_be_visible()
    expect(page.locator("#assignments")).to_contain_text("Rita Reviewer")
    main = page.locator("main")
    texts = ("Add supporting link", "Add contradicting link", "Assign a reviewer", "Retract this")
    for text in texts:
        expect(main.get_by_text(text)).to_have_count(0)
    for name in ("Change state", "Assign", "Retract", "Mark done", "Withdraw", "Add link"):
        expect(main.get_by_role("button", name=name)).to_have_count(0)
    expect(main.get_by_role("link", name="Edit claim")).to_have_count(0)
    # Reading is all a viewer does to a claim; following it is theirs to choose.
    expect(main.get_by_role("button", name="Watch")).to_be_visible()
    expect(main.locator("form:not([action$='/watch/'])")).to_have_count(0)


# 4. Someone else changes the claim while the form is open ----------------------------------------


def test_the_claim_text_counts_down_as_one_types(open_page, editor):
    page = open_page()
    log_in_page(page, editor)
    page.goto("/claims/new/")
    page.get_by_label("Claim", exact=True).fill("Ten chars.")
    expect(page.locator("#id_text-counter")).to_have_text("990 characters left")


def test_a_link_added_in_another_tab_breaks_no_form(
    open_page, javascript, browser_desk, editor, reviewer
):
    """Two tabs on one claim, both opened before someone else adds a link: the link conflicts
    with nothing, so the reviewer's link in one tab and verdict in the other both go through."""
    claim = browser_desk["mine"]
    add_evidence(claim, editor, Stance.SUPPORTS, title="Traffic counts")
    links_tab, verdict_tab = open_page(javascript=javascript), open_page(javascript=javascript)
    for page in (links_tab, verdict_tab):
        log_in_page(page, reviewer)
        page.goto(claim.get_absolute_url())
        settle(page)
    add_evidence(claim, editor, Stance.CONTRADICTS, title="Audit office")  # someone else

    column = links_tab.locator("#evidence-supports")
    column.get_by_text("Add supporting link").click()
    column.get_by_label("Link").fill("https://sensors.example/counts")
    submit(links_tab, column.get_by_role("button", name="Add link"), javascript=javascript)
    expect(links_tab.get_by_role("alert")).to_have_count(0)
    assert claim.evidence.filter(url="https://sensors.example/counts").exists()

    state = verdict_tab.locator("#state")
    state.get_by_label("Corroborate", exact=True).check()
    state.get_by_label("Rationale").fill("The counts agree with the mayor.")
    only = state.get_by_role("button", name="Change state only")
    submit(verdict_tab, only, javascript=javascript)
    expect(verdict_tab.get_by_role("alert")).to_have_count(0)
    assert Claim.objects.get(pk=claim.pk).state == "corroborated"


def test_conflict_keeps_what_the_user_typed(open_page, javascript, browser_desk, editor, reviewer):
    claim = browser_desk["mine"]
    first = add_evidence(claim, editor, Stance.SUPPORTS, title="Traffic counts")
    add_evidence(claim, editor, Stance.SUPPORTS, title="Sensor log")
    page = open_page(javascript=javascript)
    log_in_page(page, reviewer)
    page.goto(claim.get_absolute_url())

    state = page.locator("#state")
    state.get_by_label("Corroborate", exact=True).check()
    typed = "Counts from the city's sensors agree with the mayor."
    state.get_by_label("Rationale").fill(typed)
    settle(page)
    # Another user retracts a link the verdict would rest on meanwhile.
    services.evidence_retract(actor=editor, evidence=first, reason="Counted twice.")

    only = state.get_by_role("button", name="Change state only")
    response = submit(page, only, javascript=javascript)
    assert response.status == 409
    conflict = page.get_by_role("alert")
    expect(conflict).to_contain_text("Someone else changed this claim")
    expect(conflict).to_contain_text("Edna Editor retracted supporting evidence")
    expect(conflict).not_to_contain_text("version")
    state = page.locator("#state")
    expect(state.get_by_label("Rationale")).to_have_value(typed)
    expect(state.get_by_label("Corroborate", exact=True)).to_be_checked()
    assert Claim.objects.get(pk=claim.pk).state == "unverified"
    if javascript:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "claim-conflict-desktop.png", full_page=True)

    # Submitting again is deliberate, and is made against the claim now shown.
    submit(page, state.get_by_role("button", name="Change state only"), javascript=javascript)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(timeline(page).first).to_contain_text(
        "Rita Reviewer changed the state from Unverified to Corroborated"
    )


def test_feedback_stays_beside_the_action_on_a_phone(open_page, javascript, browser_desk, reviewer):
    """On a phone the confirmation appears in the link just added, which takes focus, is
    highlighted and stays in view: the page does not jump to its top, and the next Tab goes on
    from the new link, not from the logo."""
    claim = browser_desk["mine"]
    for number in range(3):  # links above the form push it well down a phone's screen
        add_evidence(claim, reviewer, Stance.CONTRADICTS, title=f"Earlier report {number}")
    page = open_page(javascript=javascript, width=PHONE, height=844)
    log_in_page(page, reviewer)
    page.goto(claim.get_absolute_url())
    column = page.locator("#evidence-contradicts")
    column.get_by_text("Add contradicting link").click()
    column.get_by_label("Link").fill("https://audit.example/bridge-2023")
    column.get_by_label("Title").fill("Audit office report")
    submit(page, column.get_by_role("button", name="Add link"), javascript=javascript)

    added = column.locator("li[data-changed]")
    expect(added.get_by_role("link")).to_have_text("Audit office report")
    expect(added).to_be_focused()
    expect(added.locator(".feedback")).to_have_text("Evidence added.")
    expect(added.locator(".feedback")).to_be_in_viewport()
    expect(page.get_by_role("status")).to_have_text("Evidence added.")
    assert page.evaluate("window.scrollY") > 300, "the page jumped back to its top"
    animation = added.evaluate("element => getComputedStyle(element).animationName")
    assert animation == "just-changed"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"feedback-phone-{'js' if javascript else 'no-js'}.png")

    page.keyboard.press("Tab")
    expect(added.get_by_role("link", name="Audit office report")).to_be_focused()


def test_two_edits_merge_and_a_clash_is_shown_side_by_side(open_page, browser_desk, editor):
    """Two editors have the edit page open. One changes the claimant, the other the wording: both
    land. Then both change the wording: the second sees theirs and hers side by side, keeps
    hers, and nothing typed is lost."""
    claim = browser_desk["mine"]
    edit_url = f"/claims/{claim.pk}/edit/"
    other_editor = get_user_model().objects.create_user(
        "eve", password="pw", first_name="Eve", last_name="Editor"
    )
    other_editor.groups.set(editor.groups.all())
    for width, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        hers, theirs = open_page(width=width), open_page(width=width)
        log_in_page(hers, editor)
        log_in_page(theirs, other_editor, "pw")
        for page in (hers, theirs):
            page.goto(edit_url)
            settle(page)
        theirs.get_by_label("Claimant").fill(f"Mayor Alvarez's office ({name})")
        theirs.get_by_role("button", name="Save claim").click()
        expect(theirs.locator("#claim .feedback")).to_have_text("Claim saved.")

        wording = f"The harbour bridge carried 91,000 cars a day in 2023 ({name})."
        hers.get_by_label("Claim", exact=True).fill(wording)
        hers.get_by_role("button", name="Save claim").click()
        expect(hers.locator("#claim .feedback")).to_have_text("Claim saved.")
        claim.refresh_from_db()
        assert (claim.text, claim.claimant) == (wording, f"Mayor Alvarez's office ({name})")

        # Now both change the wording, from pages opened on the same version.
        for page in (hers, theirs):
            page.goto(edit_url)
            settle(page)
        theirs.get_by_label("Claim", exact=True).fill("Their wording of the bridge claim.")
        theirs.get_by_role("button", name="Save claim").click()
        expect(theirs.locator("#claim .feedback")).to_be_visible()
        mine = f"My wording of the bridge claim ({name})."
        hers.get_by_label("Claim", exact=True).fill(mine)
        hers.get_by_role("button", name="Save claim").click()
        conflict = hers.get_by_role("alert")
        expect(conflict).to_contain_text("Someone else changed this claim")
        expect(conflict).to_contain_text("Eve Editor")
        clash = conflict.locator(".clashes tbody tr")
        expect(clash).to_have_count(1)
        expect(clash).to_contain_text("Their wording of the bridge claim.")
        expect(clash).to_contain_text(mine)
        expect(hers.get_by_label("Claim", exact=True)).to_have_value(mine)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        hers.screenshot(path=SCREENSHOTS / f"edit-conflict-{name}.png", full_page=True)
        assert not _sideways_overflow(hers)
        assert Claim.objects.get(pk=claim.pk).text == "Their wording of the bridge claim."

        hers.get_by_role("button", name="Save claim").click()  # hers, deliberately, once more
        expect(hers.locator("#claim .feedback")).to_have_text("Claim saved.")
        assert Claim.objects.get(pk=claim.pk).text == mine


# 5. Screenshots of a realistic desk -------------------------------------------------------------


def _sideways_overflow(page: Page) -> str | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        return f"{page.url} is {width}px wide in a {viewport}px window"
    return None


def test_screenshots_of_queue_and_claim_page(open_page):
    """Shoot the queue, the claim page and the printable report at desk and phone width; none
    may scroll sideways."""
    claim = load_screenshot_desk()
    demo_editor = next(u for u in DEMO_USERS if u.username == DEMO_EDITOR)
    editor = get_user_model().objects.get(username=demo_editor.username)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflows = []
    for width, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = open_page(width=width, height=844 if width == PHONE else 900)
        log_in_page(page, editor, demo_editor.password)
        expect(page.locator("#queue-results tbody tr")).to_have_count(12)
        expect(page.locator(".overdue").first).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"queue-{name}.png", full_page=True)
        overflows.append(_sideways_overflow(page))

        page.goto(claim.get_absolute_url())
        expect(page.locator("#timeline li")).to_have_count(claim.audit_length)
        page.screenshot(path=SCREENSHOTS / f"claim-{name}.png", full_page=True)
        overflows.append(_sideways_overflow(page))

        page.goto("/claims/")
        page.get_by_role("link", name="Printable report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Claims report")
        expect(page.get_by_role("button", name="Print")).to_be_visible()
        page.screenshot(path=SCREENSHOTS / f"report-{name}.png", full_page=True)
        overflows.append(_sideways_overflow(page))
    assert not [o for o in overflows if o]


# 6. A reviewer works a claim by keyboard alone ---------------------------------------------------


VIEWPORT_TOP = {"x": 0, "y": 0, "width": DESKTOP, "height": 160}


def focused(page: Page) -> dict:
    """What has the keyboard focus: its tag, text or label, and the panel it sits in."""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const label = element.labels && element.labels[0];
            return {
                tag: element.tagName.toLowerCase(),
                type: element.type || "",
                text: (label ? label.textContent : element.textContent).trim(),
                panel: element.closest("section[id]")?.id || "",
            };
        }"""
    )


def tab_to(page: Page, wanted, limit: int = 40) -> dict:
    """Press Tab until ``wanted(focus)`` holds; fails if it takes more than ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focused(page)
        if wanted(focus):
            return focus
    raise AssertionError(f"Tab never reached the element wanted; last: {focus}")


def test_reviewer_adds_evidence_and_changes_state_by_keyboard(open_page, browser_desk, reviewer):
    claim = browser_desk["mine"]
    # A contradicting link already: the state form offers two moves, to choose between by arrow.
    add_evidence(claim, reviewer, Stance.CONTRADICTS, title="Audit office")
    page = open_page()
    log_in_page(page, reviewer)
    page.goto(claim.get_absolute_url())

    page.keyboard.press("Tab")
    assert focused(page) == {"tag": "a", "type": "", "text": "Skip to content", "panel": ""}
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "skip-link-desktop.png", clip=VIEWPORT_TOP)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"

    # The first stop after the skip is inside the page, not back in the header's menu.
    focus = tab_to(page, lambda f: f["text"] == "Add supporting link", limit=10)
    assert focus["panel"] == "evidence-supports"
    page.keyboard.press("Enter")
    focus = tab_to(page, lambda f: f["tag"] == "input", limit=1)
    assert focus["text"].startswith("Link")
    page.keyboard.type("https://stats.example/bridge-2023")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("status")).to_contain_text("Evidence added.")
    link = page.locator("#evidence-supports").get_by_role("link", name="https://stats.example/")
    expect(link).to_be_visible()
    # htmx focuses the new link's item as the swap settles: the next Tab starts from there.
    new_item = page.locator("#evidence-supports li[data-changed]")
    expect(new_item).to_be_focused()
    expect(new_item.get_by_role("link")).to_have_text(link.inner_text())

    focus = tab_to(page, lambda f: f["type"] == "radio")
    assert focus["panel"] == "state"
    expect(page.locator("#state input[type=radio]")).to_have_count(2)
    page.keyboard.press("ArrowDown")  # an arrow moves to the next choice and checks it
    for _ in range(4):
        if focused(page)["text"] == "Corroborate":
            break
        page.keyboard.press("ArrowUp")
    expect(page.locator("#state").get_by_label("Corroborate", exact=True)).to_be_checked()
    assert focused(page)["text"] == "Corroborate"
    focus = tab_to(page, lambda f: f["tag"] == "textarea", limit=1)
    assert focus["text"] == "Rationale"
    page.keyboard.type("The city's own counts give 91,200 a day.")
    focus = tab_to(page, lambda f: f["tag"] == "input", limit=1)
    assert focus["text"].startswith("Note on your review")
    page.keyboard.type("Sensor logs checked.")
    focus = tab_to(page, lambda f: f["tag"] == "button", limit=1)
    assert focus["text"] == "Change state and close my review"
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_role("status")).to_contain_text("State changed and your review closed.")
    expect(page.locator("#state-now")).to_be_focused()

    claim.refresh_from_db()
    assert claim.state == "corroborated"
    assert claim.rationale == "The city's own counts give 91,200 a day."
    assert claim.evidence.filter(url="https://stats.example/bridge-2023").exists()
