"""The claims' bulk actions: assign a reviewer, change the state.

Each asks for its input on a confirmation page that lists the selected claims with the version
each was shown at, then calls the service once per claim, in the service's own transaction: a
claim the workflow refuses, or that someone changed since the page was shown, is left as it is
and named in one warning with the reason; the others are written.
"""

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from claims import services
from claims.admin.forms import BulkAssignForm, BulkStateChangeForm
from claims.models import Claim, ReviewState
from claims.selectors.people import display_name
from claims.web.forms import VersionField
from claims.web.presentation import claim_label

# How many claims one bulk action may change, and how many each message names before "and N more".
BULK_ACTION_LIMIT = services.BULK_LIMIT
CLAIMS_NAMED = 10
BULK_CONFIRM = "confirm"


@admin.action(
    description=gettext_lazy("Assign a reviewer to the selected claims…"),
    permissions=["assign_reviewer"],
)
def assign_reviewer(modeladmin, request, queryset):
    def write(claims, data):
        return services.claims_assign_reviewer(
            actor=request.user, claims=claims, reviewer=data["reviewer"], due_on=data["due_on"]
        )

    def done(data):
        return _("assigned to %(reviewer)s") % {"reviewer": display_name(data["reviewer"])}

    return _bulk_action(
        modeladmin,
        request,
        queryset,
        form_class=BulkAssignForm,
        title=_("Assign a reviewer"),
        submit=_("Assign"),
        write=write,
        done=done,
    )


@admin.action(
    description=gettext_lazy("Change the state of the selected claims…"),
    permissions=["change_state"],
)
def change_state(modeladmin, request, queryset):
    def write(claims, data):
        return services.claims_change_state(
            actor=request.user,
            claims=claims,
            versions=_versions_seen(request.POST, claims),
            state=data["state"],
            rationale=data["rationale"],
        )

    def done(data):
        return _("moved to %(state)s") % {"state": ReviewState(data["state"]).label}

    return _bulk_action(
        modeladmin,
        request,
        queryset,
        form_class=BulkStateChangeForm,
        title=_("Change the state of claims"),
        submit=_("Change state"),
        write=write,
        done=done,
    )


def _bulk_action(
    modeladmin,
    request,
    queryset,
    *,
    form_class,
    title: str,
    submit: str,
    write: Callable[[list[Claim], dict], services.BulkOutcome],
    done: Callable[[dict], str],
):
    """Ask for the action's input on an intermediate page, then write claim by claim.

    Returns the page (first visit, or input to correct) or None, which sends the user back
    to the list, where messages say which claims changed and which were refused and why.
    """
    claims = list(
        queryset.order_by("pk").only("pk", "text", "state", "version")[: BULK_ACTION_LIMIT + 1]
    )
    if len(claims) > BULK_ACTION_LIMIT:
        modeladmin.message_user(
            request,
            _("Select at most %(limit)d claims for one action.") % {"limit": BULK_ACTION_LIMIT},
            messages.ERROR,
        )
        return None
    form = form_class(request.POST if BULK_CONFIRM in request.POST else None)
    if form.is_bound and form.is_valid():
        outcome = write(claims, form.cleaned_data)
        _report(modeladmin, request, outcome.changed, outcome.refused, done(form.cleaned_data))
        return None
    return _confirmation_page(modeladmin, request, form, claims, title=title, submit=submit)


def _confirmation_page(modeladmin, request, form, claims, *, title: str, submit: str):
    """The page asking for the action's input, listing the claims with the versions shown."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.opts,
        "form": form,
        "claims": claims,
        "action": request.POST.get("action", ""),
        "confirm_field": BULK_CONFIRM,
        "submit_label": submit,
        "back_url": request.get_full_path(),
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/claims/claim/bulk_action.html", context)


def _claims_named(claims: list[Claim]) -> str:
    """``#12 “The bridge…”, #15 “…” and 40 more``: readable for one claim or for hundreds."""
    named = ", ".join(claim_label(claim) for claim in claims[:CLAIMS_NAMED])
    rest = len(claims) - CLAIMS_NAMED
    if rest > 0:
        named += " " + ngettext("and %(count)d more", "and %(count)d more", rest) % {"count": rest}
    return named


def _versions_seen(post, claims) -> dict[int, int]:
    """The version of each claim its bulk action's confirmation page showed, by claim id, read
    as the desk's forms read one (``VersionField``); a claim whose version is missing or
    unreadable is left out, so it is refused rather than written at a guessed version."""
    field = VersionField()
    seen = {}
    for claim in claims:
        try:
            seen[claim.pk] = field.clean(post.get(f"version-{claim.pk}"))
        except ValidationError:
            continue
    return seen


def _report(modeladmin, request, changed, refused, done: str) -> None:
    """One success message naming the claims changed, one warning naming the refused by
    reason; each links to the list of exactly those claims."""
    if changed:
        modeladmin.message_user(
            request,
            format_html(
                "{} {} {}",
                ngettext(
                    "%(count)d claim %(done)s:",
                    "%(count)d claims %(done)s:",
                    len(changed),
                )
                % {"count": len(changed), "done": done},
                _claims_named(changed),
                _listed(changed),
            ),
            messages.SUCCESS,
        )
    if refused:
        total = sum(len(claims) for claims in refused.values())
        modeladmin.message_user(
            request,
            format_html(
                "{} {} {}",
                ngettext("%(count)d claim refused:", "%(count)d claims refused:", total)
                % {"count": total},
                format_html_join(
                    " ",
                    "{} ({})",
                    ((reason, _claims_named(claims)) for reason, claims in refused.items()),
                ),
                _listed([claim for claims in refused.values() for claim in claims]),
            ),
            messages.WARNING,
        )


def _listed(claims):
    """A link to the claim list narrowed to exactly these claims."""
    ids = ",".join(str(claim.pk) for claim in claims)
    url = f"{reverse('admin:claims_claim_changelist')}?id__in={ids}"
    return format_html('<a href="{}">{}</a>', url, _("List them."))
