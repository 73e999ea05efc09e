"""The corrections page: every correction desk-wide, newest first, by date, for everyone on the
desk; a mistyped date stays in its field; the page's queries do not grow with its rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import clock, services
from claims.models import Publication, ReviewState, Stance
from claims.signoff.selectors import CORRECTIONS_PAGE_SIZE
from tests.conftest import add_evidence, change_state, login
from tests.factories import EditorFactory, UserFactory

URL = "/corrections/"
NOTES = {
    "newest": "The ledger was <b>revised</b>; the records stand.",
    "middle": "The records were withdrawn.",
    "oldest": "We had missed the city ledger.",
}
FIRST_DAY = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)


def day(number: int) -> datetime.datetime:
    return FIRST_DAY + datetime.timedelta(days=number)


def published_claim(editor, source, text: str, *, on: int):
    """A claim corroborated on day ``on``, with a contradicting link to be corrected by."""
    with clock.replaying(day(on)):
        claim = services.claim_create(
            actor=editor,
            text=text,
            claimant="Mayor Jones",
            appearances=[services.AppearanceInput(source, "as quoted")],
        )
        add_evidence(claim, editor, Stance.SUPPORTS)
        add_evidence(claim, editor, Stance.CONTRADICTS)
        return change_state(claim, editor, ReviewState.CORROBORATED, "Records agree.")


def correct(claim, actor, state, note: str, *, on: int, rationale: str = "Checked again."):
    with clock.replaying(day(on)):
        return change_state(claim, actor, state, rationale, note)


@pytest.fixture
def corrections_desk(editor, reviewer, source, settings):
    """Three corrections, on 10, 15 and 20 April 2024; the last proposed by a reviewer and signed
    off by a second editor, the others made on the tests' one-person desk."""
    bridge = published_claim(editor, source, "The bridge opened in 1999. " * 10, on=0)
    tunnel = published_claim(editor, source, "The tunnel opened in 2005.", on=1)
    correct(bridge, editor, ReviewState.DISPUTED, NOTES["oldest"], on=40)
    correct(tunnel, editor, ReviewState.UNVERIFIED, NOTES["middle"], on=45)
    bridge.refresh_from_db()
    services.reviewer_assign(actor=editor, claim=bridge, reviewer=reviewer)
    settings.FACTCHECK_SIGNOFF = True
    chief = EditorFactory(username="chen", first_name="Chen", last_name="Chief")
    bridge.refresh_from_db()
    with clock.replaying(day(50)):
        proposal = services.verdict_propose(
            actor=reviewer,
            claim=bridge,
            expected_version=bridge.version,
            state=ReviewState.CORROBORATED,
            rationale="The ledger was wrong.",
            correction_note=NOTES["newest"],
        )
        services.verdict_sign_off(actor=chief, proposal=proposal)
    settings.FACTCHECK_SIGNOFF = False
    return {"bridge": bridge, "tunnel": tunnel, "chief": chief}


def rows(response) -> list[Publication]:
    return response.context["corrections"].rows


def page_of(client, user, query="") -> str:
    login(client, user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return response


def test_lists_every_correction_newest_first(client, viewer, corrections_desk):
    response = page_of(client, viewer)
    assert [(c.published_at, c.correction_note) for c in rows(response)] == [
        (day(50), NOTES["newest"]),
        (day(45), NOTES["middle"]),
        (day(40), NOTES["oldest"]),
    ]  # and not the claims' first publications
    page = response.content.decode()
    assert "1–3 of 3 corrections" in page


def test_each_row_says_when_what_changed_why_and_who(client, viewer, corrections_desk):
    page = page_of(client, viewer).content.decode()
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    newest, middle, oldest = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    bridge = corrections_desk["bridge"]
    assert f'href="{reverse("claims:detail", args=[bridge.pk])}"' in newest
    assert "20 Apr 2024" in newest
    assert '<time datetime="2024-04-20T12:00:00+0000">' in newest
    assert "badge-disputed" in newest
    assert newest.index("badge-disputed") < newest.index("badge-corroborated")
    assert "The ledger was &lt;b&gt;revised&lt;/b&gt;; the records stand." in newest  # escaped
    assert "<b>revised</b>" not in page
    assert "Rita Reviewer" in newest
    assert "Chen Chief" in newest
    assert "published without sign-off" not in newest
    assert "The tunnel opened in 2005." in middle
    assert "badge-unverified" in middle
    assert "Edna Editor" in middle
    assert "published without sign-off" in middle  # the one-person desk
    # The claim's text is cut short; the whole claim is a click away.
    link_text = re.search(r'class="claim-link"[^>]*>([^<]*)</a>', oldest).group(1)
    assert len(link_text) == 140
    assert link_text.endswith("…")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?corrected_from=2024-04-15", ["newest", "middle"]),
        ("?corrected_to=2024-04-15", ["middle", "oldest"]),  # the day itself counts
        ("?corrected_from=2024-04-15&corrected_to=2024-04-15", ["middle"]),
        ("?corrected_from=2024-04-16&corrected_to=2024-04-19", []),
        ("?corrected_from=&corrected_to=", ["newest", "middle", "oldest"]),
    ],
)
def test_dates_choose_the_corrections_both_days_included(
    client, viewer, corrections_desk, query, expected
):
    response = page_of(client, viewer, query)
    assert [c.correction_note for c in rows(response)] == [NOTES[key] for key in expected]
    if not expected:
        assert "No correction was published on these days." in response.content.decode()


def test_a_mistyped_date_stays_in_its_field_and_the_other_still_applies(
    client, viewer, corrections_desk
):
    response = page_of(client, viewer, "?corrected_from=2024-04-3x&corrected_to=2024-04-15")
    assert [c.correction_note for c in rows(response)] == [NOTES["middle"], NOTES["oldest"]]
    page = response.content.decode()
    # As text, not a date input: a browser would empty a date field holding no date.
    field = re.search(r'<input[^>]*name="corrected_from"[^>]*>', page).group(0)
    assert 'type="text"' in field
    assert 'value="2024-04-3x"' in field
    assert 'aria-invalid="true"' in field
    assert "Enter a valid date." in page
    kept = re.search(r'<input[^>]*name="corrected_to"[^>]*>', page).group(0)
    assert 'type="date"' in kept
    assert 'value="2024-04-15"' in kept


def test_an_empty_desk_says_nothing_was_corrected(client, viewer):
    page = page_of(client, viewer).content.decode()
    assert "The desk has not corrected a published verdict yet." in page
    assert "<table" not in page


def test_pages_hold_fifty_newest_first(client, viewer, claim, editor):
    add_evidence(claim, editor, Stance.SUPPORTS)
    claim = change_state(claim, editor, ReviewState.CORROBORATED)
    Publication.objects.bulk_create(
        Publication(
            claim=claim,
            published_at=day(n),
            state=ReviewState.CORROBORATED,
            is_correction=True,
            previous_state=ReviewState.CORROBORATED,
            correction_note=f"Correction {n}",
        )
        for n in range(CORRECTIONS_PAGE_SIZE + 10)
    )
    first = page_of(client, viewer)
    assert len(rows(first)) == CORRECTIONS_PAGE_SIZE
    assert rows(first)[0].correction_note == "Correction 59"
    assert 'href="?page=2" rel="next"' in first.content.decode()
    second = page_of(client, viewer, "?page=2")
    notes = [c.correction_note for c in rows(second)]
    assert notes == [f"Correction {n}" for n in range(9, -1, -1)]
    assert "51–60 of 60 corrections" in second.content.decode()
    # The date filter is kept from page to page.
    dated = page_of(client, viewer, "?corrected_from=2024-03-01&page=2").content.decode()
    assert 'href="?corrected_from=2024-03-01&amp;page=1" rel="prev"' in dated


def test_the_page_reads_in_the_same_queries_however_many_rows(
    client, viewer, corrections_desk, django_assert_max_num_queries
):
    login(client, viewer)
    client.get(URL)  # warm the session

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    bridge = corrections_desk["bridge"]
    for number in range(12):
        bridge = correct(
            bridge,
            UserFactory(username=f"editor{number}", is_superuser=True),
            ReviewState.DISPUTED if number % 2 else ReviewState.CORROBORATED,
            f"Note {number}",
            on=60 + number,
        )
    assert queries() == few
    with django_assert_max_num_queries(8):
        client.get(URL + "?corrected_from=2024-04-01&corrected_to=2024-12-31")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_the_page_is_read_on_the_corrections_index(corrections_desk):
    from claims.signoff.selectors import desk_corrections

    listing = desk_corrections({"corrected_from": "2024-04-01"})
    page_ids = listing.page.paginator.object_list  # the page's ids are chosen on it
    sql, params = page_ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "publication_corrections_idx" in plan
    assert "TEMP B-TREE" not in plan  # the index gives the order: the corrections are not sorted


def test_login_and_a_role_are_required(client, corrections_desk):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    login(client, UserFactory(username="no_role"))
    assert client.get(URL).status_code == 403


def test_the_header_links_to_the_page_and_marks_it_current(client, reviewer, db):
    page = page_of(client, reviewer).content.decode()
    nav = page.split('<nav class="nav"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/corrections/" aria-current="page">Corrections</a>' in nav


def test_only_get(client, viewer):
    login(client, viewer)
    assert client.post(URL).status_code == 405
