"""A backup taken while evidence is being added restores into an empty database whose audit
trail verifies against the checkpoint taken before it."""

import json
import tarfile
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection

from claims import services
from claims.audit.signing import new_private_key_text, public_key_text, signing_key
from claims.models import AuditEvent, Stance
from tests.backups.conftest import manage


class EvidenceWriter(threading.Thread):
    """Adds evidence to a claim in a loop, on the thread's own connection, until stopped."""

    def __init__(self, claim, actor):
        super().__init__(daemon=True)
        self.claim, self.actor = claim, actor
        self.added = 0
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self):
        try:
            while not self.stop.is_set():
                try:
                    services.evidence_add(
                        actor=self.actor,
                        claim=self.claim,
                        stance=Stance.SUPPORTS,
                        url=f"https://evidence.example/{self.added}",
                    )
                    self.added += 1
                except OperationalError as error:
                    # SQLite's in-memory test database has no WAL: its table locks refuse a
                    # writer while the backup reads, where a WAL file would let it go on.
                    if connection.vendor != "sqlite":
                        raise
                    time.sleep(0.01)
                    self.failures.append(str(error))
        except Exception as error:
            self.failures.append(f"stopped: {error!r}")
            raise
        finally:
            connection.close()

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.added < count:
            assert self.is_alive(), self.failures
            assert time.monotonic() < deadline, f"only {self.added} writes in {timeout} s"
            time.sleep(0.01)


def event_count() -> int:
    """The audit events, counted while the writer writes. SQLite's in-memory test database
    refuses a read of a table another connection is writing ("database table is locked") at
    once, without waiting: the count tries again, as the writer does."""
    deadline = time.monotonic() + 10
    while True:
        try:
            return AuditEvent.objects.count()
        except OperationalError:
            if connection.vendor != "sqlite" or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


@pytest.fixture
def signing(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY = new_private_key_text()
    settings.AUDIT_CHECKPOINT_DIR = str(tmp_path / "checkpoints")
    return public_key_text(signing_key().public_key())


@pytest.fixture
def writer(roles_after_flush, claim, editor):
    thread = EvidenceWriter(claim, editor)
    yield thread
    thread.stop.set()
    thread.join(timeout=30)


@pytest.mark.parametrize("suffix", ["", ".tar"])
def test_a_backup_during_writes_restores_and_verifies(
    signing, writer, empty_database, tmp_path, suffix
):
    call_command("audit_checkpoint")
    signed = AuditEvent.objects.count()
    writer.start()
    writer.wait_for(3)
    before = event_count()
    backup = tmp_path / f"backup{suffix}"
    call_command("backup", str(backup))
    during = writer.added
    writer.wait_for(during + 3)  # the writes went on after the copy
    writer.stop.set()
    writer.join(timeout=30)
    assert not any(f.startswith("stopped") for f in writer.failures), writer.failures
    after = event_count()

    if suffix == ".tar":
        with tarfile.open(backup) as tar:
            names = tar.getnames()
            manifest = json.load(tar.extractfile("manifest.json"))
    else:
        names = [path.name for path in backup.iterdir()]
        manifest = json.loads((backup / "manifest.json").read_text())
    assert {"manifest.json", "checkpoints", manifest["database_file"]} <= set(names)
    assert manifest["vendor"] == connection.vendor
    assert before <= manifest["events"] < after  # one moment amid the writes
    assert manifest["claims"] == 1
    assert manifest["migrations"]["claims"].startswith("00")
    assert manifest["checkpoint"]["tree_size"] == signed
    assert len(manifest["checkpoint_files"]) == 1

    restored_checkpoints = tmp_path / "restored-checkpoints"
    env = {"AUDIT_CHECKPOINT_DIR": str(restored_checkpoints)}
    output = manage(empty_database, "restore", "--noinput", str(backup), **env)
    assert f"Restored 1 claims and {manifest['events']:,} audit events" in output
    (checkpoint_file,) = restored_checkpoints.iterdir()
    assert checkpoint_file.name == manifest["checkpoint_files"][0]
    verified = manage(
        empty_database,
        "verify_audit",
        "--checkpoint",
        str(checkpoint_file),
        "--public-key",
        signing,
        **env,
    )
    assert f"Audit trail intact: {manifest['events']:,} events in 1 claim." in verified
    assert "consistent with 2 signed checkpoint(s)" in verified  # the stored one and the file


def test_a_backup_refuses_a_path_that_exists(tmp_path, db):
    (tmp_path / "taken").mkdir()
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(tmp_path / "taken"))
