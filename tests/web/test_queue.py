"""The claim queue over HTTP: filters, tabs, sorts, pages, rows and my queue."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from claims import services
from claims.models import AuditEvent, Claim, DeskPreferences, Stance
from claims.selectors.people import display_name
from tests.conftest import add_evidence, change_state, events_of, login, make_claim
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


# Due dates soonest first, then latest first; in both, the claims with none last, by id.
DUE_KEYS = {
    "due": lambda c: (c.next_due_on is None, c.next_due_on or datetime.date.min, c.pk),
    "-due": lambda c: (
        c.next_due_on is None,
        -(c.next_due_on or datetime.date.min).toordinal(),
        -c.pk,
    ),
}


@pytest.mark.parametrize("sort", [*SORT_KEYS, *(f"-{name}" for name in SORT_KEYS), *DUE_KEYS])
def test_every_sort_orders_the_rows_by_its_column(client, editor, queue_desk, sort):
    claims, _ = queue_desk
    if sort in DUE_KEYS:
        expected = sorted(claims.values(), key=DUE_KEYS[sort])
        assert [c.next_due_on is None for c in expected] == [False, False, True, True, True]
    else:
        expected = sorted(claims.values(), key=SORT_KEYS[sort.lstrip("-")])
    if sort == "-state":  # states the other way round, each still newest first
        newest_first = sorted(claims.values(), key=SORT_KEYS["updated"])
        expected = sorted(newest_first, key=lambda c: c.state, reverse=True)  # stable
    elif sort.startswith("-") and sort not in DUE_KEYS:
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


# Bulk actions from the queue ----------------------------------------------------------------------


def checkbox(claim) -> str:
    return f'<input type="checkbox" name="claim" value="{claim.pk}:{claim.version}"'


def ticked(claim) -> str:
    return f"{claim.pk}:{claim.version}"


def bulk_post(client, query="", **data):
    """POST the queue's bulk form at the queue address ``?query``, as the page would."""
    return client.post(f"/claims/{'?' + query if query else ''}", data)


def new_events(claim, before: int) -> list[str]:
    return [event.action for event in events_of(claim)[before:]]


def test_an_editor_gets_a_labelled_checkbox_per_row_inside_one_bulk_form(
    client, editor, queue_desk
):
    claims, _ = queue_desk
    content = login(client, editor).get("/claims/?state=unverified").content.decode()
    form = content.split('<form id="bulk-form"')[1].split("</form>")[0]
    assert 'method="post" action="/claims/?state=unverified"' in form
    for key in ("open", "overdue", "unassigned"):
        claim = claims[key]
        assert checkbox(claim) in form
        assert f"Select claim #{claim.pk}: {escape(claim.text)}</span>" in form
    assert checkbox(claims["disputed"]) not in form  # not on this tab
    shown = form.split('name="shown" value="')[1].split('"')[0]
    assert set(shown.split()) == {ticked(claims[k]) for k in ("open", "overdue", "unassigned")}
    assert 'name="all_on_page"' in form
    assert '<select name="reviewer" id="bulk-reviewer">' in form
    assert '<textarea name="rationale"' in form


def test_a_checkbox_label_is_escaped_and_shortened(client, editor):
    claim = make_claim(editor, "<b>Prices</b> doubled " + "and doubled again " * 10)
    content = login(client, editor).get("/claims/").content.decode()
    label = content.split(f"Select claim #{claim.pk}: ")[1].split("</span>")[0]
    assert label.startswith("&lt;b&gt;Prices&lt;/b&gt; doubled")
    assert label.endswith("…")
    assert len(label.replace("&lt;", "<").replace("&gt;", ">")) == 60


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_others_get_no_checkboxes_and_no_bulk_form(client, queue_desk, role, request):
    content = login(client, request.getfixturevalue(role)).get("/claims/").content.decode()
    assert 'name="claim"' not in content
    assert "bulk-form" not in content
    assert "queue.js" not in content


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_a_bulk_post_from_anyone_but_an_editor_is_refused(
    client, editor, queue_desk, role, request
):
    claims, _ = queue_desk
    claim = claims["unassigned"]
    before = len(events_of(claim))
    response = bulk_post(
        login(client, request.getfixturevalue(role)),
        claim=ticked(claim),
        action="assign",
        reviewer=editor.pk,
    )
    assert response.status_code == 403
    assert len(events_of(claim)) == before


def test_bulk_assign_assigns_each_claim_and_says_which_were_refused(
    client, editor, reviewer, queue_desk
):
    claims, _ = queue_desk
    chosen = [claims["open"], claims["unassigned"], claims["corroborated"]]  # Rita has "open"
    before = {claim.pk: len(events_of(claim)) for claim in chosen}
    due = (timezone.localdate() + datetime.timedelta(days=4)).isoformat()
    query = "sort=claimant&per_page=10&page=1"

    response = bulk_post(
        login(client, editor),
        query,
        claim=[ticked(claim) for claim in chosen],
        action="assign",
        reviewer=reviewer.pk,
        due_on=due,
    )

    assert response.status_code == 302
    assert response["Location"] == f"/claims/?{query}"
    for claim in (claims["unassigned"], claims["corroborated"]):
        assert new_events(claim, before[claim.pk]) == ["reviewer.assigned"]
        assignment = claim.assignments.get(reviewer=reviewer, status="open")
        assert assignment.due_on.isoformat() == due
    assert new_events(claims["open"], before[claims["open"].pk]) == []

    page = client.get(response["Location"])
    result = page.context["bulk_result"]
    assert result.changed_title == "2 claims assigned to Rita Reviewer:"
    assert [pk for pk, _label in result.changed] == [
        claims["unassigned"].pk,
        claims["corroborated"].pk,
    ]
    assert result.refused_title == "1 claim refused:"
    [(reason, refused)] = result.refused
    assert reason == "Rita Reviewer already has an open assignment on this claim."
    assert refused == [(claims["open"].pk, f"#{claims['open'].pk} “{claims['open'].text}”")]
    content = page.content.decode()
    section = content.split('<div class="bulk-result"')[1].split('<ul class="chips"')[0]
    assert f'<a href="/claims/{claims["open"].pk}/">#{claims["open"].pk} ' in section
    assert "already has an open assignment" in section
    # Shown once: the next visit is the plain queue.
    assert client.get(response["Location"]).context["bulk_result"] is None


def test_bulk_state_change_moves_what_it_can_and_says_why_the_rest_was_refused(
    client, editor, queue_desk
):
    claims, _ = queue_desk
    supported = claims["open"]
    add_evidence(supported, editor, Stance.SUPPORTS)
    supported.refresh_from_db()
    bare = claims["unassigned"]  # no supporting link: cannot be corroborated
    before = {c.pk: len(events_of(c)) for c in (supported, bare)}

    response = bulk_post(
        login(client, editor),
        "state=unverified",
        claim=[ticked(supported), ticked(bare)],
        action="state",
        state="corroborated",
        rationale="Both reports agree.",
    )

    assert response.status_code == 302
    assert response["Location"] == "/claims/?state=unverified"
    supported.refresh_from_db()
    bare.refresh_from_db()
    assert (supported.state, supported.rationale) == ("corroborated", "Both reports agree.")
    assert new_events(supported, before[supported.pk]) == ["claim.state_changed"]
    assert events_of(supported)[-1].data["reason"] == "Both reports agree."
    assert bare.state == "unverified"
    assert new_events(bare, before[bare.pk]) == []
    result = client.get(response["Location"]).context["bulk_result"]
    assert result.changed_title == "1 claim moved to Corroborated:"
    assert result.refused == [
        (
            "Corroborated needs at least one standing supporting evidence link.",
            [(bare.pk, f"#{bare.pk} “{bare.text}”")],
        )
    ]


def test_bulk_state_change_refuses_a_claim_that_moved_since_the_page_was_shown(
    client, editor, queue_desk
):
    claims, _ = queue_desk
    claim = claims["disputed"]
    seen = ticked(claim)
    add_evidence(claim, editor, Stance.SUPPORTS)
    change_state(
        claim, editor, "corroborated", "Someone else decided first.", "We misread the report."
    )

    response = bulk_post(
        login(client, editor),
        claim=seen,
        action="state",
        state="unverified",
        rationale="Reopened to look again.",
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.rationale == "Someone else decided first."
    result = client.get(response["Location"]).context["bulk_result"]
    assert result.changed == []
    assert result.refused[0][0].startswith("Someone else changed the claim after you chose it")


def test_all_on_page_selects_every_claim_the_page_showed_without_javascript(
    client, editor, other_reviewer, queue_desk
):
    claims, _ = queue_desk
    login(client, editor)
    page = client.get("/claims/?state=unverified").content.decode()
    shown = page.split('name="shown" value="')[1].split('"')[0]

    response = bulk_post(
        client,
        "state=unverified",
        all_on_page="on",
        shown=shown,
        action="assign",
        reviewer=other_reviewer.pk,
    )

    assert response.status_code == 302
    assigned = set(
        other_reviewer.assignments.filter(status="open").values_list("claim_id", flat=True)
    )
    assert assigned == {claims[k].pk for k in ("open", "overdue", "unassigned", "disputed")}
    assert other_reviewer.assignments.filter(claim=claims["corroborated"]).count() == 0


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"action": "assign", "reviewer": "REVIEWER"}, "", "Select the claims to act on"),
        ({"action": "assign", "claim": "TICKED"}, "reviewer", "Choose the reviewer to assign."),
        (
            {"action": "assign", "claim": "TICKED", "reviewer": "REVIEWER", "due_on": "2030-13-45"},
            "due_on",
            "Enter a valid date.",
        ),
        (
            {"action": "state", "claim": "TICKED", "state": "disputed", "rationale": "  "},
            "rationale",
            "Write a rationale for this change of state.",
        ),
        (
            {"action": "state", "claim": "TICKED", "rationale": "Checked twice."},
            "state",
            "Choose the state to move the claims to.",
        ),
        (
            {"action": "state", "claim": "TICKED", "state": "disputed", "rationale": "Sure."},
            "state",
            "None of the selected claims can move to Disputed now: Disputed needs at least one "
            "standing contradicting evidence link.",
        ),
        ({"claim": "TICKED", "reviewer": "REVIEWER"}, "", "Choose what to do"),
        ({"action": "assign", "claim": "12:x", "reviewer": "REVIEWER"}, "", "Reload the page."),
    ],
)
def test_bulk_input_to_correct_shows_the_queue_again_with_everything_kept(
    client, editor, reviewer, queue_desk, data, field, error
):
    claims, _ = queue_desk
    chosen = [claims["open"], claims["unassigned"]]
    data = {
        name: {"TICKED": [ticked(c) for c in chosen], "REVIEWER": reviewer.pk}.get(value, value)
        for name, value in data.items()
    }
    before = AuditEvent.objects.count()

    response = bulk_post(login(client, editor), "sort=claimant", **data)

    assert response.status_code == 422
    assert AuditEvent.objects.count() == before
    content = response.content.decode()
    assert "<h1>Claim queue</h1>" in content
    form = content.split('<form id="bulk-form"')[1].split("</form>")[0]
    assert 'action="/claims/?sort=claimant"' in form
    if field:
        at_field = form.split(f'name="{field}"')[0].rsplit('<div class="field', 1)[1]
        assert at_field.startswith(" field-error")
        assert error in form.split(f'name="{field}"')[1].split("</div>")[0]
    else:
        assert error in form.split('<div class="bulk-errors" role="alert">')[1].split("</div>")[0]
    if data.get("claim") == [ticked(c) for c in chosen]:
        for claim in chosen:
            assert checkbox(claim) + " checked>" in form
        assert checkbox(claims["overdue"]) + ">" in form
    for name in ("due_on", "rationale"):
        if data.get(name, "").strip():
            assert data[name] in form.split(f'name="{name}"')[1].split("</")[0]
    if data.get("reviewer"):
        assert f'<option value="{reviewer.pk}" selected>' in form
    opened = form.split(f'value="{data.get("action")}"')[0].rsplit("<details", 1)[-1]
    assert opened.startswith(' class="bulk-action" open>') or "action" not in data


def test_bulk_input_kept_after_an_error_ticks_every_claim_with_all_on_page(
    client, editor, queue_desk
):
    claims, _ = queue_desk
    shown = " ".join(ticked(c) for c in claims.values())
    response = bulk_post(login(client, editor), all_on_page="on", shown=shown, action="assign")
    assert response.status_code == 422
    content = response.content.decode()
    assert '<input type="checkbox" name="all_on_page" id="bulk-all_on_page" checked>' in content
    for claim in claims.values():
        assert checkbox(claim) + " checked>" in content


def test_bulk_refusal_comes_back_in_place_for_htmx(client, editor, queue_desk):
    response = login(client, editor).post(
        "/claims/?state=disputed",
        {"action": "assign"},
        headers={"HX-Request": "true", "HX-Target": "queue-results"},
    )
    assert response.status_code == 422
    assert response.content.decode().lstrip().startswith('<section id="queue-results"')


def test_too_many_claims_at_once_are_refused_before_any_is_written(
    client, editor, reviewer, queue_desk, settings
):
    from claims import services as bulk_services

    claims, _ = queue_desk
    tokens = [ticked(c) for c in claims.values()]
    original = bulk_services.BULK_LIMIT
    bulk_services.BULK_LIMIT = 2
    try:
        response = bulk_post(
            login(client, editor), claim=tokens, action="assign", reviewer=reviewer.pk
        )
    finally:
        bulk_services.BULK_LIMIT = original
    assert response.status_code == 422
    assert "Select at most 2 claims at once." in response.content.decode()


def test_queue_query_count_for_an_editor_does_not_grow_with_rows_or_density(
    client, editor, reviewer, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(30):
        claim = ClaimFactory(text=f"Claim {number}")
        if number % 3 == 0:
            services.reviewer_assign(actor=editor, claim=claim, reviewer=reviewer)
    login(client, editor)
    counts = {}
    for density in ("comfortable", "compact"):
        services.desk_preferences_update(actor=editor, queue_density=density)
        for query in ("per_page=10", "per_page=100", "per_page=100&sort=due"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(f"/claims/?{query}")
            assert response.status_code == 200
            assert len(response.context["queue_rows"]) == (10 if query == "per_page=10" else 30)
            counts[density, query] = len(captured)
    assert len(set(counts.values())) == 1, counts


# Density ------------------------------------------------------------------------------------------


def test_the_queue_is_comfortable_until_the_user_chooses_compact(client, editor, queue_desk):
    content = login(client, editor).get("/claims/").content.decode()
    assert '<section id="queue-results" class="density-comfortable"' in content
    assert 'class="evidence-cell"' in content
    assert (
        '<button type="submit" name="density" value="comfortable" aria-pressed="true">'
        "Comfortable</button>" in content
    )
    assert not DeskPreferences.objects.exists()  # reading writes nothing


def test_compact_density_is_stored_and_applied_on_every_later_visit(
    client, editor, reviewer, queue_desk
):
    claims, _ = queue_desk
    login(client, editor)
    response = client.post("/claims/density/?state=unverified&sort=due", {"density": "compact"})

    assert response.status_code == 302
    assert response["Location"] == "/claims/?state=unverified&sort=due"
    assert editor.desk_preferences.queue_density == "compact"
    for query in ("", "?state=disputed", "?per_page=10&page=1", "?q=israel"):
        content = client.get(f"/claims/{query}").content.decode()
        assert 'class="density-compact"' in content, query
        assert '<table class="queue compact">' in content
        assert 'class="evidence-cell"' not in content  # one line: no counts, no last change
        assert '<td class="claimant-cell">' in content
    row = client.get("/claims/?state=disputed").context["queue_rows"][0]
    assert f'<td class="claimant-cell">{claims["disputed"].claimant}</td>' in row
    assert '<span class="badge badge-disputed">Disputed</span>' in row
    assert ">Omar Other</td>" in row
    # Another user's queue is their own.
    assert 'class="density-comfortable"' in login(client, reviewer).get("/claims/").content.decode()


def test_htmx_results_keep_the_users_density(client, editor, queue_desk):
    services.desk_preferences_update(actor=editor, queue_density="compact")
    response = login(client, editor).get(
        "/claims/?state=disputed", headers={"HX-Request": "true", "HX-Target": "queue-results"}
    )
    assert (
        response.content.decode()
        .lstrip()
        .startswith('<section id="queue-results" class="density-compact"')
    )


def test_an_unknown_density_is_refused_and_stores_nothing(client, editor):
    response = login(client, editor).post("/claims/density/", {"density": "tiny"})
    assert response.status_code == 400
    assert not DeskPreferences.objects.exists()


def test_a_viewer_may_choose_their_density_too(client, viewer):
    response = login(client, viewer).post("/claims/density/", {"density": "compact"})
    assert response.status_code == 302
    assert viewer.desk_preferences.queue_density == "compact"


def test_density_is_read_in_one_query(client, editor, queue_desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, editor)
    with CaptureQueriesContext(connection) as captured:
        client.get("/claims/")
    preferences = [q["sql"] for q in captured if "claims_deskpreferences" in q["sql"]]
    assert len(preferences) == 1


# Due date sort ------------------------------------------------------------------------------------


@pytest.fixture
def due_desk(editor, reviewer, other_reviewer):
    """Claims due in 5 days, 2 days ago (overdue), in 1 day twice, and two with no due date."""
    today = timezone.localdate()
    due = {}
    for name, days in (("later", 5), ("overdue", -2), ("soon", 1), ("soon too", 1)):
        claim = make_claim(editor, f"Due {name}")
        services.reviewer_assign(
            actor=editor,
            claim=claim,
            reviewer=reviewer,
            due_on=today + datetime.timedelta(days=5),
        )
        # The service refuses a date in the past; the trigger keeps next_due_on from the row.
        claim.assignments.update(due_on=today + datetime.timedelta(days=days))
        due[name] = claim
    undated = make_claim(editor, "Assigned with no due date")
    services.reviewer_assign(actor=editor, claim=undated, reviewer=other_reviewer)
    due["undated"] = undated
    due["unassigned"] = make_claim(editor, "Nobody reviews this")
    return due


def test_due_sort_puts_the_soonest_first_and_undated_claims_last(client, editor, due_desk):
    d = due_desk
    login(client, editor)
    rows = [row.claim.pk for row in client.get("/claims/?sort=due").context["queue"].rows]
    assert rows == [
        d["overdue"].pk,
        d["soon"].pk,
        d["soon too"].pk,
        d["later"].pk,
        d["undated"].pk,
        d["unassigned"].pk,
    ]
    rows = [row.claim.pk for row in client.get("/claims/?sort=-due").context["queue"].rows]
    assert rows == [
        d["later"].pk,
        d["soon too"].pk,
        d["soon"].pk,
        d["overdue"].pk,
        d["unassigned"].pk,
        d["undated"].pk,
    ]


def test_due_sort_pages_without_losing_or_repeating_a_claim(client, editor, due_desk):
    login(client, editor)
    for sort in ("due", "-due"):
        whole = [r.claim.pk for r in client.get(f"/claims/?sort={sort}").context["queue"].rows]
        paged = [
            r.claim.pk
            for page in (1, 2, 3, 4)
            for r in client.get(f"/claims/?sort={sort}&per_page=10&page={page}")
            .context["queue"]
            .rows
        ][: len(whole)]
        assert paged == whole


def test_due_column_header_sorts_and_says_its_order(client, editor, due_desk):
    login(client, editor)
    content = client.get("/claims/").content.decode()
    assert '<th scope="col"><a href="?sort=due">Due</a></th>' in content
    content = client.get("/claims/?sort=due").content.decode()
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-due">Due</a></th>' in content
    assert "Claims by due date, soonest first" in content
    nav = content.split('class="sort-links"')[1].split("</nav>")[0]
    assert '<a href="?sort=due" aria-current="true">Due soonest</a>' in nav
    content = client.get("/claims/?sort=-due").content.decode()
    assert '<th scope="col" aria-sort="descending"><a href="?sort=due">Due</a></th>' in content


# One control for "who reviews it" ---------------------------------------------------------------


def test_the_reviewer_select_is_the_one_control_for_having_a_reviewer(client, editor, queue_desk):
    content = login(client, editor).get("/claims/").content.decode()
    form = content.split('<aside class="panel filters"')[1].split("</form>")[0]
    assert 'name="assigned"' not in form
    assert "Has a reviewer" not in form
    select = form.split('<select name="reviewer"')[1].split("</select>")[0]
    assert '<option value="" selected>Anyone or no one</option>' in select
    assert '<option value="unassigned">Unassigned</option>' in select
    assert '<option value="assigned">Assigned to anyone</option>' in select


def test_reviewer_assigned_lists_the_claims_with_an_open_assignment(client, editor, queue_desk):
    claims, _ = queue_desk
    response = login(client, editor).get("/claims/?reviewer=assigned")
    assert set(queue_texts(response)) == {claims[k].text for k in ("open", "overdue", "disputed")}
    [chip] = response.context["queue"].chips
    assert (chip["label"], chip["value"], chip["remove_query"]) == (
        "Reviewer",
        "Assigned to anyone",
        "",
    )
    overdue = login(client, editor).get("/claims/?reviewer=assigned&overdue=on")
    assert queue_texts(overdue) == [claims["overdue"].text]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("assigned=yes", "/claims/?reviewer=assigned"),
        ("assigned=no&state=unverified", "/claims/?state=unverified&reviewer=unassigned"),
        ("assigned=yes&reviewer=me", "/claims/?reviewer=me"),
        ("assigned=maybe&q=israel", "/claims/?q=israel"),
        ("assigned=&sort=due", "/claims/?sort=due"),
    ],
)
def test_a_bookmark_with_the_retired_has_a_reviewer_filter_opens_its_replacement(
    client, editor, old, new
):
    response = login(client, editor).get(f"/claims/?{old}")
    assert response.status_code == 302
    assert response["Location"] == new


def test_the_retired_filter_still_selects_the_same_claims_in_exports(client, editor, queue_desk):
    claims, _ = queue_desk
    login(client, editor)
    old = client.get("/claims/export/json/?assigned=no")
    new = client.get("/claims/export/json/?reviewer=unassigned")
    assert b"".join(old.streaming_content) == b"".join(new.streaming_content)
    exported = client.get("/claims/export/csv/?assigned=no")
    text = b"".join(exported.streaming_content).decode()
    assert claims["unassigned"].text in text
    assert claims["open"].text not in text


def test_a_claim_gone_since_the_page_was_shown_is_refused_by_number(
    client, editor, reviewer, queue_desk
):
    claims, _ = queue_desk
    response = bulk_post(
        login(client, editor),
        claim=[ticked(claims["unassigned"]), "999999:3"],
        action="assign",
        reviewer=reviewer.pk,
    )
    assert response.status_code == 302
    result = client.get(response["Location"]).context["bulk_result"]
    assert result.changed_title == "1 claim assigned to Rita Reviewer:"
    assert result.refused == [("The claim no longer exists.", [(999999, "#999999")])]
