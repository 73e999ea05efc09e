"""Sign-off in real headless Chromium: propose, return, propose again, sign off, then correct.

The live server runs in the test's process, so the ``settings`` fixture turns sign-off on for it.
"""

import pytest

pytest.importorskip("pytest_playwright", reason="pip install playwright pytest-playwright")

from playwright.sync_api import Page, expect

from claims.models import Claim, Publication, ReviewState, Stance
from tests.conftest import BROWSER_TEST, DESKTOP, PHONE, SCREENSHOTS, add_evidence, log_in_page
from tests.factories import EditorFactory

pytestmark = BROWSER_TEST


@pytest.fixture(autouse=True)
def signoff_on(settings):
    settings.FACTCHECK_SIGNOFF = True


@pytest.fixture
def open_page(browser, browser_context_args):
    contexts = []

    def open_(width: int = DESKTOP) -> Page:
        context = browser.new_context(
            **browser_context_args, viewport={"width": width, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def click_and_settle(page: Page, button) -> None:
    with page.expect_response(lambda r: r.request.method == "POST"):
        button.click()
    page.wait_for_load_state("networkidle")


def test_propose_return_propose_again_sign_off_then_correct(
    open_page, assigned_claim, editor, reviewer
):
    claim = assigned_claim
    add_evidence(claim, reviewer, Stance.SUPPORTS, url="https://records.example/a", title="Ledger")
    chief = EditorFactory(username="chen", first_name="Chen", last_name="Chief")
    url = claim.get_absolute_url()
    rita, edna = open_page(), open_page()
    log_in_page(rita, reviewer)
    log_in_page(edna, editor)

    # Rita proposes.
    rita.goto(url)
    state = rita.locator("#state")
    state.get_by_label("Corroborate", exact=True).check()
    state.get_by_label("Rationale").fill("The ledger agrees.")
    click_and_settle(rita, state.get_by_role("button", name="Propose only"))
    waiting = state.locator(".proposal.pending")
    expect(waiting).to_contain_text("Waiting for sign-off")
    expect(waiting).to_contain_text("Rita Reviewer proposes")
    expect(waiting).to_be_focused()
    expect(rita.get_by_role("status")).to_have_text(
        "Proposed: it waits for another editor's sign-off."
    )
    expect(state.locator("#state-now .badge")).to_have_text("Unverified")

    # Edna returns it with a note.
    edna.goto(url)
    panel = edna.locator("#state")
    expect(panel.get_by_role("button", name="Sign off and publish")).to_be_enabled()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    edna.screenshot(path=SCREENSHOTS / "signoff-pending-desktop.png", full_page=True)
    panel.get_by_text("Return to the proposer…").click()
    panel.get_by_label("Why it goes back").fill("Name the ledger's page.")
    click_and_settle(edna, panel.get_by_role("button", name="Return", exact=True))
    expect(edna.get_by_role("status")).to_have_text("Returned to the proposer with your note.")

    # Rita reads the note and proposes again, closing her review in the same step.
    rita.goto(url)
    returned = state.locator(".proposal.returned")
    expect(returned).to_contain_text("Edna Editor returned the proposal of Rita Reviewer")
    expect(returned).to_contain_text("Name the ledger's page.")
    state.get_by_label("Corroborate", exact=True).check()
    state.get_by_label("Rationale").fill("The ledger agrees, page 12.")
    click_and_settle(rita, state.get_by_role("button", name="Propose and close my review"))
    expect(waiting).to_contain_text("The ledger agrees, page 12.")
    expect(waiting.get_by_role("button", name="Sign off and publish")).to_have_count(0)

    # Edna signs it off: the verdict is published.
    edna.goto(url)
    panel.get_by_label("Note to the proposer").fill("Thanks.")
    click_and_settle(edna, panel.get_by_role("button", name="Sign off and publish"))
    expect(edna.get_by_role("status")).to_have_text("Signed off: the verdict is published.")
    expect(panel.locator("#state-now .badge")).to_have_text("Corroborated")
    expect(panel.locator(".published-line")).to_contain_text("Published")
    assert Claim.objects.get(pk=claim.pk).state == ReviewState.CORROBORATED

    # A correction: Edna proposes disputing it with a public note, Chen signs it off.
    add_evidence(claim, editor, Stance.CONTRADICTS, url="https://audit.example/", title="Audit")
    edna.goto(url)
    panel.get_by_label("Dispute", exact=True).check()
    panel.get_by_label("Rationale", exact=True).fill("The audit office revised the ledger.")
    note = panel.get_by_label("Correction note")
    expect(note).to_have_attribute("required", "")  # a correction is not proposed without one
    note.fill("The ledger we relied on was revised.")
    click_and_settle(edna, panel.get_by_role("button", name="Propose for sign-off"))
    expect(panel.locator(".proposal.pending")).to_contain_text("Correction waiting for sign-off")
    expect(panel.get_by_role("button", name="Sign off and publish")).to_be_disabled()
    expect(panel).to_contain_text("You proposed this verdict")

    chen = open_page(width=PHONE)
    log_in_page(chen, chief)
    chen.goto(url)
    click_and_settle(
        chen, chen.locator("#state").get_by_role("button", name="Sign off and publish")
    )
    expect(chen.get_by_role("status")).to_have_text("Signed off: the correction is published.")
    corrections = chen.locator(".corrections")
    expect(corrections).to_contain_text("From Corroborated to Disputed:")
    expect(corrections).to_contain_text("The ledger we relied on was revised.")
    chen.screenshot(path=SCREENSHOTS / "signoff-correction-phone.png", full_page=True)
    assert Publication.objects.filter(claim=claim, is_correction=True).count() == 1
