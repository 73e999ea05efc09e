"""The desk dashboard, for the people who run the desk, and the slowest claims behind its stage
times."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from claims.models import Stage, is_row_id
from claims.permissions import (
    can_see_dashboard,
)
from claims.selectors.dashboard import desk_dashboard
from claims.selectors.people import display_name
from claims.signoff.agreement import agreement
from claims.signoff.stages import BOUNDS, Figures, slowest_claims, stage_times
from claims.web.charts import bar_chart, column_chart
from claims.web.forms import PeriodForm


def _require_dashboard(user) -> None:
    if not can_see_dashboard(user):
        raise PermissionDenied(_("The dashboard is for editors and staff."))


@require_GET
def dashboard(request):
    """Where the desk stands and what is stuck: for the people who run the desk."""
    _require_dashboard(request.user)
    board = desk_dashboard()
    charts = {
        "weekly": column_chart(board.weekly, "chart-weekly", width=1100, height=300),
        "states": bar_chart(board.states, "chart-states"),
        "workload": bar_chart(board.workload, "chart-workload"),
        "ages": column_chart(board.ages, "chart-ages", width=480, height=260),
    }
    period, period_form = PeriodForm.chosen(request.GET, today=board.today)
    # Ids of its own: the agreement panel's period form is the dashboard's second.
    _same, agreement_period = PeriodForm.chosen(
        request.GET, today=board.today, auto_id="agreement-%s"
    )
    return render(
        request,
        "claims/dashboard.html",
        {
            "board": board,
            "charts": charts,
            "period_form": period_form,
            "stages": stage_times(period),
            "agreement_period_form": agreement_period,
            "agreement": agreement(period),
        },
    )


@require_GET
def stage_slowest(request, stage: str):
    """The slowest claims of one stage in a period, desk-wide or of one proposer: what a stage
    time on the dashboard stands for."""
    _require_dashboard(request.user)
    if stage not in Stage.values:
        raise Http404(_("There is no such stage."))
    person = None
    if "reviewer" in request.GET:
        person_id = request.GET["reviewer"]
        if is_row_id(person_id):
            person = get_user_model().objects.filter(pk=person_id).first()
        if person is None:
            raise Http404(_("There is no such person."))
    period, _form = PeriodForm.chosen(request.GET, today=timezone.localdate())
    stage = Stage(stage)
    times = stage_times(period, stages=(stage,))
    row = times.desk
    if person is not None:
        row = next((row for row in times.people if row.person_id == person.pk), None)
    return render(
        request,
        "claims/stage_slowest.html",
        {
            "stage": stage,
            "bounds": BOUNDS[stage],
            "period": period,
            "person": person,
            "person_name": display_name(person) if person else "",
            "figures": row.figures[0] if row else Figures(stage=stage),
            "claims": slowest_claims(stage, period, person.pk if person else None),
        },
    )
