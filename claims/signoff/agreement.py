"""How often independent reviewers agree over a period: the share of independent reviews in
which they agreed, and Cohen's kappa for each pair of reviewers, each linking to the
disagreements behind it.

Definitions:

- A reviewer's *judgement* of a claim is their first independent proposal on it
  (``Proposal.independent``, the earliest ``proposed_at``, then the lowest id; any status but
  withdrawn): the blind one, made before they could see the others'. A proposal whose
  proposer's account is gone is nobody's judgement.
- An *independent review* is a claim with judgements from at least two reviewers. It falls in
  a period by its latest judgement's ``proposed_at``, the moment it became comparable. It
  *agreed* when all its judgements have the same state.
- *Cohen's kappa* for reviewers A and B is over the period's independent reviews that both
  judged: p_o is the share of them on which A and B gave the same state; p_e = Σ over states k
  of (A's share of k)·(B's share of k), the agreement chance alone would give two reviewers
  who gave each state as often as these did; kappa = (p_o - p_e)/(1 - p_e): 1 when they always
  agree, 0 when they agree no more than chance would, below 0 when less. When p_e = 1 (both
  gave every shared claim one and the same state) kappa is undefined. Only pairs with at least
  ``FACTCHECK_AGREEMENT_MIN_SHARED`` shared claims are shown; the others are counted as left
  out.

The definitions are written once, as SQL (``_judgements``, ``_reviews``): judgements are
ranked with a window function and reviews grouped from them, so the dashboard gets its figures
as a count and a few rows per pair (one per pair of states given), not a row per proposal; the
kappas are then worked out in exact fractions (the pages round them: a share down to a whole
percent, as the dashboard's other shares; kappa to two places). A review's earlier judgements
may precede the period and a later one may move it out, so the claims are those with any
independent proposal in the period (a range of the partial index of migration 0020) and all
their independent proposals are ranked.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from claims.models import Claim, Proposal, ProposalStatus, ReviewState
from claims.selectors.dashboard import Period
from claims.selectors.people import name_from_parts

# A judgement may have any status but this: a proposal withdrawn was taken back unjudged.
WITHDRAWN = ProposalStatus.WITHDRAWN.value


def min_shared() -> int:
    """Claims two reviewers must have judged both before their kappa is shown (setting)."""
    return max(1, int(getattr(settings, "FACTCHECK_AGREEMENT_MIN_SHARED", 5)))


def disagreements_url(period: Period, pair: tuple[int, int] | None = None) -> str:
    """The disagreements page for ``period``, of one pair of reviewers when given."""
    url = reverse("claims:disagreements") + "?" + urlencode(period.params)
    return url if pair is None else _of_pair(url, pair)


def _of_pair(period_url: str, pair: tuple[int, int]) -> str:
    return f"{period_url}&a={int(pair[0])}&b={int(pair[1])}"


def dashboard_url(period: Period) -> str:
    """The dashboard's agreement figures over ``period``."""
    return reverse("claims:dashboard") + "?" + urlencode(period.params) + "#agreement"


# The SQL --------------------------------------------------------------------------------------


def _judgements(claims: str) -> str:
    """WITH clauses ending in ``judgements`` (claim_id, person, state, at, proposal): each
    reviewer's judgement of each claim that the SQL ``claims`` selects (as claim_id). Its
    parameters: WITHDRAWN, then those of ``claims``."""
    # The claims' independent proposals come in the order of the partial index by claim and
    # proposer (migration 0020), which is the window's: SQLite ranks them without sorting.
    # Withdrawn ones are left out with <>, which leads no planner to the status index.
    return f"""
        ranked AS (
            SELECT claim_id, proposed_by_id AS person, state, proposed_at AS at, id AS proposal,
                   ROW_NUMBER() OVER (
                       PARTITION BY claim_id, proposed_by_id ORDER BY proposed_at, id
                   ) AS nth
            FROM {Proposal._meta.db_table}
            WHERE independent AND proposed_by_id IS NOT NULL AND status <> %s
              AND claim_id IN ({claims})
        ),
        judgements AS (SELECT claim_id, person, state, at, proposal FROM ranked WHERE nth = 1)
    """  # noqa: S608


def _reviews(period: Period) -> tuple[str, list]:
    """A WITH clause ending in ``reviews`` (claim_id, at, alike: 1 when all its judgements
    gave one state, else 0): the independent reviews of ``period``, after ``judgements``."""
    start, end = period.start, period.end
    touched, touched_params = "", []
    having, having_params = "", []
    for moment, compare in ((start, ">="), (end, "<")):
        if moment is not None:
            value = connection.ops.adapt_datetimefield_value(moment)
            touched += f" AND proposed_at {compare} %s"
            having += f" AND MAX(at) {compare} %s"
            touched_params.append(value)
            having_params.append(value)
    # The table's name comes from its model, the conditions from here; values are parameters.
    proposals = Proposal._meta.db_table
    claims = f"SELECT claim_id FROM {proposals} WHERE independent{touched}"  # noqa: S608
    sql = f"""
        WITH {_judgements(claims)},
        reviews AS (
            SELECT claim_id, MAX(at) AS at,
                   CASE WHEN MIN(state) = MAX(state) THEN 1 ELSE 0 END AS alike
            FROM judgements GROUP BY claim_id HAVING COUNT(*) >= 2{having}
        )
    """  # noqa: S608
    return sql, [WITHDRAWN, *touched_params, *having_params]


def _moment(value) -> datetime.datetime:
    """A time as the raw cursor returns it: aware from PostgreSQL, text in UTC from SQLite."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Kappa ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa over ``shared`` claims two reviewers both judged, as exact fractions."""

    shared: int
    same: int
    observed: Fraction  # p_o
    chance: Fraction  # p_e
    kappa: Fraction | None  # None when chance agreement is certain (p_e = 1)


def cohen_kappa(rated: Mapping[tuple[str, str], int] | Iterable[tuple[str, str]]) -> Kappa:
    """Kappa of two raters from how many claims got each (first's state, second's state), or
    from that pair of states for each claim both rated."""
    counts = Counter(dict(rated)) if isinstance(rated, Mapping) else Counter(rated)
    shared = sum(counts.values())
    if not shared:
        raise ValueError("Kappa needs at least one claim that both rated.")
    same = sum(n for (first, second), n in counts.items() if first == second)
    firsts, seconds = Counter(), Counter()
    for (first, second), n in counts.items():
        firsts[first] += n
        seconds[second] += n
    # In whole numbers over shared²: p_e = by_chance / shared², and kappa =
    # (p_o - p_e) / (1 - p_e) = (same·shared - by_chance) / (shared² - by_chance).
    by_chance = sum(firsts[state] * seconds[state] for state in firsts)
    square = shared * shared
    kappa = None if by_chance == square else Fraction(same * shared - by_chance, square - by_chance)
    return Kappa(shared, same, Fraction(same, shared), Fraction(by_chance, square), kappa)


def two_places(value: Fraction) -> str:
    """A fraction to two decimal places, halves rounded away from zero, in the page's format."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return number_format(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), 2)


def percent(part: int, whole: int) -> int:
    """A share as a whole percent, rounded down as the dashboard's shares are: 100% is all."""
    return part * 100 // whole if whole else 0


# The dashboard's figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class PairAgreement:
    first_id: int
    first: str
    second_id: int
    second: str
    figures: Kappa
    url: str  # the pair's disagreements

    @property
    def label(self) -> str:
        return _("%(first)s and %(second)s") % {"first": self.first, "second": self.second}

    @property
    def observed_percent(self) -> int:
        return percent(self.figures.same, self.figures.shared)

    @property
    def kappa_text(self) -> str:
        return "—" if self.figures.kappa is None else two_places(self.figures.kappa)


@dataclass
class Agreement:
    """What the dashboard shows of a period's independent reviews."""

    period: Period
    reviews: int
    agreed: int
    url: str  # the period's disagreements
    min_shared: int
    pairs: list[PairAgreement] = field(default_factory=list)
    left_out: int = 0  # pairs with fewer shared claims than min_shared

    @property
    def agreed_percent(self) -> int:
        return percent(self.agreed, self.reviews)


def _figures_sql(period: Period) -> tuple[str, list]:
    """One statement, three kinds of row by its first column: 0, the reviews and how many
    agreed; 1, for each pair of reviewers (lower id first) and pair of states they gave, how
    many claims; 2, each reviewer's name."""
    reviews, params = _reviews(period)
    users = get_user_model()._meta.db_table
    # Table names come from the models; every value is a parameter.
    sql = f"""{reviews}
        SELECT 0, NULL, NULL, NULL, NULL, COUNT(*), SUM(alike), NULL, NULL, NULL
        FROM reviews
        UNION ALL
        SELECT 1, a.person, b.person, a.state, b.state, COUNT(*), NULL, NULL, NULL, NULL
        FROM judgements a
        JOIN judgements b ON b.claim_id = a.claim_id AND b.person > a.person
        JOIN reviews r ON r.claim_id = a.claim_id
        GROUP BY a.person, b.person, a.state, b.state
        UNION ALL
        SELECT 2, id, NULL, NULL, NULL, NULL, NULL, first_name, last_name, username
        FROM {users}
        WHERE id IN (
            SELECT j.person FROM judgements j JOIN reviews r ON r.claim_id = j.claim_id
        )
    """  # noqa: S608
    return sql, params


def agreement(period: Period) -> Agreement:
    """The share agreed and the kappa of each pair with enough shared claims: one query."""
    sql, params = _figures_sql(period)
    reviews = agreed = 0
    rated: dict[tuple[int, int], Counter] = {}
    names: dict[int, str] = {}
    for kind, first, second, state, other, count, alike, *name in _fetch(sql, params):
        if kind == 0:
            reviews, agreed = int(count), int(alike or 0)
        elif kind == 1:
            rated.setdefault((first, second), Counter())[state, other] = int(count)
        else:
            names[first] = name_from_parts(*name)
    minimum = min_shared()
    period_url = disagreements_url(period)
    pairs = []
    for (first, second), counts in rated.items():
        if sum(counts.values()) < minimum:
            continue
        # A pair reads in name order (kappa is symmetric; the link follows the names).
        if (names[second].casefold(), second) < (names[first].casefold(), first):
            first, second = second, first
        pairs.append(
            PairAgreement(
                first_id=first,
                first=names[first],
                second_id=second,
                second=names[second],
                figures=cohen_kappa(counts),
                url=_of_pair(period_url, (first, second)),
            )
        )
    pairs.sort(key=lambda pair: (pair.first.casefold(), pair.second.casefold(), pair.first_id))
    return Agreement(
        period=period,
        reviews=reviews,
        agreed=agreed,
        url=period_url,
        min_shared=minimum,
        pairs=pairs,
        left_out=len(rated) - len(pairs),
    )


# The reviews behind them ----------------------------------------------------------------------


def reviewed_claims(period: Period) -> list[int]:
    """The claims of the period's independent reviews, newest review first: one query."""
    reviews, params = _reviews(period)
    sql = f"{reviews} SELECT claim_id FROM reviews ORDER BY at DESC, claim_id DESC"  # noqa: S608
    return [claim_id for (claim_id,) in _fetch(sql, params)]


def disagreement_claims(period: Period, pair: tuple[int, int] | None = None) -> list[int]:
    """The claims of the period's independent reviews in which the reviewers disagreed (of
    ``pair``, in which those two did), newest review first: one query."""
    reviews, params = _reviews(period)
    if pair is None:
        sql = f"{reviews} SELECT claim_id FROM reviews r WHERE alike = 0"  # noqa: S608
    else:
        sql = f"""{reviews}
            SELECT r.claim_id FROM reviews r
            JOIN judgements a ON a.claim_id = r.claim_id AND a.person = %s
            JOIN judgements b ON b.claim_id = r.claim_id AND b.person = %s
            WHERE a.state <> b.state
        """  # noqa: S608
        params = [*params, *pair]
    sql += " ORDER BY r.at DESC, r.claim_id DESC"
    return [claim_id for (claim_id,) in _fetch(sql, params)]


@dataclass(frozen=True)
class Judgement:
    reviewer_id: int
    reviewer: str  # the reviewer's display name
    state: str
    at: datetime.datetime

    @property
    def state_label(self) -> str:
        return str(ReviewState(self.state).label)


@dataclass
class Review:
    """A claim judged blind by two reviewers or more, their judgements in the order made."""

    claim_id: int
    judgements: list[Judgement]

    @property
    def at(self) -> datetime.datetime:
        """When it became comparable: its latest judgement."""
        return self.judgements[-1].at

    @property
    def agreed(self) -> bool:
        return len({judgement.state for judgement in self.judgements}) == 1

    def state_of(self, reviewer_id: int) -> str | None:
        return next((j.state for j in self.judgements if j.reviewer_id == reviewer_id), None)


def reviews_of(claim_ids: list[int]) -> list[Review]:
    """The reviewers' judgements of each claim, in the order given: one query."""
    if not claim_ids:
        return []
    placeholders = ", ".join(["%s"] * len(claim_ids))
    users = get_user_model()._meta.db_table
    # Table names come from the models; every value is a parameter.
    sql = f"""WITH {_judgements(placeholders)}
        SELECT j.claim_id, j.person, j.state, j.at, u.first_name, u.last_name, u.username
        FROM judgements j JOIN {users} u ON u.id = j.person
        ORDER BY j.claim_id, j.at, j.proposal
    """  # noqa: S608
    found: dict[int, list[Judgement]] = {}
    params = [WITHDRAWN, *claim_ids]
    for claim_id, person, state, at, *name in _fetch(sql, params):
        judgement = Judgement(person, name_from_parts(*name), state, _moment(at))
        found.setdefault(claim_id, []).append(judgement)
    return [Review(claim_id, found[claim_id]) for claim_id in claim_ids if claim_id in found]


def independent_reviews(period: Period) -> list[Review]:
    """The period's independent reviews with their judgements, oldest first: two queries."""
    return reviews_of(reviewed_claims(period))[::-1]


@dataclass(frozen=True)
class Disagreement:
    claim_id: int
    claim_text: str
    url: str
    at: datetime.datetime
    judgements: list[Judgement]


def with_claims(reviews: list[Review]) -> list[Disagreement]:
    """The reviews as the disagreements page lists them, each with its claim: one query."""
    claims = Claim.objects.filter(pk__in=[review.claim_id for review in reviews])
    texts = {claim.pk: str(claim) for claim in claims.order_by().only("text")}
    return [
        Disagreement(
            claim_id=review.claim_id,
            claim_text=texts.get(review.claim_id, ""),
            url=reverse("claims:detail", kwargs={"pk": review.claim_id}),
            at=review.at,
            judgements=review.judgements,
        )
        for review in reviews
    ]
