"""The desk dashboard: every figure and chart against values worked out by hand, the queue links
behind them, who may see it, what it escapes, and its fixed number of queries."""

import datetime
import html
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from claims.audit.actions import AuditAction
from claims.audit.chain import build_event
from claims.audit.sentences import describe
from claims.models import AssignmentStatus, AuditEvent, ReviewState
from claims.selectors import dashboard as dashboard_module
from claims.selectors.dashboard import describe_duration, desk_dashboard
from claims.selectors.queue import claim_queue
from claims.web.charts import bar_chart, column_chart, nice_ticks
from tests.factories import AssignmentFactory, ClaimFactory, UserFactory, ViewerFactory

# A Wednesday; its week starts on Monday 16 November. The desk's time zone is UTC.
TODAY = datetime.date(2026, 11, 18)
MONDAY = datetime.date(2026, 11, 16)


def at(days: int, hour: int = 10) -> datetime.datetime:
    """``days`` from TODAY at ``hour`` o'clock, in the desk's time zone."""
    day = TODAY + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def frozen_today(db, monkeypatch):
    """TODAY for everything that asks for the local date (the dashboard and the queue filters)."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return real(value, timezone) if value is not None else TODAY

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def claim(state=ReviewState.UNVERIFIED, *, created, updated=None, verdict=None, text=None):
    fields = {
        "state": state,
        "created_at": created,
        "updated_at": updated or created,
        "first_verdict_at": verdict,
        "supporting_count": 1 if state == ReviewState.CORROBORATED else 0,
        "contradicting_count": 1 if state == ReviewState.DISPUTED else 0,
    }
    if text:
        fields["text"] = text
    return ClaimFactory(**fields)


@pytest.fixture
def dashboard_desk(frozen_today, reviewer, other_reviewer):
    """Eight claims and seven assignments; the expected figures are worked out in each test.

    claim  state         created       updated   first verdict     age  (weeks start on Monday)
    c1     unverified    Tue 17 Nov    = created  -                  1
    c2     unverified    Sun  8 Nov    = created  -                 10
    c3     unverified    Fri  9 Oct    -30 days   -                 40   idle
    c4     unverified    -200 days     -15 days   -                200   idle
    c5     corroborated  Sun 15 Nov    -1 day     Tue 17 Nov (2 d)
    c6     disputed      Mon  9 Nov    = verdict  Tue 10 Nov (1 d)
    c7     corroborated  -100 days     = verdict  -90 days (10 d)
    c8     unverified    Fri 13 Nov    -1 day     Tue 17 Nov (4 d)   5   (verdict, then reopened)
    """
    c = {}
    c[1] = claim(created=at(-1))
    c[2] = claim(created=at(-10))
    c[3] = claim(created=at(-40), updated=at(-30))
    c[4] = claim(created=at(-200), updated=at(-15))
    c[5] = claim(ReviewState.CORROBORATED, created=at(-3), updated=at(-1), verdict=at(-1))
    c[6] = claim(ReviewState.DISPUTED, created=at(-9), verdict=at(-8))
    c[7] = claim(ReviewState.CORROBORATED, created=at(-100), verdict=at(-90))
    c[8] = claim(created=at(-5), updated=at(-1), verdict=at(-1))
    rita, omar = reviewer, other_reviewer
    day = datetime.timedelta(days=1)
    for target, who, status, due in [
        (c[1], rita, AssignmentStatus.OPEN, TODAY - 2 * day),  # overdue
        (c[2], rita, AssignmentStatus.OPEN, TODAY + 3 * day),
        (c[3], omar, AssignmentStatus.OPEN, TODAY - 5 * day),  # overdue
        (c[1], omar, AssignmentStatus.OPEN, None),
        (c[4], rita, AssignmentStatus.DONE, TODAY - 10 * day),
        (c[5], omar, AssignmentStatus.WITHDRAWN, TODAY - 10 * day),
        (c[6], rita, AssignmentStatus.OPEN, TODAY - day),  # overdue
    ]:
        AssignmentFactory(claim=target, reviewer=who, status=status, due_on=due)
    return c


def figures(board) -> dict:
    return {figure.label: figure for figure in board.figures}


def queue_total(user, url: str) -> int:
    """How many claims the queue lists at ``url``."""
    path, _sep, query = url.partition("?")
    assert path == reverse("claims:list")
    return claim_queue(user=user, params=QueryDict(query)).total


# Figures --------------------------------------------------------------------------------------


def test_figures_match_the_hand_counted_desk(dashboard_desk):
    shown = figures(desk_dashboard())
    values = {label: (figure.value, figure.detail) for label, figure in shown.items()}
    assert values == {
        "Unverified": ("5", "62% of 8 claims"),  # c1 c2 c3 c4 c8
        "Corroborated": ("2", "25% of 8 claims"),  # c5 c7
        "Disputed": ("1", "12% of 8 claims"),  # c6
        "Open assignments": ("5", "on 4 claims"),  # c1 twice, c2, c3, c6
        "Overdue assignments": ("3", "on 3 claims"),  # c1 (Rita), c3 (Omar), c6 (Rita)
        "Claims with no reviewer": ("2", "unverified, no open assignment"),  # c4 c8
        # Delays 1, 2, 4 and 10 days: the middle two average 3 days.
        "Median time to first verdict": ("3\xa0days", "over 4 claims with a verdict"),
        "Verdicts this week": ("2", "first verdicts since Monday 16 Nov"),  # c5, c8
    }
    assert shown["Overdue assignments"].tone == "alert"


def test_median_of_an_odd_number_of_verdicts_is_the_middle_one(dashboard_desk):
    claim(ReviewState.DISPUTED, created=at(-30), verdict=at(-30, hour=16))  # 6 hours
    # 6 h, 1 d, 2 d, 4 d, 10 d
    assert desk_dashboard().median_delay == datetime.timedelta(days=2)


def test_median_is_empty_without_verdicts(frozen_today):
    claim(created=at(-1))
    board = desk_dashboard()
    assert board.median_delay is None
    assert figures(board)["Median time to first verdict"].value == "–"


@pytest.mark.parametrize(
    ("delay", "words"),
    [
        (datetime.timedelta(days=3), "3 days"),
        (datetime.timedelta(days=1, hours=4, minutes=10), "1 day, 4 hours"),
        (datetime.timedelta(hours=5, minutes=20), "5 hours, 20 minutes"),
        (datetime.timedelta(minutes=12, seconds=40), "12 minutes"),
    ],
)
def test_durations_read_in_two_units(delay, words):
    """Django's own timesince words them (with no-break spaces inside each unit)."""
    assert describe_duration(delay).replace("\xa0", " ") == words


def test_every_figure_links_to_the_queue_on_its_claims(dashboard_desk, editor):
    shown = figures(desk_dashboard())
    expected_claims = {
        "Unverified": 5,
        "Corroborated": 2,
        "Disputed": 1,
        "Open assignments": 4,
        "Overdue assignments": 3,
        "Claims with no reviewer": 2,
        "Median time to first verdict": 4,
        "Verdicts this week": 2,
    }
    assert {
        label: queue_total(editor, figure.url) for label, figure in shown.items()
    } == expected_claims


def test_every_dashboard_link_opens_the_queue_as_it_stands(client, editor, dashboard_desk):
    """No figure or bar links to a retired parameter (which would only redirect)."""
    client.force_login(editor)
    page = client.get("/dashboard/").content.decode()
    links = {html.unescape(link) for link in re.findall(r'href="(/claims/\?[^"]*)"', page)}
    assert "/claims/?reviewer=assigned" in links  # "Open assignments"
    assert "/claims/?state=unverified&reviewer=unassigned" in links  # "Claims with no reviewer"
    for link in links:
        assert client.get(link).status_code == 200, link


# Charts ---------------------------------------------------------------------------------------


def test_weekly_chart_counts_claims_and_first_verdicts_per_week(dashboard_desk, editor):
    weekly = desk_dashboard().weekly
    assert len(weekly.bars) == 12
    assert weekly.bars[0].label == "31 Aug"  # eleven weeks before Monday 16 November
    assert weekly.bars[-1].label == "16 Nov"
    values = {bar.label: bar.values for bar in weekly.bars if any(bar.values)}
    assert values == {
        "5 Oct": [1, 0],  # c3 created Fri 9 Oct
        "2 Nov": [1, 0],  # c2 created Sun 8 Nov
        "9 Nov": [3, 1],  # c6, c8, c5 created; c6's verdict
        "16 Nov": [1, 2],  # c1 created; c5's and c8's verdicts
    }
    for bar in weekly.bars:
        assert [queue_total(editor, url) for url in bar.urls] == bar.values


def test_state_chart_and_age_chart(dashboard_desk, editor):
    board = desk_dashboard()
    assert [(bar.label, bar.values) for bar in board.states.bars] == [
        ("Unverified", [5]),
        ("Corroborated", [2]),
        ("Disputed", [1]),
    ]
    assert [(bar.label, bar.values) for bar in board.ages.bars] == [
        ("Under 1 week", [2]),  # c1 (1 day), c8 (5 days)
        ("1–4 weeks", [1]),  # c2 (10 days)
        ("1–3 months", [1]),  # c3 (40 days)
        ("3–6 months", [0]),
        ("Over 6 months", [1]),  # c4 (200 days)
    ]
    for bar in board.states.bars + board.ages.bars:
        assert queue_total(editor, bar.urls[0]) == bar.values[0]


def test_age_buckets_meet_at_day_boundaries(frozen_today, editor):
    claim(created=at(-6, hour=0))  # six days old: under a week
    claim(created=at(-7, hour=23))  # seven days old: the next bucket
    ages = desk_dashboard().ages.bars
    assert [bar.values[0] for bar in ages[:2]] == [1, 1]
    assert [queue_total(editor, bar.urls[0]) for bar in ages[:2]] == [1, 1]


def test_workload_chart_counts_open_and_overdue_per_reviewer(dashboard_desk, editor, reviewer):
    workload = desk_dashboard().workload
    # Rita: c1 (overdue), c2, c6 (overdue); Omar: c3 (overdue), c1. Most overdue first.
    assert [(bar.label, bar.values) for bar in workload.bars] == [
        ("Rita Reviewer", [3, 2]),
        ("Omar Other", [2, 1]),
    ]
    rita = workload.bars[0]
    assert rita.urls[0] == f"/claims/?reviewer={reviewer.pk}"
    # Omar's overdue link must not list c1, which is overdue on Rita's side only.
    for bar in workload.bars:
        assert [queue_total(editor, url) for url in bar.urls] == bar.values, bar.label


def test_workload_of_a_deactivated_reviewer_links_to_their_claims(dashboard_desk, editor, reviewer):
    reviewer.is_active = False
    reviewer.save()
    rita = desk_dashboard().workload.bars[0]
    assert (rita.label, rita.values) == ("Rita Reviewer", [3, 2])
    assert [queue_total(editor, url) for url in rita.urls] == [3, 2]
    # The queue's reviewer select names her, so the page says whose claims these are.
    form = claim_queue(user=editor, params=QueryDict(f"reviewer={reviewer.pk}")).filterset.form
    assert f'<option value="{reviewer.pk}" selected>Rita Reviewer (inactive)</option>' in str(
        form["reviewer"]
    )


# Stalled work and activity -------------------------------------------------------------------


def test_overdue_assignments_longest_overdue_first(dashboard_desk, editor):
    board = desk_dashboard()
    assert board.overdue_total == 3
    assert [(row.claim_id, row.detail, row.since) for row in board.overdue] == [
        (dashboard_desk[3].pk, "Omar Other, 5 days late", TODAY - datetime.timedelta(days=5)),
        (dashboard_desk[1].pk, "Rita Reviewer, 2 days late", TODAY - datetime.timedelta(days=2)),
        (dashboard_desk[6].pk, "Rita Reviewer, 1 day late", TODAY - datetime.timedelta(days=1)),
    ]
    assert board.overdue[0].url == f"/claims/{dashboard_desk[3].pk}/"


def test_idle_claims_are_unverified_and_unchanged_for_the_configured_days(
    dashboard_desk, editor, settings
):
    board = desk_dashboard()
    assert board.idle_days == 14
    assert [(row.claim_id, row.detail) for row in board.idle] == [
        (dashboard_desk[3].pk, "no change for 30 days"),
        (dashboard_desk[4].pk, "no change for 15 days"),
    ]
    assert board.idle_total == 2 == queue_total(editor, board.idle_url)

    settings.FACTCHECK_IDLE_DAYS = 16
    board = desk_dashboard()
    assert [row.claim_id for row in board.idle] == [dashboard_desk[3].pk]
    assert board.idle_total == 1 == queue_total(editor, board.idle_url)


def _event(target, minutes: int, actor_name="Edna Editor") -> AuditEvent:
    event = build_event(
        target,
        actor=None,
        action=AuditAction.CLAIM_EDITED,
        data={"new": {"text": f"version {minutes}"}},
        at=at(0, hour=0) + datetime.timedelta(minutes=minutes),
    )
    event.actor_name = actor_name
    event.save(force_insert=True)
    return event


def test_recent_activity_is_the_last_twenty_events_desk_wide_in_sentences(frozen_today):
    first, second = claim(created=at(-2)), claim(created=at(-2))
    events = [_event(first if n % 2 else second, minutes=n) for n in range(25)]
    activity = desk_dashboard().activity
    newest = events[::-1][:20]
    assert [entry.sentence for entry in activity] == [describe(event) for event in newest]
    assert activity[0].sentence == "Edna Editor edited the claim (text)."
    assert [entry.claim_id for entry in activity[:2]] == [second.pk, first.pk]
    assert activity[0].url == f"/claims/{second.pk}/"


# The page ------------------------------------------------------------------------------------


def test_editor_sees_the_dashboard(client, editor, dashboard_desk):
    client.force_login(editor)
    response = client.get(reverse("claims:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Desk dashboard" in page
    assert page.count('<svg class="chart"') == 4
    assert 'href="/dashboard/" aria-current="page">Dashboard</a>' in page
    assert f'href="/claims/{dashboard_desk[3].pk}/"' in page


def test_staff_who_read_the_desk_see_the_dashboard_and_its_claims(client, dashboard_desk):
    staff = ViewerFactory(username="stella", is_staff=True)
    client.force_login(staff)
    page = client.get(reverse("claims:dashboard"))
    assert page.status_code == 200
    figure_url = figures(page.context["board"])["Overdue assignments"].url
    assert client.get(figure_url).status_code == 200
    assert 'href="/dashboard/"' in client.get(reverse("claims:list")).content.decode()


@pytest.mark.parametrize("is_staff", [False, True])
def test_users_with_no_role_on_the_desk_are_refused(client, db, is_staff):
    client.force_login(UserFactory(username="nobody", is_staff=is_staff))
    assert client.get(reverse("claims:dashboard")).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "viewer"])
def test_reviewers_and_viewers_are_refused(client, db, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("claims:dashboard"))
    assert response.status_code == 403
    assert "The dashboard is for editors and staff." in response.content.decode()
    # Nor is it offered to them.
    assert 'href="/dashboard/"' not in client.get(reverse("claims:list")).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(reverse("claims:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_dashboard_escapes_claim_text_and_names(client, editor, frozen_today):
    hostile = "<script>alert(1)</script>"
    target = claim(created=at(-40), updated=at(-30), text=hostile)
    person = UserFactory(username="x", first_name="<b>Bold", last_name="</svg>")
    AssignmentFactory(claim=target, reviewer=person, due_on=TODAY - datetime.timedelta(days=1))
    _event(target, minutes=1, actor_name=hostile)
    client.force_login(editor)
    page = client.get(reverse("claims:dashboard")).content.decode()
    assert hostile not in page
    assert "<b>Bold" not in page
    assert "&lt;b&gt;Bold &lt;/svg&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_dashboard_reads_in_seven_queries_however_big_the_desk(
    dashboard_desk, django_assert_num_queries, reviewer
):
    with django_assert_num_queries(7):
        desk_dashboard()
    for n in range(30):
        target = claim(ReviewState.CORROBORATED, created=at(-n - 1), verdict=at(-n))
        AssignmentFactory(claim=target, reviewer=reviewer, due_on=TODAY)
        AssignmentFactory(claim=target, reviewer=UserFactory(), due_on=None)
        _event(target, minutes=n)
    with django_assert_num_queries(7):
        board = desk_dashboard()
    assert len(board.activity) == 20


def test_page_query_count_is_fixed(client, editor, dashboard_desk, django_assert_max_num_queries):
    client.force_login(editor)
    client.get(reverse("claims:dashboard"))  # warm the session
    # The desk figures and charts, the stage times (one) and the agreement (one): not per row.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("claims:dashboard")).status_code == 200


# The SVG --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (0, [0, 1]),
        (3, [0, 1, 2, 3]),
        (9, [0, 2, 4, 6, 8, 10]),
        (812, [0, 200, 400, 600, 800, 1000]),
        (56293, [0, 20000, 40000, 60000]),
    ],
)
def test_axis_ticks_are_round_and_cover_the_largest_value(largest, ticks):
    assert nice_ticks(largest) == ticks


def test_charts_carry_titles_axis_labels_and_a_link_per_bar(dashboard_desk):
    board = desk_dashboard()
    svg = str(column_chart(board.weekly, "chart-weekly"))
    assert '<title id="chart-weekly-title">Claims created and verdicts reached' in svg
    assert "Week starting" in svg
    assert ">Claims</text>" in svg
    assert svg.count("<a href=") == 24  # two series over twelve weeks
    assert "<title>First verdicts, week of 16 Nov 2026: 2</title>" in svg
    assert 'fill="url(#chart-weekly-hatch)"' in svg  # the second series is hatched

    states = str(bar_chart(board.states, "chart-states"))
    assert "✓ Corroborated" in states
    assert "✗ Disputed" in states
    assert "? Unverified" in states
    assert re.search(r'class="bar series-0 state-disputed"', states)


def test_workload_and_age_charts_carry_titles_axis_labels_and_links(dashboard_desk):
    board = desk_dashboard()
    workload = str(bar_chart(board.workload, "chart-workload"))
    assert '<title id="chart-workload-title">' in workload
    assert ">Reviewer</text>" in workload
    assert ">Assignments</text>" in workload
    assert "<title>Rita Reviewer, overdue: 2</title>" in workload
    assert 'fill="url(#chart-workload-hatch)"' in workload  # overdue is hatched, not only red
    assert workload.count("<a href=") == 4  # open and overdue for two reviewers

    ages = str(column_chart(board.ages, "chart-ages"))
    assert '<title id="chart-ages-title">Age of unverified claims' in ages
    assert ">Age</text>" in ages
    assert ">Claims</text>" in ages
    assert "<title>Unverified claims, Over 6 months: 1</title>" in ages
    assert ages.count("<a href=") == 5


def test_empty_workload_chart_says_so(frozen_today):
    board = desk_dashboard()
    assert board.workload.bars == []
    assert "Nothing to show." in str(bar_chart(board.workload, "chart-workload"))


def test_dashboard_module_knows_its_idle_setting(settings):
    settings.FACTCHECK_IDLE_DAYS = 3
    assert dashboard_module.idle_days() == 3


# The queue filters the dashboard links to ------------------------------------------------------


def test_queue_filters_by_first_verdict_dates_and_reviewers(dashboard_desk, editor):
    def listed(query: str) -> set[int]:
        queue = claim_queue(user=editor, params=QueryDict(query))
        return {row.claim.pk for row in queue.rows}

    pks = {n: c.pk for n, c in dashboard_desk.items()}
    assert listed("verdict=yes") == {pks[5], pks[6], pks[7], pks[8]}
    assert listed("verdict=no") == {pks[1], pks[2], pks[3], pks[4]}
    assert listed("verdict_from=2026-11-17") == {pks[5], pks[8]}
    assert listed("verdict_to=2026-11-16") == {pks[6], pks[7]}
    assert listed("verdict_from=2026-11-10&verdict_to=2026-11-10") == {pks[6]}
    assert listed("assigned=yes") == {pks[1], pks[2], pks[3], pks[6]}
    assert listed("assigned=no") == {pks[4], pks[5], pks[7], pks[8]}


def test_the_queue_form_carries_the_filters_the_dashboard_links_to(client, editor):
    """Changing another filter on the queue keeps the dashboard's filters: they are form fields."""
    client.force_login(editor)
    html = client.get(
        "/claims/?reviewer=unassigned&verdict=yes&verdict_from=2026-01-05&verdict_to=2026-01-11"
    ).content.decode()
    assert '<details class="more-filters" open>' in html
    for name in ("reviewer", "verdict"):
        assert f'<select name="{name}" id="id_{name}">' in html
    assert '<option value="unassigned" selected>' in html
    assert 'name="verdict_from" id="id_verdict_from" value="2026-01-05"' in html
    assert 'name="verdict_to" id="id_verdict_to" value="2026-01-11"' in html
