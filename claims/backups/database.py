"""The database half of a backup, for each engine: a consistent copy taken while the desk
writes on, its restore, and what the copy holds (for the manifest).

SQLite copies with its online backup API in one step: in WAL mode writers carry on while it
reads, and the copy is the database as of one moment. PostgreSQL exports a snapshot from a
REPEATABLE READ transaction and hands it to ``pg_dump --snapshot``, so the dump and the
manifest's figures describe the same moment. The password reaches the PostgreSQL tools in
``PGPASSWORD``, never on a command line that ``ps`` shows.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils.dateparse import parse_datetime

# The tables whose rows make a database "not empty": a restore would bury them.
GUARDED_TABLES = ("claims_claim", "claims_auditevent")


class BackupError(RuntimeError):
    pass


def vendor() -> str:
    return connection.vendor


def database_name() -> str:
    """What the person restoring types to confirm: the PostgreSQL database's name, or the
    SQLite file's name."""
    name = str(connection.settings_dict["NAME"])
    return name if vendor() == "postgresql" else Path(name).name


def _raw_connection():
    """A driver connection of its own, outside any transaction Django holds open."""
    return connection.get_new_connection(connection.get_connection_params())


def _contents(cursor) -> dict:
    """What the copy holds, read inside the copy's own snapshot: the newest migration per app
    (by the order they were applied), how many claims and events, the newest checkpoint."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY applied, id")
    migrations = dict(cursor.fetchall())  # the last applied per app wins
    cursor.execute("SELECT COUNT(*) FROM claims_auditevent")
    events = cursor.fetchone()[0]
    cursor.execute("SELECT COUNT(*) FROM claims_claim")
    claims = cursor.fetchone()[0]
    cursor.execute(
        "SELECT tree_size, root_hash, created_at FROM claims_auditcheckpoint "
        "ORDER BY tree_size DESC, id DESC LIMIT 1"
    )
    newest = cursor.fetchone()
    checkpoint = None
    if newest is not None:
        created = newest[2]  # a datetime from psycopg, text from sqlite3
        if isinstance(created, str):
            created = parse_datetime(created)
        checkpoint = {
            "tree_size": newest[0],
            "root_hash": newest[1],
            "created_at": created.isoformat(),
        }
    return {"migrations": migrations, "events": events, "claims": claims, "checkpoint": checkpoint}


# SQLite ----------------------------------------------------------------------------------------


def _sqlite_dump(target: Path) -> dict:
    source = _raw_connection()
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # pages=-1: one step, one moment, writers go on in WAL mode
        return _contents(copy.cursor())
    finally:
        copy.close()
        source.close()


def _sqlite_restore(dump: Path, *, had_tables: bool) -> None:
    source = sqlite3.connect(dump)
    target = _raw_connection()
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# PostgreSQL ------------------------------------------------------------------------------------


def pg_environment() -> dict:
    """The libpq variables that name the configured database, its password included."""
    settings_dict = connection.settings_dict
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS", {})
    for variable, key in (("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert")):
        if options.get(key):
            env[variable] = str(options[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(args: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 (our own arguments, no shell)
        args, env=pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def _postgresql_dump(target: Path) -> dict:
    pg_dump = _tool("pg_dump")
    snapshot_holder = _raw_connection()
    try:
        snapshot_holder.autocommit = False
        with snapshot_holder.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            contents = _contents(cursor)
            name = str(connection.settings_dict["NAME"])
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}", name])
        snapshot_holder.rollback()
    finally:
        snapshot_holder.close()
    return contents


def _postgresql_restore(dump: Path, *, had_tables: bool) -> None:
    pg_restore = _tool("pg_restore")
    # Owned by whoever restores (the migrating role), without the old server's grants: the
    # README's GRANT/REVOKE lines give the app's role its rights again. --clean replaces the
    # empty tables of a fresh migrate; one transaction, so a failure leaves them as they were.
    args = [pg_restore, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error"]
    if had_tables:
        args += ["--clean", "--if-exists"]
    _run([*args, f"--dbname={connection.settings_dict['NAME']}", str(dump)])


DUMPS = {
    "sqlite": ("database.sqlite3", _sqlite_dump),
    "postgresql": ("database.pgdump", _postgresql_dump),
}
RESTORES = {"sqlite": _sqlite_restore, "postgresql": _postgresql_restore}


def dump_to(folder: Path) -> tuple[str, dict]:
    """Copy the database into ``folder``; the copy's file name and what it holds."""
    if vendor() not in DUMPS:
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {vendor()}.")
    file_name, dump = DUMPS[vendor()]
    return file_name, dump(folder / file_name)


def emptiness() -> tuple[bool, str]:
    """Whether the configured database is empty enough to restore into, and why not.

    Empty means: no tables at all, or factcheck's tables with no claim and no audit event (a
    fresh ``migrate``, perhaps with an administrator made since). Anything else is a desk's
    data, which a restore would replace: refused.
    """
    tables = set(connection.introspection.table_names())
    if not tables:
        return True, "no tables"
    missing = [table for table in GUARDED_TABLES if table not in tables]
    if missing:
        return False, f"it has tables, but not {', '.join(missing)}: not a factcheck database"
    with connection.cursor() as cursor:
        for table in GUARDED_TABLES:
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")  # noqa: S608 (our constant)
            if cursor.fetchone() is not None:
                return False, f"{table} has rows"
    return True, "migrated, with no claims and no audit events"


def restore_from(dump: Path, source_vendor: str) -> None:
    """Replace the configured (empty) database with the copy in ``dump``."""
    if source_vendor != vendor():
        raise BackupError(
            f"The backup is of a {source_vendor} database; this desk runs on {vendor()}."
        )
    had_tables = bool(connection.introspection.table_names())
    connection.close()  # nothing of ours holds the tables while they are replaced
    RESTORES[vendor()](dump, had_tables=had_tables)
