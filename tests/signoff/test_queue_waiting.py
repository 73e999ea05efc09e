"""The queue's "Waiting for sign-off" tab: the claims an editor may decide, longest waiting
first, each saying for how long; the tab's count under the other filters."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Proposal, ReviewState, Stance
from tests.conftest import add_evidence, login, make_claim

QUEUE = reverse("claims:list")


@pytest.fixture(autouse=True)
def signoff_on(settings):
    settings.FACTCHECK_SIGNOFF = True


def propose(claim, reviewer, *, ago: timedelta):
    """``reviewer`` proposes corroborating ``claim``, as if ``ago`` before now."""
    add_evidence(claim, reviewer, Stance.SUPPORTS)
    claim.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - ago):
        return services.verdict_propose(
            actor=reviewer,
            claim=claim,
            expected_version=claim.version,
            state=ReviewState.CORROBORATED,
            rationale="The records agree.",
        )


@pytest.fixture
def desk(editor, reviewer):
    """Three claims: one proposed a day ago, one three hours ago, one with nothing proposed."""
    claims = {}
    for name in ("day", "hours", "none"):
        claim = make_claim(editor, text=f"The {name} claim", claimant=f"Claimant {name}")
        services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
        claims[name] = claim
    propose(claims["day"], reviewer, ago=timedelta(days=1, hours=2))
    propose(claims["hours"], reviewer, ago=timedelta(hours=3, minutes=10))
    return claims


def listed(page: str) -> list[str]:
    return re.findall(r'class="claim-link" href="[^"]+">([^<]+)</a>', page)


def tab(page: str, name: str) -> str:
    """The tab link whose text starts with ``name``."""
    for link in re.findall(r'<nav class="tabs".*?</nav>', page, re.S)[0].split("<a ")[1:]:
        if re.sub(r"<[^>]+>", "", link.split(">", 1)[1]).strip().startswith(name):
            return link
    raise AssertionError(f"no tab {name!r}")


def test_the_tab_lists_waiting_claims_longest_waiting_first_with_the_time(client, desk, editor):
    page = login(client, editor).get(QUEUE + "?signoff=waiting").content.decode()
    assert listed(page) == ["The day claim", "The hours claim"]
    assert "Waiting for sign-off for 1\xa0day"  # timesince keeps number and unit together in page
    assert "Waiting for sign-off for 3\xa0hours" in page
    waiting_tab = tab(page, "Waiting for sign-off")
    assert 'aria-current="true"' in waiting_tab
    assert '<span class="count">2</span>' in waiting_tab
    assert 'aria-current="true"' not in tab(page, "All")
    assert "Claims waiting for sign-off, longest waiting first" in page
    assert 'aria-current="true">Waiting longest</a>' in page


def test_every_queue_tab_shows_the_waiting_count_and_rows_say_they_wait(client, desk, editor):
    page = login(client, editor).get(QUEUE).content.decode()
    assert '<span class="count">2</span>' in tab(page, "Waiting for sign-off")
    assert 'aria-current="true"' in tab(page, "All")
    assert set(listed(page)) == {"The day claim", "The hours claim", "The none claim"}
    assert page.count('class="waiting-note"') == 2
    # The claim keeps its state while it waits: the state tabs still count it there.
    assert '<span class="count">3</span>' in tab(page, "Unverified")


def test_state_tabs_leave_the_waiting_tab_and_its_sort_behind(client, desk, editor):
    page = login(client, editor).get(QUEUE + "?signoff=waiting&sort=waiting").content.decode()
    unverified = tab(page, "Unverified")
    href = re.search(r'href="([^"]*)"', unverified).group(1)
    assert "signoff" not in href
    assert "sort" not in href
    assert "state=unverified" in href
    # Another sort asked for on the waiting tab stays when moving to a state.
    page = client.get(QUEUE + "?signoff=waiting&sort=claimant").content.decode()
    assert listed(page) == ["The day claim", "The hours claim"]
    href = re.search(r'href="([^"]*)"', tab(page, "All")).group(1)
    assert "sort=claimant" in href
    assert "signoff" not in href


def test_the_waiting_sort_applies_only_on_its_tab(client, desk, editor):
    page = login(client, editor).get(QUEUE + "?sort=waiting").content.decode()
    assert "Claims, most recently changed first" in page
    assert "Waiting longest" not in page


def test_the_count_follows_the_other_filters(client, desk, editor):
    page = login(client, editor).get(QUEUE + "?signoff=waiting&q=hours").content.decode()
    assert listed(page) == ["The hours claim"]
    assert '<span class="count">1</span>' in tab(page, "Waiting for sign-off")
    chips = re.search(r'<ul class="chips".*?</ul>', page, re.S).group(0)
    assert "Sign-off: <strong>Waiting for sign-off</strong>" in chips


def test_a_claim_leaves_the_tab_when_signed_off(client, desk, editor, reviewer):
    proposal = Proposal.objects.get(claim=desk["day"])
    services.verdict_sign_off(actor=editor, proposal=proposal)
    page = login(client, editor).get(QUEUE + "?signoff=waiting").content.decode()
    assert listed(page) == ["The hours claim"]
    assert '<span class="count">1</span>' in tab(page, "Waiting for sign-off")


def test_a_desk_without_sign_off_has_no_such_tab(client, desk, editor, settings):
    settings.FACTCHECK_SIGNOFF = False
    page = login(client, editor).get(QUEUE).content.decode()
    assert "Waiting for sign-off</a>" not in page
    assert 'class="waiting-tab"' not in page


def test_the_waiting_tab_reads_in_as_many_queries_as_the_queue(client, desk, editor):
    login(client, editor).get(QUEUE)  # the session is read and kept
    with CaptureQueriesContext(connection) as whole_queue:
        client.get(QUEUE)
    with CaptureQueriesContext(connection) as waiting:
        client.get(QUEUE + "?signoff=waiting")
    assert len(waiting) <= len(whole_queue)
