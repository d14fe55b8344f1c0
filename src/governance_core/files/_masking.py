"""Masking of personal data in what leaves the library: resident ID-card numbers (居民身份证号,
18 characters) and mainland mobile numbers. Exports and logs mask them by default; a caller
with the right to see them asks for the unmasked text explicitly."""

from __future__ import annotations

import re

__all__ = ["mask_personal_data"]

# 6-digit area, 8-digit birth date, 3-digit sequence, check digit or X; not inside a longer number
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])")
# 11-digit mobile numbers, optionally +86 or 86 in front
_MOBILE = re.compile(r"(?<!\d)((?:\+?86[- ]?)?1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_personal_data(text: str) -> str:
    """``text`` with ID-card numbers shown as 370402********123X and mobile numbers as
    138****5678: enough to tell records apart, not enough to identify a person."""
    text = _ID_CARD.sub(lambda m: f"{m.group(1)}********{m.group(2)}", text)
    return _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
