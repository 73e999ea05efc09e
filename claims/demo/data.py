"""The demo desk: a login for every role, two reports on the Soleimani strike and claims from them.

The two reports describe the same strike and disagree on Israel's part in it, which gives the demo
claims that are corroborated, disputed and still open. Only their metadata and short quoted passages
live here, never their full text. ``claims.demo.desk`` plays each claim's steps through the
services.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from claims.models import ReviewState, Stance
from claims.permissions import EDITORS_GROUP, REVIEWERS_GROUP, VIEWERS_GROUP


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str  # the name of the role's group
    first_name: str
    last_name: str
    is_staff: bool = False


# The one list of demo logins: load_demo creates and prints them, and setup scripts may print them.
# The passwords are published on purpose; never load the demo into a database that faces the world.
# Each passes AUTH_PASSWORD_VALIDATORS, as a chosen password must (tests/demo/test_desk.py).
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("editor", "demo-desk-editor", EDITORS_GROUP, "Erin", "Editor", is_staff=True),
    DemoUser("chief", "demo-desk-chief", EDITORS_GROUP, "Chen", "Chief", is_staff=True),
    DemoUser("reviewer", "demo-desk-reviewer", REVIEWERS_GROUP, "Rafael", "Reviewer"),
    DemoUser("reviewer2", "demo-desk-reviewer2", REVIEWERS_GROUP, "Rosa", "Reviewer"),
    DemoUser("viewer", "demo-desk-viewer", VIEWERS_GROUP, "Victor", "Viewer"),
)

# Creates the sources and claims; the other users act only where a claim's steps say so.
DEMO_EDITOR = "editor"


@dataclass(frozen=True)
class DemoSource:
    key: str
    title: str
    url: str
    outlet: str = ""
    author: str = ""
    published_on: date | None = None
    text: str = ""  # a one-line summary, never the article itself


# The articles we hold carry no URLs: these are placeholders on a reserved domain (RFC 2606),
# and they are the sources' natural keys, so keep them stable.
AXIOS_URL = "https://news.example/axios/2021/12/15/trump-felt-used-on-soleimani-strike"
LET_US_DOWN_URL = "https://news.example/2023/10/trump-israel-let-us-down"

SOURCES: tuple[DemoSource, ...] = (
    DemoSource(
        key="axios",
        title="Trump felt used on Soleimani strike: “Israel did not do the right thing”",
        url=AXIOS_URL,
        outlet="Axios",
        author="Barak Ravid",
        published_on=date(2021, 12, 15),
        text="Trump's grievance with Israel over the January 2020 strike, and Israeli rebuttals.",
    ),
    DemoSource(
        key="let-us-down",
        title="Trump: Israel 'let us down'",
        url=LET_US_DOWN_URL,
        # Our copy names no outlet, author or exact date; it reports remarks made after the
        # 7 October 2023 attack, so only its month is known and the date is left empty.
        text="Trump says Israel withdrew from the Soleimani strike the night before it (Oct 2023).",
    ),
)


# Steps a claim goes through after it is created. ``actor`` and ``reviewer`` are demo usernames,
# ``source`` a source key: the evidence link points at that source's URL.


@dataclass(frozen=True)
class AddEvidence:
    actor: str
    source: str
    stance: str
    excerpt: str
    note: str = ""


@dataclass(frozen=True)
class RetractEvidence:
    actor: str
    source: str
    stance: str
    reason: str


@dataclass(frozen=True)
class Assign:
    actor: str
    reviewer: str
    due_in_days: int | None = None  # from the day the step is played


@dataclass(frozen=True)
class Complete:
    actor: str
    reviewer: str
    note: str = ""


@dataclass(frozen=True)
class Withdraw:
    actor: str
    reviewer: str
    reason: str


@dataclass(frozen=True)
class ChangeState:
    """A move of the claim's state; with sign-off on, proposed by ``actor`` and signed off by
    ``signed_off_by``. A change to a published verdict carries its public correction note."""

    actor: str
    state: str
    rationale: str
    correction_note: str = ""
    signed_off_by: str = "chief"


@dataclass(frozen=True)
class Propose:
    """A verdict proposed and left waiting (for sign-off, or in an independent review)."""

    actor: str
    state: str
    rationale: str


@dataclass(frozen=True)
class Return:
    """The claim's waiting proposal sent back with a note for its proposer."""

    actor: str
    note: str


@dataclass(frozen=True)
class ReviewIndependently:
    actor: str


@dataclass(frozen=True)
class AddComment:
    """A comment in the claim's internal discussion (its @usernames mention demo users)."""

    actor: str
    text: str


# Steps that only exist on a desk with sign-off on: a one-person desk's demo leaves them out.
SIGNOFF_STEPS = (Propose, Return, ReviewIndependently)

Step = (
    AddComment
    | AddEvidence
    | RetractEvidence
    | Assign
    | Complete
    | Withdraw
    | ChangeState
    | Propose
    | Return
    | ReviewIndependently
)


@dataclass(frozen=True)
class DemoClaim:
    """A demo claim and what happened to it. It was opened ``opened_days_ago`` days before the
    demo is loaded and its steps followed every ``STEP_SPACING`` or closer, so that the demo
    desk has the history of a working desk: verdicts over past weeks, claims of every age, an
    idle one and an overdue review."""

    text: str  # the claim's natural key: load_demo skips a claim whose text already exists
    claimant: str
    claimed_on: date | None
    appearances: tuple[tuple[str, str], ...]  # (source key, quoted passage)
    steps: tuple[Step, ...] = ()
    opened_days_ago: int = 0


# The most time between two steps of a demo claim (less when the claim is younger).
STEP_SPACING = timedelta(days=2)


AXIOS_DAY = date(2021, 12, 15)  # claims first published in the Axios piece carry its date

# Passages quoted more than once.
ISRAELI_OFFICIAL = (
    "Israel proposed a more active role for Israeli forces but the U.S. insisted on being "
    "the ones to execute the strike"
)
NIGHT_BEFORE = (
    "the night before it happened, I got a call that Israel will not be participating "
    "in this attack"
)
DRONES_OVER_BAGHDAD = "he was killed by Hellfire missiles that US drones over Baghdad fired"

CLAIMS: tuple[DemoClaim, ...] = (
    DemoClaim(
        opened_days_ago=75,
        text="Qasem Soleimani was killed in a US strike in Baghdad on 3 January 2020.",
        claimant="Barak Ravid (Axios)",
        claimed_on=AXIOS_DAY,
        appearances=(
            ("axios", "On the night of Jan. 3, 2020, Soleimani […] arrived in Baghdad."),
            ("let-us-down", DRONES_OVER_BAGHDAD),
        ),
        steps=(
            Assign("editor", "reviewer", due_in_days=2),
            AddEvidence(
                "editor",
                "axios",
                Stance.SUPPORTS,
                "On the night of Jan. 3, 2020, Soleimani […] arrived in Baghdad.",
                note="Axios gives the date and the place.",
            ),
            AddEvidence(
                "reviewer",
                "let-us-down",
                Stance.SUPPORTS,
                "On January 3rd, 2020, he was killed by Hellfire missiles that US drones over "
                "Baghdad fired.",
                note="The second report agrees on date, place and who struck.",
            ),
            ChangeState(
                "reviewer",
                ReviewState.CORROBORATED,
                "Both reports give 3 January 2020, Baghdad and a US strike.",
            ),
            Complete("reviewer", "reviewer", note="Date and place agree in both sources."),
        ),
    ),
    DemoClaim(
        opened_days_ago=61,
        text="A missile fired from a US drone hit Soleimani's car minutes after it left the "
        "airport.",
        claimant="Barak Ravid (Axios)",
        claimed_on=AXIOS_DAY,
        appearances=(
            (
                "axios",
                "A few minutes after his car left the airport, it was struck by a missile fired "
                "by a U.S. drone.",
            ),
        ),
        steps=(
            AddEvidence(
                "editor",
                "axios",
                Stance.SUPPORTS,
                "it was struck by a missile fired by a U.S. drone",
            ),
            AddEvidence(
                "editor",
                "let-us-down",
                Stance.SUPPORTS,
                DRONES_OVER_BAGHDAD,
                note="Says missiles, plural; agrees they came from US drones.",
            ),
            ChangeState(
                "editor",
                ReviewState.CORROBORATED,
                "Both reports say US drones fired the missiles; they differ only on how many.",
            ),
        ),
    ),
    DemoClaim(
        opened_days_ago=48,
        text="Israel withdrew from the planned joint strike on Soleimani the night before it "
        "happened.",
        claimant="Donald Trump",
        claimed_on=None,  # remarks in October 2023; the report gives no exact day
        appearances=(("let-us-down", NIGHT_BEFORE),),
        steps=(
            Assign("editor", "reviewer2", due_in_days=1),
            AddEvidence(
                "reviewer2",
                "axios",
                Stance.SUPPORTS,
                ISRAELI_OFFICIAL,
                note="A senior Israeli defense official, speaking to Axios.",
            ),
            RetractEvidence(
                "reviewer2",
                "axios",
                Stance.SUPPORTS,
                "Added with the wrong stance: the Israeli official's account contradicts the "
                "claim. Re-added as contradicting.",
            ),
            AddEvidence(
                "reviewer2",
                "axios",
                Stance.CONTRADICTS,
                ISRAELI_OFFICIAL,
                note="A senior Israeli defense official, speaking to Axios.",
            ),
            ChangeState(
                "reviewer2",
                ReviewState.DISPUTED,
                "Only Trump describes a last-minute Israeli withdrawal; a senior Israeli defense "
                "official says Israel offered a bigger role and the US chose to strike alone.",
            ),
            Complete("reviewer2", "reviewer2", note="Disputed on the Israeli official's account."),
        ),
    ),
    DemoClaim(
        opened_days_ago=19,
        text="Israel offered its forces a bigger part in the strike, but the US insisted on "
        "carrying it out itself.",
        claimant="Senior Israeli defense official",
        claimed_on=AXIOS_DAY,
        appearances=(("axios", ISRAELI_OFFICIAL),),
        steps=(
            Assign("editor", "reviewer", due_in_days=3),
            AddEvidence(
                "reviewer",
                "axios",
                Stance.SUPPORTS,
                "The former senior U.S. official said Trump's anger wasn't totally warranted",
                note="A former senior US official, also speaking to Axios.",
            ),
            ChangeState(
                "reviewer",
                ReviewState.CORROBORATED,
                "A former senior US official also doubts that Trump's grievance is warranted.",
            ),
            Complete("reviewer", "reviewer"),
            AddEvidence(
                "editor",
                "let-us-down",
                Stance.CONTRADICTS,
                NIGHT_BEFORE,
                note="Trump's account: Israel pulled out rather than being kept out.",
            ),
            ChangeState(
                "editor",
                ReviewState.UNVERIFIED,
                "Reopened: Trump's October 2023 account contradicts this, and the support so far "
                "is one unnamed official. Needs a second review.",
                correction_note="We withdrew this verdict: it rested on one unnamed official, and "
                "Trump's own later account contradicts it. It is under review again.",
            ),
            Assign("editor", "reviewer2", due_in_days=5),
            AddComment(
                "editor",
                "@reviewer2 this one is yours now: start from Trump's October 2023 account, the "
                "contradicting link.",
            ),
        ),
    ),
    DemoClaim(
        opened_days_ago=40,
        text="Israeli intelligence helped the US track Soleimani, including his mobile phone.",
        claimant="Yahoo News (as reported by Axios)",
        claimed_on=AXIOS_DAY,
        appearances=(
            (
                "axios",
                "Israel also provided the U.S. with key intelligence support, including tracking "
                "Soleimani's cellphone, Yahoo News reported.",
            ),
        ),
        steps=(
            AddEvidence(
                "editor",
                "axios",
                Stance.SUPPORTS,
                "Israel also provided the U.S. with key intelligence support, including tracking "
                "Soleimani's cellphone",
                note="Axios, citing Yahoo News.",
            ),
            AddEvidence(
                "editor",
                "let-us-down",
                Stance.SUPPORTS,
                "It was us and Israel, working as a group",
                note="Trump, describing how Soleimani was located.",
            ),
            ChangeState(
                "editor",
                ReviewState.CORROBORATED,
                "Axios (citing Yahoo News) reports Israeli intelligence help, and Trump himself "
                "describes the tracking as joint US-Israeli work.",
            ),
        ),
    ),
    DemoClaim(
        opened_days_ago=26,
        text="Netanyahu was willing to let American soldiers do the fighting against Iran.",
        claimant="Donald Trump (as relayed by a former senior Trump administration official)",
        claimed_on=AXIOS_DAY,
        appearances=(("axios", "willing to fight Iran to the last American soldier"),),
        steps=(
            AddEvidence(
                "editor",
                "axios",
                Stance.CONTRADICTS,
                ISRAELI_OFFICIAL,
                note="A senior Israeli defense official, speaking to Axios.",
            ),
            ChangeState(
                "editor",
                ReviewState.DISPUTED,
                "In the very operation Trump complained about, Israel says it offered its own "
                "forces a bigger role.",
            ),
        ),
    ),
    DemoClaim(
        opened_days_ago=12,
        text="Soleimani was in Iraq to meet militia leaders and plan attacks on US targets.",
        claimant="Donald Trump",
        claimed_on=AXIOS_DAY,
        appearances=(
            (
                "axios",
                "Trump claimed in our interview that the Iranian general was in Iraq to meet with "
                "militia commanders and plan attacks against U.S. targets.",
            ),
            (
                "let-us-down",
                "was reportedly planning strikes on US military sites across the Middle East",
            ),
        ),
        steps=(
            AddEvidence(
                "editor",
                "let-us-down",
                Stance.SUPPORTS,
                "was reportedly planning strikes on US military sites across the Middle East",
                note="Unattributed (“reportedly”); names no source.",
            ),
            Assign("editor", "reviewer2", due_in_days=4),
            Withdraw(
                "editor",
                "reviewer2",
                "Reassigned: Rosa is taking the claims about Israel's role.",
            ),
            Assign("editor", "reviewer", due_in_days=3),  # overdue by the time the demo loads
            Propose(
                "reviewer",
                ReviewState.CORROBORATED,
                "Trump said so and the October 2023 report repeats it.",
            ),
            Return(
                "chief",
                "The only support is unattributed (“reportedly”) and repeats Trump: find a named "
                "source before we publish this.",
            ),
            AddComment(
                "reviewer",
                "@chief I have asked the Pentagon's press office whether anyone on the record "
                "said this at the time.",
            ),
            AddComment(
                "chief",
                "Good. Their releases from that week are listed at "
                "https://www.defense.gov/News/Releases/ if they point you there.",
            ),
        ),
    ),
    DemoClaim(
        opened_days_ago=5,
        text="Vice President Pence and other senior US officials praised Israel's part in the "
        "Soleimani killing.",
        claimant="Former senior Israeli official",
        claimed_on=AXIOS_DAY,
        appearances=(
            (
                "axios",
                "other senior members of the Trump administration, including Vice President "
                "Pence, had expressed appreciation for the Israeli role",
            ),
        ),
        steps=(
            Assign("editor", "reviewer", due_in_days=10),
            AddEvidence(
                "reviewer",
                "axios",
                Stance.SUPPORTS,
                "had expressed appreciation for the Israeli role",
                note="A former senior Israeli official, speaking to Axios.",
            ),
            Propose(
                "reviewer",
                ReviewState.CORROBORATED,
                "The official's account is specific, and nothing we found contradicts it.",
            ),
        ),
    ),
    DemoClaim(
        opened_days_ago=56,
        text="Netanyahu tried to make amends with Trump at the Abraham Accords signing in "
        "September 2020.",
        claimant="Former White House official",
        claimed_on=AXIOS_DAY,
        appearances=(
            (
                "axios",
                "Netanyahu tried to pull Trump aside to make amends when he visited the White "
                "House in September 2020",
            ),
        ),
        steps=(
            ReviewIndependently("editor"),
            Assign("editor", "reviewer"),
            Assign("editor", "reviewer2"),
            AddEvidence(
                "editor",
                "axios",
                Stance.SUPPORTS,
                "Netanyahu tried to pull Trump aside to make amends",
                note="A former White House official, speaking to Axios.",
            ),
            AddEvidence(
                "editor",
                "let-us-down",
                Stance.CONTRADICTS,
                "I'll never forget that Bibi Netanyahu let us down",
                note="Trump in October 2023: no sign that any amends were taken.",
            ),
            Propose(
                "reviewer",
                ReviewState.CORROBORATED,
                "The claim is that he tried; the former official saw the attempt.",
            ),
            Propose(
                "reviewer2",
                ReviewState.DISPUTED,
                "One unnamed official, and Trump's own later words show no reconciliation.",
            ),
        ),
    ),
    DemoClaim(
        opened_days_ago=4,
        text="Trump has said more than once that Israel let him down over the Soleimani strike.",
        claimant="Barak Ravid (Axios)",
        claimed_on=AXIOS_DAY,
        appearances=(
            ("axios", "Israel did not do the right thing"),
            ("let-us-down", "I'll never forget that Bibi Netanyahu let us down"),
        ),
        steps=(
            AddEvidence(
                "editor",
                "axios",
                Stance.SUPPORTS,
                "I was very disappointed in Israel having to do with that event.",
                note="Trump, interviewed for Barak Ravid's book in July 2021.",
            ),
            AddEvidence(
                "editor",
                "let-us-down",
                Stance.SUPPORTS,
                "I'll never forget that Bibi Netanyahu let us down",
                note="Trump, speaking at Mar-a-Lago in October 2023.",
            ),
            ChangeState(
                "editor",
                ReviewState.CORROBORATED,
                "Trump said it to Axios in 2021 and again in public in October 2023.",
            ),
        ),
    ),
)
