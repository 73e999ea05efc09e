"""restore only replaces an empty database, and only once someone typed its name."""

import pytest
from django.core.management import CommandError, call_command

from claims.backups.database import emptiness
from tests.backups.conftest import manage


@pytest.fixture
def backup(transactional_db, roles_after_flush, claim, tmp_path):
    path = tmp_path / "backup"
    call_command("backup", str(path))
    return path


def test_restore_refuses_a_database_with_claims(backup):
    assert emptiness() == (False, "claims_claim has rows")
    with pytest.raises(CommandError, match=r"not empty \(claims_claim has rows\)"):
        call_command("restore", str(backup), "--noinput")


def test_restore_asks_for_the_database_name_then_restores_over_a_fresh_migrate(
    backup, empty_database
):
    manage(empty_database, "migrate", "--no-input", "-v", "0")
    refused = manage(empty_database, "restore", str(backup), stdin="yes\n", check=False)
    assert "Type the database's name" in refused
    assert "Not confirmed: nothing was restored." in refused
    empty = "from claims.backups.database import emptiness; print(emptiness())"
    assert "migrated, with no claims" in manage(empty_database, "shell", "-c", empty)

    output = manage(empty_database, "restore", "--noinput", str(backup))
    assert "Restored 1 claims" in output
    assert "claims_claim has rows" in manage(empty_database, "shell", "-c", empty)


def test_restore_refuses_a_backup_whose_database_copy_changed(backup):
    (backup / "manifest.json").write_text(
        (backup / "manifest.json")
        .read_text()
        .replace('"database_sha256": "', '"database_sha256": "0')
    )
    with pytest.raises(CommandError, match="not what was backed up"):
        call_command("restore", str(backup), "--noinput")
