"""The SQL with which the database itself guards the audit trail and keeps derived data in step.

No library serves: django-pgtrigger and its kin speak only PostgreSQL, and the tally, open
reviews and search triggers must hold on SQLite too, so both dialects are written by hand here.

Triggers rather than service code because claims and assignments are also written in bulk
(``seed_bulk``, imports) and by test factories: the database is the one place every write passes.
The migrations named beside each text run it, and nothing else does. A text here is what an
applied migration ran: changing it would change history, not the databases already migrated. A
different trigger is a new migration with a new constant; the old constant stays for its old one.

What stays in the migrations themselves: one-off fills of existing rows, column additions and
indexes. They run once and have no behaviour to look up, as any ``AddIndex`` migration does.
"""

# The audit trail (migration 0003) -----------------------------------------------------------
# PostgreSQL only: SQLite has no equivalent that would still let the test runner flush tables,
# so there the ORM's refusal (``AuditEventQuerySet``) is the guard.

AUDIT_APPEND_ONLY_PG = """
CREATE OR REPLACE FUNCTION claims_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'claims_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_auditevent_append_only
    BEFORE UPDATE OR DELETE ON claims_auditevent
    FOR EACH ROW EXECUTE FUNCTION claims_auditevent_append_only();
"""

AUDIT_APPEND_ONLY_PG_DROP = """
DROP TRIGGER IF EXISTS claims_auditevent_append_only ON claims_auditevent;
DROP FUNCTION IF EXISTS claims_auditevent_append_only();
"""


# The Merkle log and its checkpoints (migration 0025) ----------------------------------------
# PostgreSQL: the log's tables are append-only like the events, and TRUNCATE, which no row
# trigger sees, is refused on all three by a statement trigger. Only the tables' owner can
# disable it (the test runner does, to empty the tables between transactional tests); the
# README's deployment runs the app as a role that owns nothing.

AUDIT_LOG_GUARDS_PG = """
CREATE OR REPLACE FUNCTION claims_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_auditlogentry_append_only
    BEFORE UPDATE OR DELETE ON claims_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION claims_audit_log_append_only();
CREATE TRIGGER claims_auditcheckpoint_append_only
    BEFORE UPDATE OR DELETE ON claims_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION claims_audit_log_append_only();

CREATE TRIGGER claims_auditevent_no_truncate
    BEFORE TRUNCATE ON claims_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION claims_audit_log_append_only();
CREATE TRIGGER claims_auditlogentry_no_truncate
    BEFORE TRUNCATE ON claims_auditlogentry
    FOR EACH STATEMENT EXECUTE FUNCTION claims_audit_log_append_only();
CREATE TRIGGER claims_auditcheckpoint_no_truncate
    BEFORE TRUNCATE ON claims_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION claims_audit_log_append_only();
"""

AUDIT_LOG_GUARDS_PG_DROP = """
DROP TRIGGER IF EXISTS claims_auditcheckpoint_no_truncate ON claims_auditcheckpoint;
DROP TRIGGER IF EXISTS claims_auditlogentry_no_truncate ON claims_auditlogentry;
DROP TRIGGER IF EXISTS claims_auditevent_no_truncate ON claims_auditevent;
DROP TRIGGER IF EXISTS claims_auditcheckpoint_append_only ON claims_auditcheckpoint;
DROP TRIGGER IF EXISTS claims_auditlogentry_append_only ON claims_auditlogentry;
DROP FUNCTION IF EXISTS claims_audit_log_append_only();
"""

# The tiles (migration 0026): append-only, and no TRUNCATE, like the log they summarize.
AUDIT_TILE_GUARDS_PG = """
CREATE TRIGGER claims_audittile_append_only
    BEFORE UPDATE OR DELETE ON claims_audittile
    FOR EACH ROW EXECUTE FUNCTION claims_audit_log_append_only();
CREATE TRIGGER claims_audittile_no_truncate
    BEFORE TRUNCATE ON claims_audittile
    FOR EACH STATEMENT EXECUTE FUNCTION claims_audit_log_append_only();
"""

AUDIT_TILE_GUARDS_PG_DROP = """
DROP TRIGGER IF EXISTS claims_audittile_no_truncate ON claims_audittile;
DROP TRIGGER IF EXISTS claims_audittile_append_only ON claims_audittile;
"""

# The statement triggers above, by table: what the test runner turns off to flush.
AUDIT_NO_TRUNCATE_TRIGGERS = {
    "claims_auditevent": "claims_auditevent_no_truncate",
    "claims_auditlogentry": "claims_auditlogentry_no_truncate",
    "claims_auditcheckpoint": "claims_auditcheckpoint_no_truncate",
    "claims_audittile": "claims_audittile_no_truncate",
}

# Claim search (migrations 0005 and 0008) ----------------------------------------------------
# ``claims.search`` queries what these keep: the FTS5 table ``claims_claim_fts`` on SQLite, the
# stored ``search_document`` column on PostgreSQL. Both read text and claimant with the same
# word rules (unicode61 without diacritics; the 'simple' configuration).

CLAIM_FTS_SQLITE = [
    """CREATE VIRTUAL TABLE claims_claim_fts USING fts5(
        text, claimant, content='claims_claim', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER claims_claim_fts_insert AFTER INSERT ON claims_claim BEGIN
        INSERT INTO claims_claim_fts(rowid, text, claimant)
        VALUES (new.id, new.text, new.claimant);
    END""",
    """CREATE TRIGGER claims_claim_fts_delete AFTER DELETE ON claims_claim BEGIN
        INSERT INTO claims_claim_fts(claims_claim_fts, rowid, text, claimant)
        VALUES ('delete', old.id, old.text, old.claimant);
    END""",
    """CREATE TRIGGER claims_claim_fts_update AFTER UPDATE OF text, claimant ON claims_claim BEGIN
        INSERT INTO claims_claim_fts(claims_claim_fts, rowid, text, claimant)
        VALUES ('delete', old.id, old.text, old.claimant);
        INSERT INTO claims_claim_fts(rowid, text, claimant)
        VALUES (new.id, new.text, new.claimant);
    END""",
]
CLAIM_FTS_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_claim_fts_insert",
    "DROP TRIGGER IF EXISTS claims_claim_fts_delete",
    "DROP TRIGGER IF EXISTS claims_claim_fts_update",
    "DROP TABLE IF EXISTS claims_claim_fts",
]

# Not a trigger but PostgreSQL's way to the same end: a generated column is computed on every
# write, whoever writes. The model does not declare it, so Django never writes or reads it.
SEARCH_DOCUMENT_PG = [
    "ALTER TABLE claims_claim ADD COLUMN search_document tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, coalesce(text, '') || ' ' || coalesce(claimant, ''))"
    ") STORED",
    "CREATE INDEX claims_claim_document_idx ON claims_claim USING GIN (search_document)",
]
SEARCH_DOCUMENT_PG_DROP = [
    "DROP INDEX IF EXISTS claims_claim_document_idx",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document",
]


# The per-state tally (migration 0007) -------------------------------------------------------
# On PostgreSQL each change first locks every tally row in state order, so two transactions
# moving claims between the same states queue up instead of deadlocking on each other's rows.

STATE_TALLY_SQLITE = [
    """CREATE TRIGGER claims_statetally_insert AFTER INSERT ON claims_claim BEGIN
        INSERT INTO claims_statetally(state, claims) VALUES (new.state, 1)
        ON CONFLICT(state) DO UPDATE SET claims = claims + 1;
    END""",
    """CREATE TRIGGER claims_statetally_delete AFTER DELETE ON claims_claim BEGIN
        UPDATE claims_statetally SET claims = claims - 1 WHERE state = old.state;
    END""",
    """CREATE TRIGGER claims_statetally_update AFTER UPDATE OF state ON claims_claim
    WHEN old.state IS NOT new.state BEGIN
        UPDATE claims_statetally SET claims = claims - 1 WHERE state = old.state;
        INSERT INTO claims_statetally(state, claims) VALUES (new.state, 1)
        ON CONFLICT(state) DO UPDATE SET claims = claims + 1;
    END""",
]
STATE_TALLY_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_statetally_insert",
    "DROP TRIGGER IF EXISTS claims_statetally_delete",
    "DROP TRIGGER IF EXISTS claims_statetally_update",
]
STATE_TALLY_PG = [
    """CREATE FUNCTION claims_statetally_count() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM claims_statetally ORDER BY state FOR UPDATE;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE claims_statetally SET claims = claims - 1 WHERE state = OLD.state;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            INSERT INTO claims_statetally(state, claims) VALUES (NEW.state, 1)
            ON CONFLICT (state) DO UPDATE SET claims = claims_statetally.claims + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_statetally_insert_delete AFTER INSERT OR DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_statetally_count()""",
    """CREATE TRIGGER claims_statetally_update AFTER UPDATE OF state ON claims_claim
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION claims_statetally_count()""",
]
STATE_TALLY_PG_DROP = [
    "DROP TRIGGER IF EXISTS claims_statetally_insert_delete ON claims_claim",
    "DROP TRIGGER IF EXISTS claims_statetally_update ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_statetally_count()",
]


# Each claim's open reviews and next due date (migration 0010) -------------------------------
# Each change recounts the affected claims' open assignments from the (claim, status, due_on)
# index: a few index entries, whatever the size of the desk.

# The claim columns, recomputed from the assignment rows of the claims WHERE names. Migration
# 0010 also runs it once over the claims that already had open work.
OPEN_REVIEWS_REFRESH = """UPDATE claims_claim SET
    open_reviews = (
        SELECT COUNT(*) FROM claims_assignment AS a
        WHERE a.claim_id = claims_claim.id AND a.status = 'open'
    ),
    next_due_on = (
        SELECT MIN(a.due_on) FROM claims_assignment AS a
        WHERE a.claim_id = claims_claim.id AND a.status = 'open'
    )
WHERE {where}"""

OPEN_REVIEWS_SQLITE = [
    f"""CREATE TRIGGER claims_open_reviews_insert AFTER INSERT ON claims_assignment BEGIN
        {OPEN_REVIEWS_REFRESH.format(where="id = new.claim_id")};
    END""",
    f"""CREATE TRIGGER claims_open_reviews_update
    AFTER UPDATE OF status, due_on, claim_id ON claims_assignment BEGIN
        {OPEN_REVIEWS_REFRESH.format(where="id IN (old.claim_id, new.claim_id)")};
    END""",
    f"""CREATE TRIGGER claims_open_reviews_delete AFTER DELETE ON claims_assignment BEGIN
        {OPEN_REVIEWS_REFRESH.format(where="id = old.claim_id")};
    END""",
]
OPEN_REVIEWS_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_open_reviews_insert",
    "DROP TRIGGER IF EXISTS claims_open_reviews_update",
    "DROP TRIGGER IF EXISTS claims_open_reviews_delete",
]
OPEN_REVIEWS_PG = [
    f"""CREATE FUNCTION claims_open_reviews_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        claim_ids bigint[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            claim_ids := ARRAY[NEW.claim_id];
        ELSIF TG_OP = 'DELETE' THEN
            claim_ids := ARRAY[OLD.claim_id];
        ELSE
            claim_ids := ARRAY[OLD.claim_id, NEW.claim_id];
        END IF;
        {OPEN_REVIEWS_REFRESH.format(where="id = ANY(claim_ids)")};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_open_reviews_insert_delete
    AFTER INSERT OR DELETE ON claims_assignment
    FOR EACH ROW EXECUTE FUNCTION claims_open_reviews_refresh()""",
    """CREATE TRIGGER claims_open_reviews_update
    AFTER UPDATE OF status, due_on, claim_id ON claims_assignment
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR OLD.due_on IS DISTINCT FROM NEW.due_on
        OR OLD.claim_id IS DISTINCT FROM NEW.claim_id
    )
    EXECUTE FUNCTION claims_open_reviews_refresh()""",
]
OPEN_REVIEWS_PG_DROP = [
    "DROP TRIGGER IF EXISTS claims_open_reviews_insert_delete ON claims_assignment",
    "DROP TRIGGER IF EXISTS claims_open_reviews_update ON claims_assignment",
    "DROP FUNCTION IF EXISTS claims_open_reviews_refresh()",
]


# The stages of each verdict (migration 0019) ------------------------------------------------
# ``claims_stagespan`` holds, for each claim, its first proposal and its first publication, each
# from the claim's creation, and each proposal signed off, from its proposal: recomputed from
# the proposal and publication rows of the claim (or the proposal) a change touches, a few index
# entries whatever the size of the desk. Migration 0019 also fills it once from the rows there.

SECONDS_SQLITE = "CAST(round((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"
SECONDS_PG = "round(EXTRACT(EPOCH FROM ({end} - {start})))::bigint"

# The spans of the rows WHERE names, by stage; {seconds} is the dialect's seconds between the two
# columns it is given. A claim's first proposal is never a correction: those follow a publication.
_STAGE_SPANS = {
    "proposal": """INSERT INTO claims_stagespan
        (stage, claim_id, person_id, proposal_id, started_at, ended_at, seconds)
    SELECT 'proposal', p.claim_id, p.proposed_by_id, NULL, c.created_at, p.proposed_at, {seconds}
    FROM claims_proposal AS p JOIN claims_claim AS c ON c.id = p.claim_id
    WHERE NOT p.is_correction AND NOT EXISTS (
        SELECT 1 FROM claims_proposal AS e WHERE e.claim_id = p.claim_id
        AND (e.proposed_at < p.proposed_at OR (e.proposed_at = p.proposed_at AND e.id < p.id))
    ) AND {where}""",
    "signoff": """INSERT INTO claims_stagespan
        (stage, claim_id, person_id, proposal_id, started_at, ended_at, seconds)
    SELECT 'signoff', p.claim_id, p.proposed_by_id, p.id, p.proposed_at, p.decided_at, {seconds}
    FROM claims_proposal AS p WHERE p.status = 'approved' AND {where}""",
    "publication": """INSERT INTO claims_stagespan
        (stage, claim_id, person_id, proposal_id, started_at, ended_at, seconds)
    SELECT 'publication', u.claim_id, u.proposed_by_id, NULL, c.created_at, u.published_at,
        {seconds}
    FROM claims_publication AS u JOIN claims_claim AS c ON c.id = u.claim_id
    WHERE NOT u.is_correction AND NOT EXISTS (
        SELECT 1 FROM claims_publication AS e WHERE e.claim_id = u.claim_id AND NOT e.is_correction
        AND (e.published_at < u.published_at OR (e.published_at = u.published_at AND e.id < u.id))
    ) AND {where}""",
}
_SPAN_ENDS = {
    "proposal": ("p.proposed_at", "c.created_at"),
    "signoff": ("p.decided_at", "p.proposed_at"),
    "publication": ("u.published_at", "c.created_at"),
}
# What a change recomputes first: the claim's span of its stage (the proposal's, for a sign-off).
_STAGE_SPANS_CLEARED = {
    "proposal": "DELETE FROM claims_stagespan WHERE claim_id = {row}.claim_id "
    "AND stage = 'proposal'",
    "signoff": "DELETE FROM claims_stagespan WHERE claim_id = {row}.claim_id "
    "AND stage = 'signoff' AND proposal_id = {row}.id",
    "publication": "DELETE FROM claims_stagespan WHERE claim_id = {row}.claim_id "
    "AND stage = 'publication'",
}


def _stage_spans(seconds: str) -> dict[str, str]:
    """Each stage's INSERT in one dialect, with {where} left to fill."""
    return {
        stage: sql.format(
            seconds=seconds.format(end=_SPAN_ENDS[stage][0], start=_SPAN_ENDS[stage][1]),
            where="{where}",
        )
        for stage, sql in _STAGE_SPANS.items()
    }


STAGE_SPANS_SQLITE = _stage_spans(SECONDS_SQLITE)
STAGE_SPANS_PG = _stage_spans(SECONDS_PG)


def _refresh(spans: dict[str, str], stage: str, row: str, where: str) -> str:
    """Clear and write again the span of ``stage`` that the trigger's ``row`` (new) touches."""
    cleared = _STAGE_SPANS_CLEARED[stage].format(row=row)
    return f"{cleared};\n        {spans[stage].format(where=where)};"


STAGE_SPANS_TRIGGERS_SQLITE = [
    f"""CREATE TRIGGER claims_stagespan_first_proposal AFTER INSERT ON claims_proposal
    WHEN NOT new.is_correction BEGIN
        {_refresh(STAGE_SPANS_SQLITE, "proposal", "new", "p.claim_id = new.claim_id")}
    END""",
    f"""CREATE TRIGGER claims_stagespan_signoff_insert AFTER INSERT ON claims_proposal
    WHEN new.status = 'approved' BEGIN
        {_refresh(STAGE_SPANS_SQLITE, "signoff", "new", "p.id = new.id")}
    END""",
    f"""CREATE TRIGGER claims_stagespan_signoff_update
    AFTER UPDATE OF status, proposed_at, decided_at ON claims_proposal
    WHEN old.status = 'approved' OR new.status = 'approved' BEGIN
        {_refresh(STAGE_SPANS_SQLITE, "signoff", "new", "p.id = new.id")}
    END""",
    f"""CREATE TRIGGER claims_stagespan_first_publication AFTER INSERT ON claims_publication
    WHEN NOT new.is_correction BEGIN
        {_refresh(STAGE_SPANS_SQLITE, "publication", "new", "u.claim_id = new.claim_id")}
    END""",
]
STAGE_SPANS_TRIGGERS_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS claims_stagespan_first_proposal",
    "DROP TRIGGER IF EXISTS claims_stagespan_signoff_insert",
    "DROP TRIGGER IF EXISTS claims_stagespan_signoff_update",
    "DROP TRIGGER IF EXISTS claims_stagespan_first_publication",
]
STAGE_SPANS_TRIGGERS_PG = [
    f"""CREATE FUNCTION claims_stagespan_proposal() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' AND NOT NEW.is_correction THEN
            {_refresh(STAGE_SPANS_PG, "proposal", "NEW", "p.claim_id = NEW.claim_id")}
        END IF;
        {_refresh(STAGE_SPANS_PG, "signoff", "NEW", "p.id = NEW.id")}
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_stagespan_proposal_insert AFTER INSERT ON claims_proposal
    FOR EACH ROW EXECUTE FUNCTION claims_stagespan_proposal()""",
    """CREATE TRIGGER claims_stagespan_proposal_update
    AFTER UPDATE OF status, proposed_at, decided_at ON claims_proposal
    FOR EACH ROW WHEN (OLD.status = 'approved' OR NEW.status = 'approved')
    EXECUTE FUNCTION claims_stagespan_proposal()""",
    f"""CREATE FUNCTION claims_stagespan_publication() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_refresh(STAGE_SPANS_PG, "publication", "NEW", "u.claim_id = NEW.claim_id")}
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_stagespan_first_publication AFTER INSERT ON claims_publication
    FOR EACH ROW WHEN (NOT NEW.is_correction)
    EXECUTE FUNCTION claims_stagespan_publication()""",
]
STAGE_SPANS_TRIGGERS_PG_DROP = [
    "DROP TRIGGER IF EXISTS claims_stagespan_proposal_insert ON claims_proposal",
    "DROP TRIGGER IF EXISTS claims_stagespan_proposal_update ON claims_proposal",
    "DROP TRIGGER IF EXISTS claims_stagespan_first_publication ON claims_publication",
    "DROP FUNCTION IF EXISTS claims_stagespan_proposal()",
    "DROP FUNCTION IF EXISTS claims_stagespan_publication()",
]


# The search's tab counts (migration 0027) ---------------------------------------------------
# PostgreSQL: a narrow copy of what the queue's tabs count a search by (state, waiting for
# sign-off) beside the claim's search document (stripped of word positions, which a prefix
# match does not need), so counting a search's matches reads small rows instead of whole
# claims. Every heap page a match lies on must be read (GIN gives no index-only scans), and the
# narrow table's matches lie on far fewer pages.
# SQLite reads the same from a covering index on its own (``claims.search.count_by_tab``).

SEARCH_TABS_PG = [
    """CREATE TABLE claims_claim_search_tabs (
        claim_id bigint PRIMARY KEY,
        state varchar(20) NOT NULL,
        waiting boolean NOT NULL,
        document tsvector NOT NULL
    )""",
    """INSERT INTO claims_claim_search_tabs (claim_id, state, waiting, document)
    SELECT id, state, signoff_waiting_since IS NOT NULL, strip(search_document)
    FROM claims_claim""",
    """CREATE INDEX claims_claim_search_tabs_document_idx
    ON claims_claim_search_tabs USING GIN (document)""",
    """CREATE FUNCTION claims_claim_search_tabs_copy() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM claims_claim_search_tabs WHERE claim_id = OLD.id;
        ELSIF TG_OP = 'UPDATE' THEN
            UPDATE claims_claim_search_tabs
            SET state = NEW.state, waiting = NEW.signoff_waiting_since IS NOT NULL,
                document = strip(NEW.search_document)
            WHERE claim_id = NEW.id;
        ELSE
            INSERT INTO claims_claim_search_tabs (claim_id, state, waiting, document)
            VALUES (
                NEW.id, NEW.state, NEW.signoff_waiting_since IS NOT NULL,
                strip(NEW.search_document)
            );
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_claim_search_tabs_insert_delete AFTER INSERT OR DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_claim_search_tabs_copy()""",
    # Only when a copied value changes: most claim writes (evidence counts, the audit head) don't.
    """CREATE TRIGGER claims_claim_search_tabs_update AFTER UPDATE ON claims_claim
    FOR EACH ROW WHEN (
        OLD.state IS DISTINCT FROM NEW.state
        OR (OLD.signoff_waiting_since IS NULL) <> (NEW.signoff_waiting_since IS NULL)
        OR OLD.search_document IS DISTINCT FROM NEW.search_document
    ) EXECUTE FUNCTION claims_claim_search_tabs_copy()""",
    # TRUNCATE (the test runner's flush) passes no row trigger: empty the copy with the claims.
    """CREATE FUNCTION claims_claim_search_tabs_empty() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE claims_claim_search_tabs;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER claims_claim_search_tabs_truncate AFTER TRUNCATE ON claims_claim
    FOR EACH STATEMENT EXECUTE FUNCTION claims_claim_search_tabs_empty()""",
]
SEARCH_TABS_PG_DROP = [
    "DROP TRIGGER IF EXISTS claims_claim_search_tabs_truncate ON claims_claim",
    "DROP TRIGGER IF EXISTS claims_claim_search_tabs_update ON claims_claim",
    "DROP TRIGGER IF EXISTS claims_claim_search_tabs_insert_delete ON claims_claim",
    "DROP FUNCTION IF EXISTS claims_claim_search_tabs_empty()",
    "DROP FUNCTION IF EXISTS claims_claim_search_tabs_copy()",
    "DROP TABLE IF EXISTS claims_claim_search_tabs",
]
