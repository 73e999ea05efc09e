"""The disagreements behind the dashboard's agreement figures: the independent reviews of a
period in which the reviewers disagreed, desk-wide or between two of them."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from claims.permissions import can_see_dashboard
from claims.selectors.people import display_name
from claims.signoff import agreement
from claims.web.forms import PeriodForm, ReviewerPairForm

PER_PAGE = 50


@require_GET
def disagreements(request):
    """Newest first, each with its claim and every reviewer's blind judgement; a pair or a
    period given wrongly is said so on the page, never a server error."""
    if not can_see_dashboard(request.user):
        raise PermissionDenied(_("The dashboard is for editors and staff."))
    period, period_form = PeriodForm.chosen(request.GET, today=timezone.localdate())
    pair_form = ReviewerPairForm(request.GET)
    people = pair_form.pair()
    context = {
        "period": period,
        "period_form": period_form,
        "pair_form": pair_form,
        "people": [display_name(person) for person in people] if people else [],
        "all_url": agreement.disagreements_url(period),
        "dashboard_url": agreement.dashboard_url(period),
    }
    if not pair_form.is_valid():
        return render(request, "claims/disagreements.html", context, status=400)
    pair = (people[0].pk, people[1].pk) if people else None
    claims = agreement.disagreement_claims(period, pair)
    page = Paginator(claims, PER_PAGE).get_page(request.GET.get("page"))
    reviews = agreement.reviews_of(list(page.object_list))
    context.update(total=len(claims), page=page, rows=agreement.with_claims(reviews))
    return render(request, "claims/disagreements.html", context)
