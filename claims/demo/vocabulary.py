"""The words and phrases seeded claims are made of: people, outlets, subjects and reasons.

Content for benchmarks, not interface: like the demo desk's claims, it is written in English and
never translated.
"""

from claims.models import ReviewState

FIRST_NAMES = ("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Kira")
LAST_NAMES = ("Abbott", "Brandt", "Duarte", "Fischer", "Haddad", "Jensen", "Moreau", "Okafor")
TITLES = ("Senator", "Governor", "Mayor", "Minister", "Rep.", "CEO", "Dr.", "Commissioner")
OUTLETS = (
    "Daily Ledger",
    "Morning Post",
    "City Wire",
    "National Courier",
    "Evening Standard Times",
    "Public Broadcast News",
    "Harbor Gazette",
    "Capitol Report",
    "The Examiner",
    "Valley Herald",
)
EVIDENCE_SITES = (
    ("Statistics Office", "stats.gov.example"),
    ("Central Bank", "centralbank.example"),
    ("Newswire", "www.newswire.example"),
    ("Health Ministry", "health.gov.example"),
    ("Parliament Records", "records.parliament.example"),
    ("Budget Office", "budget.gov.example"),
    ("University Research Centre", "research.uni.example"),
    ("Court Records", "courts.example"),
    ("Fact Archive", "archive.factdesk.example"),
    ("Election Commission", "elections.example"),
    ("Daily Ledger", "www.dailyledger.example"),
    ("City Wire", "citywire.example"),
)
SUBJECTS = (
    ("unemployment", "%"),
    ("inflation", "%"),
    ("violent crime", "%"),
    ("the housing budget", " billion"),
    ("hospital waiting times", "%"),
    ("school funding", " million"),
    ("carbon emissions", "%"),
    ("the trade deficit", " billion"),
    ("public debt", " billion"),
    ("border crossings", "%"),
    ("electricity prices", "%"),
    ("teacher salaries", "%"),
)
VERBS = ("rose by", "fell by", "doubled to", "dropped to", "grew by", "was cut by", "reached")
TRANSCRIPT = ", according to the speech transcript."
PERIODS = ("last year", "since 2020", "this quarter", "in a decade", "under this government")
CORROBORATE_REASONS = (
    "Official figures match the claim within rounding.",
    "Two independent sources confirm the number.",
    "The published dataset supports the claim as stated.",
)
DISPUTE_REASONS = (
    "The official series shows the opposite trend.",
    "The figure cherry-picks a single month.",
    "The cited report does not say this.",
)
REOPEN_REASONS = (
    "New data was published; reviewing again.",
    "A reader pointed to a revised figure.",
)
# Public notes of corrections: a seeded desk publishes every verdict, so a later move corrects it.
CORRECTION_NOTES = (
    "We first relied on a figure the statistics office has since revised.",
    "An earlier version of this fact-check cited the wrong table of the report.",
    "A reader pointed us to the full series, which changes the verdict.",
)
RETRACT_REASONS = (
    "Link is to an outdated version of the report.",
    "Page no longer supports the stance; wrong table cited.",
    "Duplicate of a better primary source.",
)
RATIONALES = {
    ReviewState.CORROBORATED: CORROBORATE_REASONS,
    ReviewState.DISPUTED: DISPUTE_REASONS,
    ReviewState.UNVERIFIED: REOPEN_REASONS,
}
CLOSE_NOTES = ("", "", "Checked against the primary data.", "Verdict written up.")
WITHDRAW_REASONS = ("Reassigned to the economics desk.", "Reviewer on leave.")
# Sign-off: what an editor says approving or returning a proposal, a proposer withdrawing one,
# and the public note of a correction.
SIGNOFF_NOTES = ("", "", "", "Checked the links.", "Agreed; the primary source is clear.")
RETURN_NOTES = (
    "Cite the primary table, not the press release.",
    "The rationale does not say which year the figure is for.",
    "One of the links is to a draft; find the final report.",
)
PROPOSAL_WITHDRAW_REASONS = ("", "Proposed too early; more evidence is coming.")
CORRECTION_NOTES = (
    "An earlier version relied on a figure the agency has since revised.",
    "We misread the period the claim covers; the verdict is corrected.",
)
