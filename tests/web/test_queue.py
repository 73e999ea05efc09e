"""The claim queue over HTTP: filters, tabs, sorts, pages, rows and my queue."""

import datetime

import pytest
from django.utils import timezone

from claims import services
from claims.models import Claim, Stance
from claims.selectors.people import display_name
from tests.conftest import add_evidence, login, make_claim
from tests.factories import ClaimFactory, ReviewerFactory


def queue_texts(response):
    return [row.claim.text for row in response.context["queue"].rows]


# Queue --------------------------------------------------------------------------------------------


def test_queue_lists_every_claim_with_counts_per_state(client, editor, queue_desk):
    response = login(client, editor).get("/claims/")
    assert response.status_code == 200
    queue = response.context["queue"]
    assert queue.state_counts == {"unverified": 3, "corroborated": 1, "disputed": 1}
    assert queue.total == 5
    assert len(queue.rows) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=disputed", {"disputed"}),
        ("reviewer=me", {"open", "overdue"}),
        ("reviewer=unassigned", {"corroborated", "unassigned"}),
        ("claimant=israeli", {"disputed"}),
        ("supporting=yes", {"corroborated"}),
        ("contradicting=yes", {"disputed"}),
        ("supporting=no&contradicting=no", {"open", "overdue", "unassigned"}),
        ("overdue=on", {"overdue"}),
        ("q=israel", {"open", "disputed", "unassigned"}),
        ("q=hellfire+drones", {"overdue"}),
        ("q=trump", {"open"}),
    ],
)
def test_queue_filters(client, reviewer, queue_desk, query, expected):
    claims, _ = queue_desk
    response = login(client, reviewer).get(f"/claims/?{query}")
    assert set(queue_texts(response)) == {claims[key].text for key in expected}


def test_queue_filters_by_reviewer_id_and_source(client, editor, other_reviewer, queue_desk):
    claims, axios = queue_desk
    login(client, editor)
    response = client.get(f"/claims/?reviewer={other_reviewer.pk}")
    assert queue_texts(response) == [claims["disputed"].text]
    response = client.get(f"/claims/?source={axios.pk}")
    assert set(queue_texts(response)) == {
        claims[k].text for k in ("corroborated", "disputed", "unassigned")
    }


def test_queue_filters_by_date_ranges(client, editor, queue_desk):
    claims, _ = queue_desk
    old = claims["unassigned"]
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Claim.objects.filter(pk=old.pk).update(created_at=long_ago, updated_at=long_ago)
    cutoff = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    login(client, editor)
    assert old.text not in queue_texts(client.get(f"/claims/?created_from={cutoff}"))
    assert queue_texts(client.get(f"/claims/?created_to={cutoff}")) == [old.text]
    assert queue_texts(client.get(f"/claims/?updated_to={cutoff}")) == [old.text]
    assert old.text not in queue_texts(client.get(f"/claims/?updated_from={cutoff}"))


def test_state_tabs_count_under_the_other_filters(client, reviewer, queue_desk):
    response = login(client, reviewer).get("/claims/?reviewer=me&state=unverified")
    queue = response.context["queue"]
    assert queue.state_counts == {"unverified": 2, "corroborated": 0, "disputed": 0}
    assert queue.total == 2


def test_queue_sorts_and_paginates(client, editor, queue_desk):
    login(client, editor)
    by_claimant = queue_texts(client.get("/claims/?sort=claimant"))
    claimants = [Claim.objects.get(text=t).claimant for t in by_claimant]
    assert claimants == sorted(claimants)
    assert queue_texts(client.get("/claims/?sort=-claimant")) == list(reversed(by_claimant))
    first = client.get("/claims/?per_page=10&sort=claimant")
    assert len(first.context["queue"].rows) == 5
    page = client.get("/claims/?per_page=10&page=2")  # past the end: the last page
    assert page.context["queue"].page.number == 1


# Each sort's order worked out in Python from the claims' own values, newest or most first.
SORT_KEYS = {
    "updated": lambda c: (-c.updated_at.timestamp(), -c.pk),
    "created": lambda c: (-c.created_at.timestamp(), -c.pk),
    "claimant": lambda c: (c.claimant, c.pk),
    "state": lambda c: (c.state, -c.updated_at.timestamp(), -c.pk),
    "supporting": lambda c: (-c.supporting_count, -c.pk),
    "contradicting": lambda c: (-c.contradicting_count, -c.pk),
}


@pytest.mark.parametrize("sort", [*SORT_KEYS, *(f"-{name}" for name in SORT_KEYS)])
def test_every_sort_orders_the_rows_by_its_column(client, editor, queue_desk, sort):
    claims, _ = queue_desk
    expected = sorted(claims.values(), key=SORT_KEYS[sort.lstrip("-")])
    if sort == "-state":  # states the other way round, each still newest first
        newest_first = sorted(claims.values(), key=SORT_KEYS["updated"])
        expected = sorted(newest_first, key=lambda c: c.state, reverse=True)  # stable
    elif sort.startswith("-"):
        expected.reverse()
    response = login(client, editor).get(f"/claims/?sort={sort}")
    assert [row.claim.pk for row in response.context["queue"].rows] == [c.pk for c in expected]


def test_queue_pages_25_claims_by_default(client, editor):
    for number in range(27):
        ClaimFactory(text=f"Claim {number}")
    response = login(client, editor).get("/claims/")
    queue = response.context["queue"]
    assert (queue.page_size, len(queue.rows), queue.page.paginator.num_pages) == (25, 25, 2)
    assert len(queue_texts(login(client, editor).get("/claims/?page=2"))) == 2


def test_queue_row_shows_text_claimant_state_counts_reviewer_due_and_last_change(
    client, editor, reviewer
):
    long_text = "The minister said " + "prices doubled " * 12 + "in a year."
    claim = make_claim(editor, long_text, "Finance minister <Ana>")
    add_evidence(claim, editor, Stance.SUPPORTS)
    claim.refresh_from_db()
    services.reviewer_assign(
        actor=editor,
        claim=claim,
        reviewer=reviewer,
        due_on=datetime.date(2030, 1, 5),
    )
    claim.refresh_from_db()
    changed = timezone.localtime(claim.updated_at)

    response = login(client, editor).get("/claims/")

    row = response.context["queue_rows"][0]
    assert f'<a class="claim-link" href="/claims/{claim.pk}/">{long_text[:139]}…</a>' in row
    assert '<div class="claimant">Finance minister &lt;Ana&gt;</div>' in row
    assert '<span class="badge badge-unverified">Unverified</span>' in row
    assert "✓ 1<span" in row
    assert "✗ 0<span" in row
    assert ">Rita Reviewer</td>" in row
    assert "<span>5 Jan 2030</span>" in row
    assert (
        f'<time datetime="{changed.isoformat(timespec="seconds")}">{changed.day} {changed:%b %Y}'
        in row
    )
    assert f"{changed:%H:%M}</span></time>" in row
    assert row in response.content.decode()


def test_queue_row_shows_reviewers_due_date_and_overdue_mark(client, editor, queue_desk):
    content = login(client, editor).get("/claims/?overdue=on").content.decode()
    assert "Rita Reviewer" in content
    assert 'class="overdue"' in content


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=-1",
        "per_page=0",
        "per_page=abc",
        "sort=bogus",
        "reviewer=999999",
        "reviewer=abc",
        "source=abc",
        "state=nope",
        "created_from=31-31-2020",
        "overdue=maybe",
        "q=%22%27%29%28*",
        "q=" + "x" * 5000,
        "supporting=perhaps",
        "created_to=9999-12-31",
        "updated_to=9999-12-31",
        "verdict_to=9999-12-31",
        "created_from=0001-01-01",
        "reviewer=99999999999999999999999",
        "reviewer=%C2%B2",
    ],
)
def test_odd_queue_parameters_never_fail(client, editor, queue_desk, query):
    assert login(client, editor).get(f"/claims/?{query}").status_code == 200


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
@pytest.mark.parametrize(
    "query",
    [
        "created_from=0001-01-01",
        "created_to=9999-12-31",
        "updated_from=0001-01-01&updated_to=9999-12-31",
        "created_from=0001-01-01&created_to=9999-12-31",
    ],
)
def test_dates_at_the_ends_of_the_calendar_bound_nothing(
    client, editor, queue_desk, settings, zone, query
):
    settings.TIME_ZONE = zone
    response = login(client, editor).get(f"/claims/?{query}")
    assert response.status_code == 200
    assert response.context["queue"].total == 5


def test_an_invalid_filter_beside_a_state_keeps_the_state(client, editor, queue_desk):
    claims, _ = queue_desk
    response = login(client, editor).get("/claims/?state=corroborated&created_from=notadate")
    queue = response.context["queue"]
    assert queue_texts(response) == [claims["corroborated"].text]
    assert queue.total == 1
    assert queue.selected_state == "corroborated"
    assert "1–1 of 1" in response.content.decode()


def test_overdue_with_a_reviewer_is_that_reviewers_overdue_work(
    client, editor, reviewer, queue_desk
):
    claims, _ = queue_desk
    late = claims["overdue"]  # Rita's assignment is two days late
    other = ReviewerFactory(username="olga")
    services.reviewer_assign(
        actor=editor,
        claim=late,
        reviewer=other,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    login(client, editor)
    assert queue_texts(client.get(f"/claims/?reviewer={reviewer.pk}&overdue=on")) == [late.text]
    assert queue_texts(client.get(f"/claims/?reviewer={other.pk}&overdue=on")) == []
    assert queue_texts(client.get("/claims/?overdue=on")) == [late.text]


def test_queue_query_count_is_the_same_for_any_page_size_and_filters(
    client, reviewer, queue_desk, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, axios = queue_desk
    login(client, reviewer)
    counts = []
    for query in (
        "",
        "per_page=10",
        "per_page=100",
        "state=disputed",
        "reviewer=me&overdue=on",
        f"source={axios.pk}&supporting=yes",
        "q=israel&sort=claimant&page=1",
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/claims/?{query}").status_code == 200
        counts.append(len(captured))
    assert len(set(counts)) == 1, counts
    with django_assert_max_num_queries(11):
        client.get("/claims/?per_page=100&reviewer=me&q=israel")


def test_queue_htmx_request_gets_only_the_results(client, editor, queue_desk):
    response = login(client, editor).get(
        "/claims/?state=disputed", headers={"HX-Request": "true", "HX-Target": "queue-results"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="queue-results"')
    assert "<html" not in content


def test_my_queue_lists_open_assignments_soonest_first(client, reviewer, queue_desk):
    claims, _ = queue_desk
    response = login(client, reviewer).get("/claims/mine/")
    assert [a.claim.text for a in response.context["assignments"]] == [
        claims["overdue"].text,
        claims["open"].text,
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "q=inflation&state=&reviewer=&sort=updated&per_page=",
            "/claims/?q=inflation&sort=updated",
        ),
        ("state=&reviewer=", "/claims/"),
        ("reviewer=me&q=&state=disputed", "/claims/?reviewer=me&state=disputed"),
    ],
)
def test_empty_filter_parameters_are_dropped_by_a_redirect(client, editor, query, expected):
    response = login(client, editor).get(f"/claims/?{query}")
    assert response.status_code == 302
    assert response["Location"] == expected


def test_a_queue_address_without_empty_parameters_is_not_redirected(client, editor):
    assert login(client, editor).get("/claims/?q=inflation&state=disputed").status_code == 200


def test_applied_filters_show_as_chips_that_remove_themselves(
    client, editor, other_reviewer, queue_desk
):
    _claims, axios = queue_desk
    query = f"state=disputed&reviewer={other_reviewer.pk}&source={axios.pk}&overdue=on&sort=state"
    response = login(client, editor).get(f"/claims/?{query}&page=1")
    chips = {chip["name"]: chip for chip in response.context["queue"].chips}
    assert list(chips) == ["state", "reviewer", "source", "overdue"]
    assert chips["reviewer"]["label"] == "Reviewer"
    assert chips["reviewer"]["value"] == display_name(other_reviewer)
    assert chips["source"]["value"] == str(axios)  # as the select shows it
    assert chips["state"]["value"] == "Disputed"
    assert chips["reviewer"]["remove_query"] == (
        f"?state=disputed&source={axios.pk}&overdue=on&sort=state"
    )
    content = response.content.decode()
    assert f"Reviewer: <strong>{display_name(other_reviewer)}</strong>" in content
    assert (
        f'href="/claims/?state=disputed&amp;reviewer={other_reviewer.pk}&amp;overdue=on'
        '&amp;sort=state"' in content
    )


def test_no_chip_for_an_invalid_or_absent_filter(client, editor, queue_desk):
    login(client, editor)
    response = client.get("/claims/?reviewer=99999&created_from=2023-13-45&supporting=maybe")
    assert response.context["queue"].chips == []
    assert 'class="chips"' not in response.content.decode()
    assert client.get("/claims/").context["queue"].chips == []


def test_a_mistyped_date_stays_in_its_field_with_a_message_and_other_filters_apply(
    client, editor, queue_desk
):
    claims, _ = queue_desk
    response = login(client, editor).get("/claims/?created_from=2023-13-45&state=disputed")
    assert queue_texts(response) == [claims["disputed"].text]
    form = response.context["queue"].filterset.form
    assert form.errors["created_from"]
    content = response.content.decode()
    field = content.split('name="created_from"')[0].rsplit('<div class="field', 1)[1]
    assert field.startswith(" field-error")
    # As text: a browser would empty a date input holding no date.
    assert '<input type="text" name="created_from"' in content
    assert 'value="2023-13-45"' in content.split('name="created_from"')[1].split(">")[0]
    assert '<input type="date" name="created_to"' in content
    assert str(form.errors["created_from"][0]) in content


def test_sort_links_outside_the_table_headers_keep_the_filters(client, editor, queue_desk):
    content = login(client, editor).get("/claims/?state=unverified&sort=created").content
    nav = content.decode().split('class="sort-links"')[1].split("</nav>")[0]
    assert 'href="?state=unverified&amp;sort=claimant"' in nav
    assert 'href="?state=unverified&amp;sort=created" aria-current="true"' in nav


def test_the_state_is_chosen_by_the_tabs_and_carried_by_the_filter_form(client, editor, queue_desk):
    content = login(client, editor).get("/claims/?state=disputed").content.decode()
    form = content.split('<aside class="panel filters"')[1].split("</form>")[0]
    assert '<select name="state"' not in form
    assert '<input type="hidden" name="state" value="disputed">' in form
