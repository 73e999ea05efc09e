"""The desk's Ed25519 key for signing audit checkpoints, and the checkpoint's signed text.

The private key never enters the database: it comes from ``AUDIT_SIGNING_KEY`` (the key itself,
PEM or the 32 raw bytes in base64) or the file ``AUDIT_SIGNING_KEY_FILE`` names. Readers get the
public key (``python manage.py audit_key``), which checks a checkpoint without the desk.

The signed text is a checkpoint in the C2SP ``tlog-checkpoint`` layout (origin, tree size,
base64 root, one line each) with the time as an extension line, so tools made for transparency
logs can read it; the signature is Ed25519 over those bytes.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class NoSigningKey(ImproperlyConfigured):
    """Neither AUDIT_SIGNING_KEY nor AUDIT_SIGNING_KEY_FILE is set."""


def private_key_from(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ImproperlyConfigured("AUDIT_SIGNING_KEY is not an Ed25519 key.")
            return key
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error) as error:
        raise ImproperlyConfigured(
            "AUDIT_SIGNING_KEY is neither a PEM Ed25519 private key nor 32 bytes in base64."
        ) from error


def signing_key() -> Ed25519PrivateKey:
    """The desk's private key, from the environment or the file it names."""
    if settings.AUDIT_SIGNING_KEY:
        return private_key_from(settings.AUDIT_SIGNING_KEY)
    if settings.AUDIT_SIGNING_KEY_FILE:
        return private_key_from(Path(settings.AUDIT_SIGNING_KEY_FILE).read_text())
    raise NoSigningKey(
        "Set AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE (python manage.py audit_key --new "
        "makes a key)."
    )


def has_signing_key() -> bool:
    return bool(settings.AUDIT_SIGNING_KEY or settings.AUDIT_SIGNING_KEY_FILE)


def new_private_key_text() -> str:
    """A new key, as AUDIT_SIGNING_KEY takes it (base64 of the 32 raw bytes)."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def public_key_text(key: Ed25519PublicKey) -> str:
    """The public key as readers are given it: base64 of its 32 raw bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def public_key_from(text: str) -> Ed25519PublicKey:
    """A public key given as base64 of its raw bytes, or as PEM."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("not an Ed25519 key")
            return key
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except (ValueError, binascii.Error) as error:
        raise ValueError("Not an Ed25519 public key (base64 of 32 bytes, or PEM).") from error


def key_id(key: Ed25519PublicKey) -> str:
    """A short name for the key a checkpoint was signed with: its digest's first 8 bytes."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class TreeHead:
    """What a checkpoint states: the log named ``origin`` held ``size`` leaves with ``root``."""

    origin: str
    size: int
    root: bytes
    time: datetime

    def text(self) -> bytes:
        """The signed bytes (C2SP tlog-checkpoint, the time as an extension line)."""
        stamp = self.time.astimezone(UTC).isoformat(timespec="seconds")
        root = base64.b64encode(self.root).decode()
        return f"{self.origin}\n{self.size}\n{root}\ntime {stamp}\n".encode()


def sign(head: TreeHead, key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.sign(head.text())).decode()


def signature_holds(head: TreeHead, signature: str, key: Ed25519PublicKey) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), head.text())
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def log_origin() -> str:
    """The log's name in its checkpoints: the desk's address, without the scheme."""
    site = settings.FACTCHECK_SITE_URL.split("://", 1)[-1]
    return f"{site}/audit"
