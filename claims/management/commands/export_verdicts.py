"""Export the claims the queue's filters select as CSV, JSON, ClaimReview JSON-LD or a report."""

import datetime
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from claims.interchange.exports import FORMATS, write_export
from claims.selectors.filters import ASSIGNED, SORTS, UNASSIGNED

# Command option -> the queue's GET parameter.
FILTER_OPTIONS = {
    "state": "state",
    "reviewer": "reviewer",
    "claimant": "claimant",
    "source": "source",
    "created_from": "created_from",
    "created_to": "created_to",
    "search": "q",
    "sort": "sort",
}


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # Translated when asked for: argparse takes only a str, not a lazy translation.
        return _(
            "Export verdicts (csv, json, claimreview, html) for the claims the queue's filters "
            "select; writes to standard output unless --output is given."
        )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="csv")
        parser.add_argument("--output", "-o", help=_("File to write (default: standard output)."))
        parser.add_argument("--state", help=_("unverified, corroborated or disputed."))
        parser.add_argument(
            "--reviewer",
            help=_(
                "Open assignment to this reviewer (username or id), to anyone ('%(assigned)s') "
                "or to no one ('%(unassigned)s')."
            )
            % {"assigned": ASSIGNED, "unassigned": UNASSIGNED},
        )
        parser.add_argument("--claimant", help=_("Claimant contains this text."))
        parser.add_argument("--source", help=_("Appeared in the source with this id."))
        parser.add_argument("--created-from", help=_("Created on or after (YYYY-MM-DD)."))
        parser.add_argument("--created-to", help=_("Created on or before (YYYY-MM-DD)."))
        parser.add_argument("--search", help=_("Words in the claim or claimant."))
        parser.add_argument(
            "--sort", choices=sorted(SORTS), help=_("The queue's sort orders (default: by id).")
        )
        parser.add_argument(
            "--corrected-since",
            help=_("Only claims with a correction published on or after this day (YYYY-MM-DD)."),
        )

    def handle(self, *args, format: str, output: str | None, corrected_since=None, **options):
        params = self._params(options)
        since = self._day("--corrected-since", corrected_since)
        # A bar only for a person watching a terminal; never mixed into piped output.
        show_bar = sys.stderr.isatty() and (output is not None or not self.stdout.isatty())
        progress = self._progress if show_bar else None
        try:
            if output:
                with open(output, "wb") as stream:
                    total = write_export(
                        stream, format, params, progress=progress, corrected_since=since
                    )
            else:
                total = write_export(
                    self.stdout._out, format, params, progress=progress, corrected_since=since
                )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
            ) from error
        if output:
            message = ngettext(
                "Wrote %(format)s for the %(count)s selected claim to %(output)s.",
                "Wrote %(format)s for the %(count)s selected claims to %(output)s.",
                total,
            )
            count = number_format(total, force_grouping=True)
            self.stderr.write(message % {"format": format, "count": count, "output": output})

    def _day(self, option: str, value: str | None) -> datetime.date | None:
        """The day an option names, refused before anything is written when it is none."""
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise CommandError(
                _("%(option)s: not a date (YYYY-MM-DD): %(value)r.")
                % {"option": option, "value": value}
            ) from None

    def _progress(self, claims, total):
        return tqdm(claims, total=total, unit=_(" claims"), file=sys.stderr, leave=False)

    def _params(self, options) -> QueryDict:
        """The queue's GET parameters from the options, a reviewer named by username as an id."""
        params = QueryDict(mutable=True)
        for option, name in FILTER_OPTIONS.items():
            value = options.get(option)
            if value not in (None, ""):
                params[name] = str(value)
        reviewer = params.get("reviewer")
        if reviewer and reviewer not in (UNASSIGNED, ASSIGNED) and not reviewer.isdigit():
            user = get_user_model().objects.filter(username=reviewer).first()
            if user is None:
                raise CommandError(_("reviewer: no user named %(name)r.") % {"name": reviewer})
            params["reviewer"] = str(user.pk)
        return params
