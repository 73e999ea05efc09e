"""The desk dashboard, for the people who run the desk."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from claims.permissions import (
    can_see_dashboard,
)
from claims.selectors.dashboard import desk_dashboard
from claims.signoff.agreement import agreement
from claims.web.charts import bar_chart, column_chart
from claims.web.forms import PeriodForm


@require_GET
def dashboard(request):
    """Where the desk stands and what is stuck: for the people who run the desk."""
    if not can_see_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for editors and staff."))
    board = desk_dashboard()
    charts = {
        "weekly": column_chart(board.weekly, "chart-weekly", width=1100, height=300),
        "states": bar_chart(board.states, "chart-states"),
        "workload": bar_chart(board.workload, "chart-workload"),
        "ages": column_chart(board.ages, "chart-ages", width=480, height=260),
    }
    period, agreement_period = PeriodForm.chosen(request.GET, today=board.today)
    # Ids of its own: the panel's period form is not the only one the dashboard may show.
    agreement_period.auto_id = "agreement-%s"
    return render(
        request,
        "claims/dashboard.html",
        {
            "board": board,
            "charts": charts,
            "agreement_period_form": agreement_period,
            "agreement": agreement(period),
        },
    )
