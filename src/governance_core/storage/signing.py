"""Signatures of an exported chain head, so that a later audit can prove the chain still
reaches it and that the head was not replaced along with a rewritten chain.

Two kinds: an HMAC-SHA-256 with a shared secret (whoever checks it can also forge it), and an
Ed25519 signature (RFC 8032, from the ``cryptography`` package): the organisation department
signs with a private key kept off the database server; an auditor verifies with the public key
alone. Key files are PEM; the private key is written readable by its owner only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from pathlib import Path
from typing import TYPE_CHECKING

from governance_core.errors import WorkflowError
from governance_core.files import os_reason
from governance_core.messages import _

if TYPE_CHECKING:
    from governance_core.storage._chain import Head

__all__ = ["SigningError", "generate_keys", "sign_head", "sign_head_ed25519", "verify_head_ed25519"]


class SigningError(WorkflowError):
    """A key cannot be read or used, or a signature is malformed."""


def _message(head: Head) -> bytes:
    return f"{head.position}:{head.hash}".encode("ascii")


def sign_head(head: Head, key: bytes) -> str:
    """HMAC-SHA-256 of the head, for keeping beside the exported head."""
    return hmac.new(key, _message(head), hashlib.sha256).hexdigest()


def generate_keys(private_key: Path, public_key: Path) -> None:
    """Write a new Ed25519 key pair as PEM files; the private one readable by its owner only.
    Neither file may exist already: a key is never overwritten."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for path in (private_key, public_key):
        if path.exists():
            raise SigningError(
                _("{file} exists already; a key is never overwritten").format(file=path)
            )
    try:
        handle = os.open(private_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(private)
        public_key.write_bytes(public)
    except OSError as exc:
        raise SigningError(
            _("cannot write the key {file}: {reason}").format(
                file=exc.filename or private_key, reason=os_reason(exc)
            )
        ) from None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SigningError(
            _("cannot read the key file {file}: {reason}").format(file=path, reason=os_reason(exc))
        ) from None


def sign_head_ed25519(head: Head, private_key: Path) -> str:
    """The Ed25519 signature of the head, base64, with the private key in ``private_key``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(_read(private_key), password=None)
    except (ValueError, TypeError):
        raise SigningError(_("{file} is not a PEM private key").format(file=private_key)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(_("{file} is not an Ed25519 key").format(file=private_key))
    return base64.b64encode(key.sign(_message(head))).decode("ascii")


def verify_head_ed25519(head: Head, signature: str, public_key: Path) -> bool:
    """Whether ``signature`` (base64) is the signature of ``head`` by the key whose public half
    is in ``public_key``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(_read(public_key))
    except (ValueError, TypeError):
        raise SigningError(_("{file} is not a PEM public key").format(file=public_key)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(_("{file} is not an Ed25519 key").format(file=public_key))
    try:
        raw = base64.b64decode(signature, validate=True)
        key.verify(raw, _message(head))
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
