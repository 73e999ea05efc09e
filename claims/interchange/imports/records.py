"""What a file's records become: the claims handed to ``services.claim_import``, or problems."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.formats import number_format
from django.utils.translation import ngettext


@dataclass
class ImportedSource:
    title: str
    url: str = ""
    outlet: str = ""
    author: str = ""
    published_on: date | None = None
    text: str = ""

    @property
    def key(self) -> tuple:
        """How a source is recognised: by its address, or without one by title, outlet, date."""
        if self.url:
            return ("url", self.url)
        return ("title", self.title, self.outlet, self.published_on)


@dataclass
class ImportedEvidence:
    stance: str
    url: str
    normalized_url: str
    title: str = ""
    publisher: str = ""
    excerpt: str = ""
    note: str = ""
    added_by: str | None = None  # usernames, kept when the account exists here
    added_at: datetime | None = None
    retracted_at: datetime | None = None
    retracted_by: str | None = None
    retraction_reason: str = ""


@dataclass
class ImportedCorrection:
    """A correction of the claim's published verdict, as the JSON export writes it."""

    published_at: datetime | None
    previous_state: str
    state: str
    previous_rationale: str = ""
    rationale: str = ""
    correction_note: str = ""
    proposed_by: str | None = None  # usernames, kept when the account exists here
    approved_by: str | None = None
    without_signoff: bool = False


@dataclass
class ImportedClaim:
    line: int
    original_id: int | None
    text: str
    claimant: str
    state: str
    claimed_on: date | None = None
    rationale: str = ""
    created_at: datetime | None = None
    state_changed_at: datetime | None = None
    first_verdict_at: datetime | None = None
    published_at: datetime | None = None
    corrected_at: datetime | None = None
    appearances: list[tuple[ImportedSource, str]] = field(default_factory=list)
    evidence: list[ImportedEvidence] = field(default_factory=list)
    corrections: list[ImportedCorrection] = field(default_factory=list)

    @property
    def identity(self) -> tuple:
        """What makes two claims the same claim: one person may say the same on another day."""
        return (self.text, self.claimant, self.claimed_on)

    def standing(self, stance: str) -> int:
        return sum(1 for e in self.evidence if e.stance == stance and e.retracted_at is None)


@dataclass
class RecordProblems:
    """Why one record cannot be imported: its first problems, and how many more it has.

    A record can hold a problem per item of a list (a URL repeated in a cell a hundred thousand
    times is as many duplicates), so only the first few are kept to be shown.
    """

    line: int
    shown: list[str] = field(default_factory=list)
    hidden: int = 0

    def __len__(self) -> int:
        return len(self.shown) + self.hidden

    def lines(self) -> list[str]:
        """The problems to show, and a line saying how many more there were."""
        if not self.hidden:
            return self.shown
        more = ngettext(
            "line %(line)d: %(count)s more problem in this record not shown",
            "line %(line)d: %(count)s more problems in this record not shown",
            self.hidden,
        ) % {"line": self.line, "count": number_format(self.hidden, force_grouping=True)}
        return [*self.shown, more]


class ImportFileError(Exception):
    """The file cannot be imported; ``problems`` says where and why, one line each.

    ``found`` counts the problems, those not shown included.
    """

    def __init__(self, problems: list[str], *, found: int | None = None):
        self.problems = problems
        self.found = len(problems) if found is None else found
        super().__init__("\n".join(problems))
