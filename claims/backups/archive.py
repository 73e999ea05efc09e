"""A backup as a folder (or a tar file of one): the database's copy, the audit checkpoints'
files and ``manifest.json``, which says what the copy holds so that a restore, or a person,
can check it before trusting it.

The checkpoint files are copied after the database, so the folder may hold a checkpoint
newer than the copy (one signed meanwhile); the manifest names the newest the copy itself
holds, the one to verify the restored desk against.
"""

import hashlib
import json
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.utils import timezone

from . import database
from .database import BackupError

MANIFEST = "manifest.json"
CHECKPOINTS = "checkpoints"
FORMAT = 1


@dataclass(frozen=True)
class Restored:
    manifest: dict
    checkpoint_files: list[str]
    kept_files: list[str]  # already in AUDIT_CHECKPOINT_DIR with other content: left as found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _checkpoint_dir() -> Path | None:
    directory = settings.AUDIT_CHECKPOINT_DIR
    return Path(directory) if directory else None


def _copy_checkpoints(folder: Path) -> list[str]:
    target = folder / CHECKPOINTS
    target.mkdir()
    source = _checkpoint_dir()
    if source is None or not source.is_dir():
        return []
    names = sorted(path.name for path in source.glob("*.json") if path.is_file())
    for name in names:
        shutil.copy2(source / name, target / name)
    return names


def _write_folder(folder: Path) -> dict:
    started = timezone.now()
    file_name, contents = database.dump_to(folder)
    manifest = {
        "format": FORMAT,
        "vendor": database.vendor(),
        "created_at": started.isoformat(),
        "django": django.get_version(),
        "database_file": file_name,
        "database_sha256": _sha256(folder / file_name),
        **contents,
        "checkpoint_files": _copy_checkpoints(folder),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def backup_make(path: str) -> dict:
    """Write a backup to ``path``: a new folder, or a tar file when it ends in ``.tar``.
    Returns the manifest. Refuses a path that exists, so no backup overwrites another."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} exists already: give a new folder or .tar file.")
    if target.suffix != ".tar":
        target.mkdir(parents=True)
        try:
            return _write_folder(target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as scratch:
        manifest = _write_folder(Path(scratch))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            for item in sorted(Path(scratch).iterdir()):
                tar.add(item, arcname=item.name)
        partial.rename(target)
    return manifest


@contextmanager
def _opened(path: Path):
    """The backup's folder: ``path`` itself, or a tar file unpacked into a scratch folder."""
    if path.is_dir():
        yield path
        return
    if not tarfile.is_tarfile(path):
        raise BackupError(f"{path} is neither a backup folder nor a tar file.")
    with tempfile.TemporaryDirectory(prefix="factcheck-restore-") as scratch:
        with tarfile.open(path) as tar:
            tar.extractall(scratch, filter="data")  # no paths outside, no devices
        yield Path(scratch)


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable {MANIFEST} in the backup ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Backup format {manifest.get('format')!r} is not {FORMAT}.")
    dump = folder / manifest["database_file"]
    if not dump.is_file() or _sha256(dump) != manifest["database_sha256"]:
        raise BackupError(f"{manifest['database_file']} is missing or not what was backed up.")
    return manifest


def _restore_checkpoints(folder: Path) -> tuple[list[str], list[str]]:
    target = _checkpoint_dir()
    source = folder / CHECKPOINTS
    if target is None or not source.is_dir():
        return [], []
    target.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for path in sorted(source.glob("*.json")):
        existing = target / path.name
        if not existing.exists():
            shutil.copy2(path, existing)
            copied.append(path.name)
        elif existing.read_bytes() != path.read_bytes():
            kept.append(path.name)
    return copied, kept


def backup_check(path: str) -> dict:
    """The manifest of the backup at ``path``, once its database copy is shown intact."""
    with _opened(Path(path)) as folder:
        return read_manifest(folder)


def backup_restore(path: str) -> Restored:
    """Restore the backup at ``path`` into the configured database, which must be empty
    (``database.emptiness``), and its checkpoint files into AUDIT_CHECKPOINT_DIR, where no
    file already there is overwritten."""
    empty, why = database.emptiness()
    if not empty:
        raise BackupError(f"The database is not empty ({why}); restore only into an empty one.")
    with _opened(Path(path)) as folder:
        manifest = read_manifest(folder)
        database.restore_from(folder / manifest["database_file"], manifest["vendor"])
        copied, kept = _restore_checkpoints(folder)
    return Restored(manifest, copied, kept)
