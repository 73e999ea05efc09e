"""Signed checkpoints of the audit log: made and written out of the database's reach, and a
rewrite that recomputes every hash caught through them, by the database's own checkpoints or
by a checkpoint file kept elsewhere."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from claims import services
from claims.audit import checkpoints, merkle
from claims.audit.chain import compute_hash
from claims.audit.signing import (
    TreeHead,
    new_private_key_text,
    private_key_from,
    public_key_text,
    signature_holds,
)
from claims.models import AuditCheckpoint, AuditEvent, AuditLogEntry, AuditTrailIsAppendOnly, Claim
from tests.conftest import add_evidence, postgres_only
from tests.factories import SourceFactory

from .conftest import KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(settings, tmp_path):
    """The audit tests' key (conftest), with each checkpoint also written to a folder."""
    settings.AUDIT_SIGNING_KEY = KEY
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return tmp_path / "checkpoints"


@pytest.fixture
def desk(assigned_claim, reviewer, editor):
    """Two claims with seven events between them."""
    for number in range(3):
        add_evidence(assigned_claim, reviewer, url=f"https://stats.example/table-{number}")
    other = services.claim_create(
        actor=editor,
        text="A second claim.",
        claimant="Someone Else",
        appearances=[services.AppearanceInput(SourceFactory(), "said so")],
    )
    return assigned_claim, other


def checkpoint_now(*args) -> dict:
    out = StringIO()
    call_command("audit_checkpoint", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def verify(*args) -> tuple[str, str | None]:
    """verify_audit's output and, when it fails, its summary."""
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as failure:
        return out.getvalue(), str(failure)
    return out.getvalue(), None


def rewrite_history(claim: Claim, sequence: int, **data_changes) -> None:
    """What someone with write access to the database does: change an event's data, then
    recompute that event's hash, every later hash of the claim's chain and the claim's head,
    so that every chain checks out again."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("ALTER TABLE claims_auditevent DISABLE TRIGGER USER")
        previous = ""
        for event in AuditEvent.objects.filter(claim_id=claim.pk).order_by("sequence"):
            data = {**event.data, **data_changes} if event.sequence == sequence else event.data
            new_hash = compute_hash(
                claim_id=event.claim_id,
                sequence=event.sequence,
                action=event.action,
                actor_id=event.actor_id,
                actor_name=event.actor_name,
                created_at=event.created_at,
                data=data,
                previous_hash=previous,
            )
            cursor.execute(
                "UPDATE claims_auditevent SET data = %s, previous_hash = %s, hash = %s "
                "WHERE id = %s",
                [json.dumps(data), previous, new_hash, event.pk],
            )
            previous = new_hash
        cursor.execute(
            "UPDATE claims_claim SET audit_head = %s WHERE id = %s", [previous, claim.pk]
        )
        if postgres:
            cursor.execute("ALTER TABLE claims_auditevent ENABLE TRIGGER USER")


def test_a_checkpoint_signs_the_logs_head_and_is_written_outside_the_database(signing, desk):
    published = checkpoint_now()

    events = AuditEvent.objects.count()
    assert published["tree_size"] == events == AuditLogEntry.objects.count()
    leaves = [
        merkle.leaf_hash(bytes.fromhex(h))
        for h in AuditEvent.objects.order_by("id").values_list("hash", flat=True)
    ]
    assert published["root_hash"] == merkle.root(leaves).hex()
    [written] = signing.iterdir()
    assert json.loads(written.read_text()) == published
    head = TreeHead(
        published["origin"],
        published["tree_size"],
        bytes.fromhex(published["root_hash"]),
        AuditCheckpoint.objects.get().created_at,
    )
    public = private_key_from(KEY).public_key()
    assert head.text().decode() == published["signed_text"]
    assert signature_holds(head, published["signature"], public)
    assert not signature_holds(
        head, published["signature"], private_key_from(new_private_key_text()).public_key()
    )


def test_nothing_is_signed_until_the_log_grows(signing, desk, reviewer):
    checkpoint_now()
    err = StringIO()
    call_command("audit_checkpoint", stdout=StringIO(), stderr=err)
    assert "has not grown" in err.getvalue()
    assert AuditCheckpoint.objects.count() == 1

    claim, _other = desk
    add_evidence(claim, reviewer, url="https://stats.example/later")
    later = checkpoint_now()
    assert later["tree_size"] == AuditEvent.objects.count()
    # Resumed from the stored frontier, the root is the one a full recomputation gives.
    leaves = [
        merkle.leaf_hash(bytes.fromhex(h))
        for h in AuditEvent.objects.order_by("id").values_list("hash", flat=True)
    ]
    assert later["root_hash"] == merkle.root(leaves).hex()
    out, failure = verify()
    assert failure is None, out
    assert "consistent with 2 signed checkpoint(s)" in out


def test_a_rewrite_with_every_hash_recomputed_is_caught_through_the_checkpoint(signing, desk):
    claim, _other = desk
    checkpoint_now()
    assert verify()[1] is None

    rewrite_history(claim, 3, url="https://forged.example/")

    out, failure = verify()
    assert "BROKEN" not in out  # every chain recomputes...
    assert "REWRITTEN" in out  # ...but the log no longer folds to the root that was signed
    assert "history older than the checkpoint was rewritten" in out
    assert failure.startswith("Audit log rewritten")


def test_a_checkpoint_file_kept_elsewhere_catches_what_the_database_no_longer_shows(
    signing, desk, tmp_path
):
    claim, _other = desk
    published = checkpoint_now()
    kept = tmp_path / "kept-by-a-partner.json"
    kept.write_text(json.dumps(published))
    # The rewriter also removes the database's checkpoints.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE claims_auditcheckpoint DISABLE TRIGGER USER")
        cursor.execute("DELETE FROM claims_auditcheckpoint")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE claims_auditcheckpoint ENABLE TRIGGER USER")
    rewrite_history(claim, 2, note="forged")

    assert verify()[1] is None  # nothing left in the database to tell
    out, failure = verify("--checkpoint", str(kept))
    assert f"{kept}: the first {published['tree_size']:,} events no longer hash" in out
    assert failure is not None


def test_a_checkpoint_signed_with_another_key_is_named(signing, desk, tmp_path):
    published = checkpoint_now()
    forged = {**published, "signature": published["signature"][::-1]}
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    out, failure = verify("--checkpoint", str(path))
    assert f"{path}: the signature does not match what it states" in out
    assert failure is not None

    stranger = private_key_from(new_private_key_text()).public_key()
    unknown = {**published, "key_id": "0123456789abcdef"}
    path.write_text(json.dumps(unknown))
    out, _failure = verify("--checkpoint", str(path), "--public-key", public_key_text(stranger))
    assert "signed by key 0123456789abcdef, which is not known here" in out


def test_events_added_after_a_checkpoint_extend_it_consistently(signing, desk, reviewer):
    claim, _other = desk
    checkpoint_now()
    for number in range(5):
        add_evidence(claim, reviewer, url=f"https://stats.example/more-{number}")
    checkpoints.extend_log()
    report = checkpoints.verify_checkpoints()
    assert report.problems == []
    assert report.size == AuditEvent.objects.count()
    assert report.proof_length > 0


def test_the_worker_job_checkpoints_only_with_a_key_and_a_grown_log(settings, desk, tmp_path):
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = ""
    checkpoints.periodic_checkpoint()
    assert not AuditCheckpoint.objects.exists()

    key_file = tmp_path / "audit.key"
    key_file.write_text(KEY)
    settings.AUDIT_SIGNING_KEY_FILE = str(key_file)
    settings.AUDIT_CHECKPOINT_DIR = ""
    checkpoints.periodic_checkpoint()
    checkpoints.periodic_checkpoint()
    assert AuditCheckpoint.objects.count() == 1
    assert "periodic_checkpoint" in settings.FACTCHECK_PERIODIC_JOBS["audit_checkpoint"]["function"]


def test_the_log_and_its_checkpoints_refuse_changes_through_the_orm(signing, desk):
    checkpoint_now()
    checkpoint = AuditCheckpoint.objects.get()
    entry = AuditLogEntry.objects.first()
    for attempt in (
        lambda: AuditCheckpoint.objects.update(tree_size=1),
        lambda: AuditCheckpoint._base_manager.update(tree_size=1),
        lambda: AuditLogEntry._base_manager.all().delete(),
        lambda: AuditEvent._base_manager.update(action="claim.edited"),
        checkpoint.delete,
        entry.delete,
        lambda: checkpoint.save(),
        lambda: AuditEvent.objects.first().save(force_update=True),
    ):
        with pytest.raises((AuditTrailIsAppendOnly, ValueError)):
            attempt()


@postgres_only
@pytest.mark.parametrize(
    "table",
    ["claims_auditevent", "claims_auditlogentry", "claims_auditcheckpoint", "claims_audittile"],
)
def test_postgresql_refuses_truncate_of_the_audit_tables(signing, desk, table):
    checkpoint_now()
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.exists()


def test_the_key_command_prints_the_public_key_and_makes_new_keys(signing):
    out = StringIO()
    call_command("audit_key", stdout=out)
    assert out.getvalue().split()[0] == public_key_text(private_key_from(KEY).public_key())
    out = StringIO()
    call_command("audit_key", "--new", stdout=out)
    line = out.getvalue().splitlines()[0]
    assert line.startswith("AUDIT_SIGNING_KEY=")
    private_key_from(line.split("=", 1)[1])  # a key the setting takes


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_readmes_app_role_signs_checkpoints_but_cannot_rewrite_history(settings):
    """As the README's deployment grants it: every table's rows but none of the audit tables'
    UPDATE, DELETE or TRUNCATE. Such a role still extends the log and signs (an advisory lock,
    not LOCK TABLE), and is refused any change to the history by the database itself."""
    import uuid

    from tests.conftest import restore_roles
    from tests.factories import EditorFactory

    settings.AUDIT_SIGNING_KEY = KEY
    settings.AUDIT_CHECKPOINT_DIR = ""
    restore_roles()
    editor = EditorFactory()
    services.claim_create(
        actor=editor,
        text="A claim.",
        claimant="Someone",
        appearances=[services.AppearanceInput(SourceFactory(), "said")],
    )
    role = f"factcheck_app_{uuid.uuid4().hex[:8]}"
    audit_tables = (
        "claims_auditevent, claims_auditlogentry, claims_auditcheckpoint, claims_audittile"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {audit_tables} FROM {role}")
        cursor.execute(f"SET ROLE {role}")
    try:
        assert checkpoints.make_checkpoint() is not None
        for statement in (
            "UPDATE claims_auditevent SET actor_name = 'x'",
            "DELETE FROM claims_auditlogentry",
            "DELETE FROM claims_auditcheckpoint",
            "TRUNCATE claims_auditevent CASCADE",
        ):
            with (
                pytest.raises(DatabaseError, match="permission denied"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")
    assert verify()[1] is None
