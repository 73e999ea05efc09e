"""The queue through the API: the queue's filters and sorts, paged by cursor without a row
repeated or skipped in either direction (claims with no due date last, as on the page), and a
query count that does not grow with the page."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.api.claims import API_SORTS
from claims.models import Claim, ReviewState
from claims.selectors.filters import SORTS
from tests.factories import AssignmentFactory, ClaimFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
TODAY = datetime.date(2026, 12, 2)


@pytest.fixture
def queue(reviewer, other_reviewer):
    """Fourteen claims sharing claimants, counts, states and due dates, so every sort has ties
    to break; five have no open review and so no due date."""
    claims = []
    for n in range(14):
        claim = ClaimFactory(
            claimant=["Ana", "Bo", "Cy"][n % 3],
            state=[ReviewState.UNVERIFIED, ReviewState.DISPUTED][n % 2],
            supporting_count=n % 4,
            contradicting_count=1 + n % 3,
        )
        claims.append(claim)
        if n % 3 != 0:
            AssignmentFactory(
                claim=claim,
                reviewer=[reviewer, other_reviewer][n % 2],
                due_on=TODAY + datetime.timedelta(days=(n % 4) - 1),
            )
    return claims


def walk(api, url: str) -> tuple[list[int], list[int]]:
    """Every id the list gives, following ``next`` to the end, then ``previous`` back to
    the start (each page's ids in the list's order)."""
    forward, pages = [], []
    while url:
        page = api.get(url)
        assert page.status_code == 200, page.content
        body = page.json()
        ids = [row["id"] for row in body["results"]]
        forward += ids
        pages.append(ids)
        url = _relative(body["next"])
        last = body
    backward = list(pages[-1])
    url = _relative(last["previous"])
    while url:
        body = api.get(url).json()
        backward = [row["id"] for row in body["results"]] + backward
        url = _relative(body["previous"])
    return forward, backward


def _relative(link: str | None) -> str | None:
    if not link:
        return None
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}"


@pytest.mark.parametrize("sort", list(API_SORTS))
def test_every_sort_pages_every_claim_once_in_the_queues_order(editor_api, queue, sort):
    expected = list(Claim.objects.order_by(*SORTS[sort]).values_list("id", flat=True))

    forward, backward = walk(editor_api, f"{CLAIMS}?sort={sort}&page_size=4")

    assert forward == expected
    assert backward == expected


def test_claims_with_no_due_date_come_last_both_ways(editor_api, queue):
    for sort in ("due", "-due"):
        forward, _back = walk(editor_api, f"{CLAIMS}?sort={sort}&page_size=3")
        due = [Claim.objects.get(pk=pk).next_due_on for pk in forward]
        dated = [day for day in due if day is not None]
        assert due == dated + [None] * 5
        assert dated == sorted(dated, reverse=sort == "-due")


def test_the_waiting_tab_pages_longest_waiting_first(editor_api, queue):
    since = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
    waiting = queue[:5]
    for hours, claim in zip((3, 1, 4, 1, 5), waiting, strict=True):
        Claim.objects.filter(pk=claim.pk).update(
            signoff_waiting_since=since + datetime.timedelta(hours=hours)
        )
    expected = list(
        Claim.objects.filter(signoff_waiting_since__isnull=False)
        .order_by("signoff_waiting_since", "id")
        .values_list("id", flat=True)
    )
    forward, backward = walk(editor_api, f"{CLAIMS}?signoff=waiting&page_size=2")
    assert forward == backward == expected
    everyone, _back = walk(editor_api, f"{CLAIMS}?sort=waiting&page_size=4")
    assert everyone[:5] == expected
    assert sorted(everyone[5:]) == sorted({c.pk for c in queue} - set(expected))


def test_filters_are_the_queues(editor_api, reviewer_api, queue, reviewer):
    def ids(api, query):
        response = api.get(f"{CLAIMS}?{query}&page_size=100")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    disputed = set(Claim.objects.filter(state=ReviewState.DISPUTED).values_list("id", flat=True))
    mine = set(
        Claim.objects.filter(
            assignments__reviewer=reviewer, assignments__status="open"
        ).values_list("id", flat=True)
    )
    assert ids(editor_api, "state=disputed") == disputed
    assert ids(editor_api, "claimant=Bo") == {c.pk for c in queue if c.claimant == "Bo"}
    assert ids(reviewer_api, "reviewer=me") == mine
    assert ids(editor_api, f"reviewer={reviewer.pk}") == mine
    assert ids(editor_api, "reviewer=unassigned") == {
        c.pk for i, c in enumerate(queue) if i % 3 == 0
    }
    assert ids(editor_api, "state=disputed&reviewer=unassigned") == disputed & {
        c.pk for i, c in enumerate(queue) if i % 3 == 0
    }
    # An empty parameter filters nothing, as the queue's form sends its empty fields.
    assert ids(editor_api, "state=&q=&claimant=") == {c.pk for c in queue}


def test_search_finds_the_claims_words(editor_api, editor, source):
    from claims import services

    wanted = services.claim_create(
        actor=editor,
        text="The turbines were switched off during the storm.",
        claimant="Grid operator",
        appearances=[services.AppearanceInput(source, "switched off")],
    )
    services.claim_create(
        actor=editor,
        text="Bread prices doubled.",
        claimant="Baker",
        appearances=[services.AppearanceInput(source, "doubled")],
    )
    found = editor_api.get(f"{CLAIMS}?q=turbines").json()["results"]
    assert [row["id"] for row in found] == [wanted.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=sideways", "sort"),
        ("page_size=0", "page_size"),
        ("page_size=101", "page_size"),
        ("state=maybe", "state"),
        ("overdue=perhaps", "overdue"),
    ],
)
def test_a_bad_parameter_is_a_problem_naming_it(editor_api, queue, query, field):
    response = editor_api.get(f"{CLAIMS}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


@pytest.mark.parametrize(
    ("cursor", "status"),
    [
        ("bm9uc2Vuc2U", 404),  # base64 of "nonsense": no cursor DRF can read, as DRF answers
        ("cD0lNUIxJTVE", 400),  # p=[1]: a position with too few of the sort's fields
    ],
)
def test_a_cursor_this_list_never_gave_out_is_refused(editor_api, queue, cursor, status):
    response = editor_api.get(f"{CLAIMS}?cursor={cursor}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"


def test_the_query_count_does_not_grow_with_the_page(editor_api, queue):
    editor_api.get(CLAIMS)  # the token's first use of the minute writes its last-used time
    counts = []
    for size in (2, 14):
        with CaptureQueriesContext(connection) as queries:
            response = editor_api.get(f"{CLAIMS}?page_size={size}&sort=due")
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
