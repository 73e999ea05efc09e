"""The editor UI over HTTP: pages, filters, actions, refusals, bad input and conflicts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.audit.actions import AuditAction
from claims.models import Assignment, AuditEvent, Claim, Evidence, ReviewState, Stance
from tests.conftest import add_evidence, change_state
from tests.factories import ClaimFactory, ReviewerFactory, SourceFactory


def login(client, user):
    client.force_login(user)
    return client


def detail_url(claim):
    return reverse("claims:detail", args=[claim.pk])


def make_claim(editor, text="A claim", claimant="Someone", source=None):
    return services.claim_create(
        actor=editor,
        text=text,
        claimant=claimant,
        appearances=[services.AppearanceInput(source or SourceFactory(), "quoted words")],
    )


def queue_texts(response):
    return [row.claim.text for row in response.context["queue"].rows]


# Access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/claims/", "/claims/mine/", "/claims/new/", "/sources/new/"])
def test_pages_require_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_claim_page_requires_login(client, claim):
    assert client.get(detail_url(claim))["Location"].startswith("/login/")


def test_user_without_a_role_gets_403(client, claim):
    from tests.factories import UserFactory

    login(client, UserFactory(username="no_role"))
    response = client.get("/claims/")
    assert response.status_code == 403
    assert "no role on this desk" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["reviewer", "viewer"])
def test_only_editors_create_and_edit(client, claim, request, user_fixture):
    login(client, request.getfixturevalue(user_fixture))
    assert client.get("/claims/new/").status_code == 403
    assert client.get(reverse("claims:edit", args=[claim.pk])).status_code == 403
    response = client.post("/claims/new/", {"text": "x", "claimant": "y"})
    assert response.status_code == 403
    assert Claim.objects.count() == 1


def test_login_and_logout(client, editor):
    editor.set_password("a long pass phrase")
    editor.save()
    response = client.post("/login/", {"username": "edna", "password": "a long pass phrase"})
    assert response.status_code == 302
    assert client.get("/claims/").status_code == 200

    assert client.get("/logout/").status_code == 405  # a GET must not log anyone out
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/claims/")["Location"].startswith("/login/")


def test_wrong_password_keeps_the_username_and_says_so(client, editor):
    response = client.post("/login/", {"username": "edna", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="edna"' in page
    assert "correct username and password" in page


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("editor", {"Claim queue", "My queue", "New claim", "Dashboard"}),
        ("reviewer", {"Claim queue", "My queue"}),
        ("viewer", {"Claim queue", "My queue"}),
    ],
)
def test_header_offers_the_pages_the_user_may_open(client, db, request, role, offered):
    login(client, request.getfixturevalue(role))
    page = client.get("/claims/").content.decode()
    nav = page.split('<nav class="nav"', 1)[1].split("</nav>", 1)[0]
    assert set(re.findall(r">([^<]+)</a>", nav)) == offered


def test_missing_claim_is_404(client, editor):
    login(client, editor)
    assert client.get("/claims/999999/").status_code == 404


# Queue --------------------------------------------------------------------------------------------


@pytest.fixture
def desk(editor, reviewer, other_reviewer):
    """Five claims in known states, with reviewers, due dates and evidence."""
    axios = SourceFactory(title="Axios report")
    post = SourceFactory(title="Evening Post report")
    today = timezone.localdate()
    claims = {
        "open": make_claim(editor, "Israel withdrew the night before", "Donald Trump", post),
        "corroborated": make_claim(editor, "The strike was on 3 January 2020", "Axios", axios),
        "disputed": make_claim(editor, "Israel proposed a larger role", "Israeli official", axios),
        "overdue": make_claim(editor, "Drones fired Hellfire missiles", "Evening Post", post),
        "unassigned": make_claim(editor, "Pence praised Israel's part", "Former official", axios),
    }
    add_evidence(claims["corroborated"], editor, Stance.SUPPORTS)
    services.claim_change_state(
        actor=editor,
        claim=claims["corroborated"],
        expected_version=claims["corroborated"].version,
        state=ReviewState.CORROBORATED,
        rationale="Both reports agree on the date.",
    )
    add_evidence(claims["disputed"], editor, Stance.CONTRADICTS)
    services.claim_change_state(
        actor=editor,
        claim=claims["disputed"],
        expected_version=claims["disputed"].version,
        state=ReviewState.DISPUTED,
        rationale="The other report says the opposite.",
    )
    for key, who, due in (
        ("open", reviewer, today + datetime.timedelta(days=3)),
        ("overdue", reviewer, today - datetime.timedelta(days=2)),
        ("disputed", other_reviewer, None),
    ):
        claim = Claim.objects.get(pk=claims[key].pk)
        services.reviewer_assign(
            actor=editor, claim=claim, expected_version=claim.version, reviewer=who, due_on=due
        )
    return {key: Claim.objects.get(pk=c.pk) for key, c in claims.items()}, axios


def test_queue_lists_every_claim_with_counts_per_state(client, editor, desk):
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
def test_queue_filters(client, reviewer, desk, query, expected):
    claims, _ = desk
    response = login(client, reviewer).get(f"/claims/?{query}")
    assert set(queue_texts(response)) == {claims[key].text for key in expected}


def test_queue_filters_by_reviewer_id_and_source(client, editor, other_reviewer, desk):
    claims, axios = desk
    login(client, editor)
    response = client.get(f"/claims/?reviewer={other_reviewer.pk}")
    assert queue_texts(response) == [claims["disputed"].text]
    response = client.get(f"/claims/?source={axios.pk}")
    assert set(queue_texts(response)) == {
        claims[k].text for k in ("corroborated", "disputed", "unassigned")
    }


def test_queue_filters_by_date_ranges(client, editor, desk):
    claims, _ = desk
    old = claims["unassigned"]
    long_ago = timezone.now() - datetime.timedelta(days=40)
    Claim.objects.filter(pk=old.pk).update(created_at=long_ago, updated_at=long_ago)
    cutoff = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    login(client, editor)
    assert old.text not in queue_texts(client.get(f"/claims/?created_from={cutoff}"))
    assert queue_texts(client.get(f"/claims/?created_to={cutoff}")) == [old.text]
    assert queue_texts(client.get(f"/claims/?updated_to={cutoff}")) == [old.text]
    assert old.text not in queue_texts(client.get(f"/claims/?updated_from={cutoff}"))


def test_state_tabs_count_under_the_other_filters(client, reviewer, desk):
    response = login(client, reviewer).get("/claims/?reviewer=me&state=unverified")
    queue = response.context["queue"]
    assert queue.state_counts == {"unverified": 2, "corroborated": 0, "disputed": 0}
    assert queue.total == 2


def test_queue_sorts_and_paginates(client, editor, desk):
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
def test_every_sort_orders_the_rows_by_its_column(client, editor, desk, sort):
    claims, _ = desk
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
        expected_version=claim.version,
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


def test_queue_row_shows_reviewers_due_date_and_overdue_mark(client, editor, desk):
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
def test_odd_queue_parameters_never_fail(client, editor, desk, query):
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
    client, editor, desk, settings, zone, query
):
    settings.TIME_ZONE = zone
    response = login(client, editor).get(f"/claims/?{query}")
    assert response.status_code == 200
    assert response.context["queue"].total == 5


def test_an_invalid_filter_beside_a_state_keeps_the_state(client, editor, desk):
    claims, _ = desk
    response = login(client, editor).get("/claims/?state=corroborated&created_from=notadate")
    queue = response.context["queue"]
    assert queue_texts(response) == [claims["corroborated"].text]
    assert queue.total == 1
    assert queue.selected_state == "corroborated"
    assert "1–1 of 1" in response.content.decode()


def test_overdue_with_a_reviewer_is_that_reviewers_overdue_work(client, editor, reviewer, desk):
    claims, _ = desk
    late = claims["overdue"]  # Rita's assignment is two days late
    other = ReviewerFactory(username="olga")
    services.reviewer_assign(
        actor=editor,
        claim=late,
        expected_version=late.version,
        reviewer=other,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    login(client, editor)
    assert queue_texts(client.get(f"/claims/?reviewer={reviewer.pk}&overdue=on")) == [late.text]
    assert queue_texts(client.get(f"/claims/?reviewer={other.pk}&overdue=on")) == []
    assert queue_texts(client.get("/claims/?overdue=on")) == [late.text]


def test_queue_query_count_is_the_same_for_any_page_size_and_filters(
    client, reviewer, desk, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, axios = desk
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


def test_queue_htmx_request_gets_only_the_results(client, editor, desk):
    response = login(client, editor).get(
        "/claims/?state=disputed", headers={"HX-Request": "true", "HX-Target": "queue-results"}
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="queue-results"')
    assert "<html" not in content


def test_my_queue_lists_open_assignments_soonest_first(client, reviewer, desk):
    claims, _ = desk
    response = login(client, reviewer).get("/claims/mine/")
    assert [a.claim.text for a in response.context["assignments"]] == [
        claims["overdue"].text,
        claims["open"].text,
    ]


# Claim page ---------------------------------------------------------------------------------------


def test_claim_page_shows_everything(client, editor, desk):
    claims, _ = desk
    claim = claims["disputed"]
    response = login(client, editor).get(detail_url(claim))
    content = response.content.decode()
    assert response.status_code == 200
    assert claim.text in content
    assert "The other report says the opposite." in content
    assert "quoted words" in content
    assert "Contradicting evidence" in content
    assert "Omar Other" in content
    assert "changed the state from Unverified to Disputed" in content


def test_claim_page_query_count_does_not_grow_with_evidence(
    client, editor, claim, django_assert_max_num_queries
):
    login(client, editor)
    for number in range(8):
        add_evidence(claim, editor, Stance.SUPPORTS, url=f"https://a.example/{number}")
    with django_assert_max_num_queries(14):
        assert client.get(detail_url(claim)).status_code == 200


def test_viewer_sees_no_action_forms(client, viewer, assigned_claim, editor):
    add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    content = login(client, viewer).get(detail_url(assigned_claim)).content.decode()
    for absent in (
        "Add supporting link",
        "Change state",
        "Assign a reviewer",
        "Retract",
        "Edit claim",
        "Mark done",
        "Withdraw",
    ):
        assert absent not in content


def test_unassigned_reviewer_sees_no_action_forms(client, reviewer, claim):
    content = login(client, reviewer).get(detail_url(claim)).content.decode()
    assert "Add supporting link" not in content
    assert "Change state" not in content


def test_assigned_reviewer_sees_review_forms_but_not_editor_ones(client, reviewer, assigned_claim):
    content = login(client, reviewer).get(detail_url(assigned_claim)).content.decode()
    assert "Add supporting link" in content
    assert "Add contradicting link" in content
    assert "Mark done" in content
    assert "Assign a reviewer" not in content
    assert "Withdraw" not in content
    assert "Edit claim" not in content


def test_state_form_offers_only_the_moves_allowed_now(client, editor, claim):
    login(client, editor)
    form = client.get(detail_url(claim)).context["forms"]["state"]
    assert form.fields["state"].widget.choices == []
    add_evidence(claim, editor, Stance.CONTRADICTS)
    form = client.get(detail_url(claim)).context["forms"]["state"]
    assert [value for value, _ in form.fields["state"].widget.choices] == [ReviewState.DISPUTED]


def test_user_input_is_escaped_everywhere(client, editor):
    source = SourceFactory(title="<b>Source</b>")
    claim = make_claim(
        editor, "<script>alert('x')</script>", "<img src=x onerror=alert(1)>", source
    )
    add_evidence(claim, editor, Stance.SUPPORTS, title="<i>t</i>", excerpt="<script>e</script>")
    login(client, editor)
    for url in ("/claims/", detail_url(claim)):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content
        assert "<img src=x" not in content
        assert "&lt;script&gt;" in content


# Actions ------------------------------------------------------------------------------------------


def evidence_data(claim, stance="supports", **fields):
    data = {
        "url": "https://news.example/report",
        "title": "Report",
        "publisher": "Example",
        "excerpt": "a line",
        "note": "",
        "stance": stance,
        "expected_version": claim.version,
    }
    data.update(fields)
    return {f"{stance}-{key}": value for key, value in data.items()}


def test_reviewer_adds_evidence_and_is_redirected(client, reviewer, assigned_claim):
    response = login(client, reviewer).post(
        reverse("claims:evidence_add", args=[assigned_claim.pk, "supports"]),
        evidence_data(assigned_claim),
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#evidence-supports")
    evidence = Evidence.objects.get(claim=assigned_claim)
    assert evidence.added_by == reviewer
    assert AuditEvent.objects.filter(claim_id=assigned_claim.pk).last().action == (
        AuditAction.EVIDENCE_ADDED
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example/x", "data:text/html,x"]
)
def test_non_http_evidence_is_refused_at_the_field_keeping_input(client, editor, claim, url):
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, url=url, title="My careful title"),
    )
    assert response.status_code == 422
    form = response.context["forms"]["support"]
    assert "url" in form.errors
    assert "http://" in form.errors["url"][0]
    assert "My careful title" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://evil.example\\@news.example/1", "backslash"),
        ("https://news.example@evil.example/", "user name and password"),
        ("https://a.example/?q=" + "ü" * 400, "too long once written out"),
    ],
)
def test_misleading_or_overlong_evidence_is_refused_at_the_field_keeping_input(
    client, editor, claim, url, message
):
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, url=url, title="My careful title"),
    )
    assert response.status_code == 422
    assert message in response.context["forms"]["support"].errors["url"][0]
    assert "My careful title" in response.content.decode()
    assert not Evidence.objects.exists()


def test_duplicate_evidence_is_refused_at_the_url_field(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS, url="https://news.example/report")
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, url="https://NEWS.example/report/"),
    )
    assert response.status_code == 422
    assert "already supporting evidence" in response.context["forms"]["support"].errors["url"][0]


def test_unknown_stance_is_404(client, editor, claim):
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "neutral"]), {}
    )
    assert response.status_code == 404


def test_stale_evidence_form_is_a_conflict_that_keeps_the_input(client, editor, claim):
    stale = claim.version
    add_evidence(claim, editor, Stance.CONTRADICTS)  # someone else's change
    response = login(client, editor).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]),
        evidence_data(claim, expected_version=stale, title="Typed before the change"),
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this claim" in content
    assert "Typed before the change" in content
    form = response.context["forms"]["support"]
    assert form.data["supports-expected_version"] == str(claim.version)
    assert not Evidence.objects.filter(stance=Stance.SUPPORTS).exists()


def test_reviewer_cannot_post_to_a_claim_not_assigned_to_them(client, reviewer, claim):
    response = login(client, reviewer).post(
        reverse("claims:evidence_add", args=[claim.pk, "supports"]), evidence_data(claim)
    )
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_viewer_posts_are_refused_everywhere(client, viewer, assigned_claim, editor):
    link = add_evidence(assigned_claim, editor, Stance.SUPPORTS)
    assignment = Assignment.objects.get(claim=assigned_claim)
    pk = assigned_claim.pk
    login(client, viewer)
    for url in (
        reverse("claims:evidence_add", args=[pk, "supports"]),
        reverse("claims:evidence_retract", args=[pk, link.pk]),
        reverse("claims:assign", args=[pk]),
        reverse("claims:assignment_complete", args=[pk, assignment.pk]),
        reverse("claims:assignment_withdraw", args=[pk, assignment.pk]),
        reverse("claims:state_change", args=[pk]),
        reverse("claims:edit", args=[pk]),
    ):
        assert client.post(url, {}).status_code == 403, url
    assert AuditEvent.objects.filter(claim_id=pk).count() == assigned_claim.audit_length


def test_state_change_with_rationale(client, reviewer, assigned_claim):
    add_evidence(assigned_claim, reviewer, Stance.SUPPORTS)
    response = login(client, reviewer).post(
        reverse("claims:state_change", args=[assigned_claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "Matches the record.",
            "state-expected_version": assigned_claim.version,
        },
    )
    assert response.status_code == 302
    assigned_claim.refresh_from_db()
    assert assigned_claim.state == ReviewState.CORROBORATED
    page = client.get(detail_url(assigned_claim)).content.decode()
    assert "changed the state from Unverified to Corroborated" in page


def test_state_change_without_rationale_keeps_the_choice(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS)
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "  ",
            "state-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    form = response.context["forms"]["state"]
    assert "rationale" in form.errors
    assert form["state"].value() == "corroborated"


def test_state_change_to_a_move_not_offered_is_refused(client, editor, claim):
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "Sure.",
            "state-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    claim.refresh_from_db()
    assert claim.state == ReviewState.UNVERIFIED


def test_stale_state_change_shows_the_current_state_and_keeps_the_rationale(client, editor, claim):
    add_evidence(claim, editor, Stance.SUPPORTS)
    add_evidence(claim, editor, Stance.CONTRADICTS)
    seen = claim.version
    services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=seen,
        state=ReviewState.DISPUTED,
        rationale="Another editor's view.",
    )
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "My own careful rationale.",
            "state-expected_version": seen,
        },
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "It is now <strong>Disputed</strong>" in content
    assert "My own careful rationale." in content
    claim.refresh_from_db()
    assert claim.state == ReviewState.DISPUTED


def test_stale_move_to_a_state_no_longer_offered_is_a_conflict_not_a_bad_choice(
    client, editor, claim
):
    """Someone else reached the verdict this user was about to give: the move the page offered
    (unverified to corroborated) is gone from the form's choices, yet the user must see the
    conflict with their rationale kept, not "Select a valid choice"."""
    add_evidence(claim, editor, Stance.SUPPORTS)
    seen = Claim.objects.get(pk=claim.pk).version
    change_state(Claim.objects.get(pk=claim.pk), editor, ReviewState.CORROBORATED)
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",
            "state-rationale": "Typed while the other editor moved it.",
            "state-expected_version": seen,
        },
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this claim" in content
    assert "Typed while the other editor moved it." in content
    assert "Select a valid choice" not in content


def test_a_move_the_workflow_forbids_is_refused_at_the_field(client, editor, claim):
    response = login(client, editor).post(
        reverse("claims:state_change", args=[claim.pk]),
        {
            "state-state": "corroborated",  # no supporting link yet
            "state-rationale": "Too early.",
            "state-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    assert response.context["forms"]["state"].errors["state"] == [
        "Corroborated needs at least one standing supporting evidence link."
    ]
    assert "Too early." in response.content.decode()


def test_retract_needs_a_reason_and_last_link_refusal_is_shown(client, editor, claim):
    link = add_evidence(claim, editor, Stance.SUPPORTS)
    claim = services.claim_change_state(
        actor=editor,
        claim=claim,
        expected_version=claim.version,
        state=ReviewState.CORROBORATED,
        rationale="ok",
    )
    url = reverse("claims:evidence_retract", args=[claim.pk, link.pk])
    login(client, editor)
    response = client.post(
        url, {f"retract-{link.pk}-reason": "", f"retract-{link.pk}-expected_version": claim.version}
    )
    assert response.status_code == 422
    response = client.post(
        url,
        {
            f"retract-{link.pk}-reason": "Page was changed",
            f"retract-{link.pk}-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    assert "Move the claim&#x27;s state first" in response.content.decode()
    link.refresh_from_db()
    assert link.is_standing


def test_reviewer_retracts_own_link(client, reviewer, assigned_claim):
    link = add_evidence(assigned_claim, reviewer, Stance.SUPPORTS)
    response = login(client, reviewer).post(
        reverse("claims:evidence_retract", args=[assigned_claim.pk, link.pk]),
        {
            f"retract-{link.pk}-reason": "Wrong page",
            f"retract-{link.pk}-expected_version": assigned_claim.version,
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.retraction_reason == "Wrong page"


def test_editor_assigns_and_withdraws_reviewer_completes(client, editor, reviewer, claim):
    login(client, editor)
    response = client.post(
        reverse("claims:assign", args=[claim.pk]),
        {
            "assign-reviewer": reviewer.pk,
            "assign-due_on": "2026-12-24",
            "assign-expected_version": claim.version,
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(claim=claim)
    assert assignment.due_on == datetime.date(2026, 12, 24)
    claim.refresh_from_db()
    response = client.post(
        reverse("claims:assign", args=[claim.pk]),
        {"assign-reviewer": reviewer.pk, "assign-expected_version": claim.version},
    )
    assert response.status_code == 422
    assert "already has an open assignment" in response.content.decode()

    login(client, reviewer)
    response = client.post(
        reverse("claims:assignment_complete", args=[claim.pk, assignment.pk]),
        {f"close-{assignment.pk}-expected_version": claim.version},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "done"


def test_editor_withdraws_a_reviewer_with_a_note(client, editor, assigned_claim):
    assignment = Assignment.objects.get(claim=assigned_claim)
    response = login(client, editor).post(
        reverse("claims:assignment_withdraw", args=[assigned_claim.pk, assignment.pk]),
        {
            f"close-{assignment.pk}-expected_version": assigned_claim.version,
            f"close-{assignment.pk}-note": "Rita is on leave.",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == "withdrawn"
    assert assignment.close_reason == "Rita is on leave."
    event = AuditEvent.objects.filter(claim_id=assigned_claim.pk).latest("sequence")
    assert event.action == AuditAction.REVIEWER_WITHDRAWN
    page = client.get(detail_url(assigned_claim)).content.decode()
    assert "withdrew Rita Reviewer" in page


def test_assign_refuses_a_viewer_as_reviewer(client, editor, viewer, claim):
    response = login(client, editor).post(
        reverse("claims:assign", args=[claim.pk]),
        {"assign-reviewer": viewer.pk, "assign-expected_version": claim.version},
    )
    assert response.status_code == 422
    assert not Assignment.objects.exists()


def test_a_due_date_already_past_is_refused_at_the_field_keeping_the_choice(
    client, editor, reviewer, claim
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = login(client, editor).post(
        reverse("claims:assign", args=[claim.pk]),
        {
            "assign-reviewer": reviewer.pk,
            "assign-due_on": yesterday.isoformat(),
            "assign-expected_version": claim.version,
        },
    )
    assert response.status_code == 422
    form = response.context["forms"]["assign"]
    assert form.errors["due_on"] == [f"The due date {yesterday.isoformat()} has already passed."]
    assert form["reviewer"].value() == str(reviewer.pk)
    assert not Assignment.objects.exists()


# Create and edit ----------------------------------------------------------------------------------


def claim_post(source, **fields):
    data = {
        "text": "The drone strike happened near Baghdad airport.",
        "claimant": "Evening Post",
        "claimed_on": "2023-10-11",
        "appearances-TOTAL_FORMS": "1",
        "appearances-INITIAL_FORMS": "0",
        "appearances-MIN_NUM_FORMS": "0",
        "appearances-MAX_NUM_FORMS": "20",
        "appearances-0-source": source.pk if source else "",
        "appearances-0-quote": "killed near the airport",
    }
    data.update(fields)
    return data


def test_editor_creates_a_claim(client, editor, source):
    response = login(client, editor).post("/claims/new/", claim_post(source))
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(claim)
    assert claim.appearances.get().quote == "killed near the airport"
    assert AuditEvent.objects.get(claim_id=claim.pk).action == AuditAction.CLAIM_CREATED


def test_create_without_a_source_keeps_what_was_typed(client, editor, source):
    response = login(client, editor).post("/claims/new/", claim_post(None))
    assert response.status_code == 422
    assert "The drone strike happened near Baghdad airport." in response.content.decode()
    assert not Claim.objects.exists()


def test_create_with_bad_date_shows_the_error_at_the_field(client, editor, source):
    response = login(client, editor).post(
        "/claims/new/", claim_post(source, claimed_on="2023-13-45")
    )
    assert response.status_code == 422
    assert "claimed_on" in response.context["form"].errors


def test_edit_claim_and_conflict_on_stale_version(client, editor, claim, source):
    url = reverse("claims:edit", args=[claim.pk])
    login(client, editor)
    data = claim_post(
        source, text="A sharper wording", claimant=claim.claimant, expected_version=claim.version
    )
    data.update({"appearances-INITIAL_FORMS": "1"})
    assert client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.text == "A sharper wording"

    data["text"] = "Typed on a stale page"  # expected_version is now one behind
    response = client.post(url, data)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this claim" in content
    assert "Typed on a stale page" in content
    claim.refresh_from_db()
    assert claim.text == "A sharper wording"


def test_new_source_then_back_to_the_claim_form(client, editor):
    login(client, editor)
    response = client.post(
        "/sources/new/",
        {"title": "Evening bulletin", "url": "https://tv.example/bulletin", "next": "/claims/new/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/claims/new/"
    response = client.post(
        "/sources/new/",
        {"title": "Bad", "url": "javascript:alert(1)", "next": "https://evil.example/"},
    )
    assert response.status_code == 422
    assert "url" in response.context["form"].errors


def test_new_source_does_not_redirect_off_site(client, editor):
    response = login(client, editor).post(
        "/sources/new/", {"title": "Evening bulletin", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/claims/new/"


def test_reviewer_factory_users_are_offered_as_reviewers(client, editor, claim):
    ReviewerFactory(username="zoe", first_name="Zoe", last_name="Zed")
    content = login(client, editor).get(detail_url(claim)).content.decode()
    assert "Zoe Zed" in content


def test_create_with_a_new_source_described_inline(client, editor):
    data = claim_post(
        None,
        **{
            "appearances-0-new_source_title": "Mar-a-Lago remarks",
            "appearances-0-new_source_url": "https://news.example/mar-a-lago",
            "appearances-0-new_source_outlet": "Example Post",
        },
    )
    response = login(client, editor).post("/claims/new/", data)
    assert response.status_code == 302
    appearance = Claim.objects.get().appearances.select_related("source").get()
    assert appearance.source.title == "Mar-a-Lago remarks"
    assert appearance.source.outlet == "Example Post"
    event = AuditEvent.objects.get(claim_id=appearance.claim_id)
    assert event.data["new"]["appearances"][0]["source_id"] == appearance.source_id


def test_new_source_with_a_bad_address_keeps_everything_typed(client, editor):
    data = claim_post(
        None,
        **{
            "appearances-0-new_source_title": "Mar-a-Lago remarks",
            "appearances-0-new_source_url": "javascript:alert(1)",
        },
    )
    response = login(client, editor).post("/claims/new/", data)
    assert response.status_code == 422
    content = response.content.decode()
    assert "Mar-a-Lago remarks" in content
    assert "The drone strike happened near Baghdad airport." in content
    assert not Claim.objects.exists()
    from claims.models import Source

    assert not Source.objects.exists()
