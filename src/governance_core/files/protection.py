"""Personal data at rest: ID-card and mobile numbers encrypted in what the stores keep.

With a key (32 or 64 random bytes in a file kept off the database server), every ID-card and
mobile number in text written to a store — an instance's id and subject, event bodies, the
person of a recorded verdict — is replaced by a token ``pd1~…~``: the number encrypted with
AES-SIV (RFC 5297, deterministic), so the same number always gives the same token and a
person's records still link and are still found by their id; whoever holds the key reads
them back, and the database alone reveals none. Without a key, text is stored as it is.

The key is one per process (:func:`use_personal_data_key`, or the file named by the
environment variable ``GOVERNANCE_PERSONAL_DATA_KEY_FILE``, read when a store opens). What
is hashed into the audit chain is the stored (protected) text, so an auditor verifies the
chain without the key.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from pathlib import Path
from typing import Any, Final

from governance_core.errors import ConfigError, Problem
from governance_core.files._masking import replace_personal_data
from governance_core.files._os_words import os_reason
from governance_core.messages import _

__all__ = [
    "KEY_FILE_VARIABLE",
    "key_from_environment",
    "protect",
    "read_key_file",
    "reveal",
    "use_personal_data_key",
]

KEY_FILE_VARIABLE: Final = "GOVERNANCE_PERSONAL_DATA_KEY_FILE"
_TOKEN = re.compile(r"pd1~([A-Za-z0-9_-]+={0,2})~")
_cipher: list[Any] = []  # the AESSIV of the process's key, when one is in use


def use_personal_data_key(key: bytes | None) -> None:
    """Encrypt personal data with ``key`` in every store of this process (None: stop)."""
    _cipher.clear()
    if key is None:
        return
    from cryptography.hazmat.primitives.ciphers.aead import AESSIV

    if len(key) not in (32, 48, 64):
        raise ConfigError([Problem(_("a personal-data key has 32, 48 or 64 bytes"))])
    _cipher.append(AESSIV(key))


def read_key_file(path: str | Path) -> bytes:
    """The key in ``path``: raw bytes, or their base64 or hex text."""
    try:
        data = Path(path).read_bytes().strip()
    except OSError as exc:
        raise ConfigError(
            [
                Problem(
                    _("cannot read the key file: {reason}").format(reason=os_reason(exc)), str(path)
                )
            ]
        ) from None
    if len(data) in (32, 48, 64):
        return data
    for decode in (bytes.fromhex, base64.b64decode):
        try:
            key = decode(data.decode("ascii"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            continue
        if len(key) in (32, 48, 64):
            return key
    raise ConfigError(
        [
            Problem(
                _("the key file holds no key of 32, 48 or 64 bytes"),
                str(path),
                hint=_("make one with: head -c 64 /dev/urandom > KEYFILE"),
            )
        ]
    )


def key_from_environment() -> None:
    """Use the key in the file the environment names, if it names one."""
    named = os.environ.get(KEY_FILE_VARIABLE)
    if named:
        use_personal_data_key(read_key_file(named))


def _encrypt(_kind: str, number: str) -> str:
    sealed = _cipher[0].encrypt(number.encode("utf-8"), None)
    return f"pd1~{base64.urlsafe_b64encode(sealed).decode('ascii')}~"


def _decrypt(found: re.Match[str]) -> str:
    try:
        return str(_cipher[0].decrypt(base64.urlsafe_b64decode(found.group(1)), None).decode())
    except Exception:  # another key's token, or a damaged one: left as it is
        return found.group(0)


def protect(text: str) -> str:
    """``text`` as a store keeps it: its personal data encrypted (unchanged without a key)."""
    return replace_personal_data(text, _encrypt) if _cipher else text


def reveal(text: str) -> str:
    """``text`` as a store read it, its personal data decrypted (unchanged without a key)."""
    return _TOKEN.sub(_decrypt, text) if _cipher and "pd1~" in text else text
