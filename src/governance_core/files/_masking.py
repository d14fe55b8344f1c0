"""Masking of personal data in what leaves the library: resident ID-card numbers (居民身份证号)
and mainland mobile numbers, however they are written.

Recognised: 18-character ID numbers whose GB 11643-1999 check character is right (so that an
ordinary 18-digit number, a bank account or an order number, is not taken for one), with a
lower- or upper-case X, whole or grouped 6-8-4 with spaces or dashes (370402 19800101 123X),
after a prefix such as 身份证号：, ID: or one glued to it (ID370402…, sfz370402…); 15-digit
first-generation numbers whose birth date is a real date; mobile numbers of 11 digits starting
13–19, whole or grouped as 138-1234-5678, 138 1234 5678 or 138.1234.5678, with +86, 86 or 0086
in front; all of these with zero-width characters slipped between the digits, and in full-width
digits (１３８…), as Chinese input methods type them.

What is shown keeps enough to tell records apart (370402********123X, 138****5678) and not
enough to identify the person. One policy for every output: masked unless the caller asked to
see the numbers (:func:`showing_personal_data`), for a stated reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

__all__ = [
    "is_id_card_number",
    "mask_personal_data",
    "masked",
    "none_masked",
    "personal_data_shown",
    "replace_personal_data",
    "showing_personal_data",
]

_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ＋－", "0123456789xX+-")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# not inside a longer run of digits (full-width ones included), nor followed by a letter; a
# letter before is a prefix glued to the number (ID370402…, sfz370402…)
_EDGE_BEFORE = r"(?<![0-9０-９])"
_EDGE_AFTER = r"(?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ])"
_ZW = "[\u200b\u200c\u200d\u2060\ufeff]*"  # zero-width characters, hidden between digits
_D = f"(?:[0-9０-９]{_ZW})"  # a digit, and whatever hides after it
_SEP = f"[-－ .．\u00a0\u3000]?{_ZW}"
_ID_18 = re.compile(
    f"{_EDGE_BEFORE}({_D}{{6}}{_SEP}{_D}{{8}}{_SEP}{_D}{{3}}[0-9０-９XxＸｘ]){_EDGE_AFTER}"
)
_ID_15 = re.compile(f"{_EDGE_BEFORE}({_D}{{6}}{_SEP}{_D}{{6}}{_SEP}{_D}{{3}}){_EDGE_AFTER}")
_MOBILE = re.compile(
    rf"(?<![0-9０-９])((?:(?:\+|＋|00|００)?(?:86|８６){_SEP})?)"
    rf"([1１]{_ZW}[3-9３-９]{_ZW}{_D}){_SEP}({_D}{{4}}){_SEP}({_D}{{4}})(?![0-9０-９])"
)
_HIDDEN = re.compile(f"[- －.．\u00a0\u3000]|{_ZW[:-1]}")  # what is not the number itself

# Every number the patterns find lies in a run of at least 11 characters that are digits,
# separators or zero-width characters, from a digit to a digit (a mobile number's 11 digits;
# an ID number's 15, or 17 before its check character): text without such a run, most text
# and most JSON, is left as it is after one scan.
_RUN = re.compile(
    "[0-9０-９][0-9０-９\\-－ .．\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff]{9,}[0-9０-９]"
)

_shown: ContextVar[bool] = ContextVar("personal_data_shown", default=False)


def _ascii(text: str) -> str:
    return text.translate(_FULL_WIDTH)


def _real_birth_date(year: int, digits: str) -> bool:
    try:
        date(year, int(digits[:2]), int(digits[2:4]))
    except ValueError:
        return False
    return True


def _bare(text: str) -> str:
    """The characters of a number as found, without its separators and hidden characters."""
    return _HIDDEN.sub("", text)


def is_id_card_number(text: str) -> bool:
    """Whether ``text`` (18 characters, full-width allowed) is a resident ID-card number:
    a real birth date and the right GB 11643 check character."""
    number = _ascii(_bare(text)).upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK[total % 11] == number[17] and _real_birth_date(int(number[6:10]), number[10:14])


def _valid_15(number: str) -> bool:
    plain = _ascii(_bare(number))
    return _real_birth_date(1900 + int(plain[6:8]), plain[8:12])


def replace_personal_data(text: str, replace: Callable[[str, str], str]) -> str:
    """``text`` with each ID-card and mobile number found replaced by ``replace(kind,
    number)``, kind being ``"id18"``, ``"id15"`` or ``"mobile"``. The one recogniser of
    personal data: masking and encryption at rest both use it."""

    if _RUN.search(text) is None:  # most text: one scan, and no number
        return text

    def id18(found: re.Match[str]) -> str:
        number = found.group(1)
        return replace("id18", number) if is_id_card_number(number) else number

    def id15(found: re.Match[str]) -> str:
        number = found.group(1)
        return replace("id15", number) if _valid_15(number) else number

    text = _ID_18.sub(id18, text)
    text = _ID_15.sub(id15, text)
    return _MOBILE.sub(lambda found: replace("mobile", found.group(0)), text)


def _mask(kind: str, number: str) -> str:
    if kind in ("id18", "id15"):
        bare = _bare(number)
        hidden = 8 if kind == "id18" else 6
        return f"{bare[:6]}{'*' * hidden}{bare[6 + hidden :]}"
    found = _MOBILE.fullmatch(number)
    assert found is not None  # the mobile pattern found it
    prefix, head, _middle, tail = found.groups()
    shown_prefix = re.sub(_ZW, "", prefix)  # its separator kept: "+86 138****5678"
    return f"{shown_prefix}{_bare(head)}****{_bare(tail)}"


def mask_personal_data(text: str) -> str:
    """``text`` with every ID-card number shown as 370402********123X and every mobile
    number as 138****5678: enough to tell records apart, not enough to identify a person."""
    return replace_personal_data(text, _mask)


def personal_data_shown() -> bool:
    """Whether the caller asked to see ID-card and mobile numbers unmasked."""
    return _shown.get()


@contextmanager
def showing_personal_data() -> Iterator[None]:
    """Inside the block, :func:`masked` leaves personal data as it is."""
    token = _shown.set(True)
    try:
        yield
    finally:
        _shown.reset(token)


def masked(text: str) -> str:
    """``text`` as the masking policy shows it: masked, unless the caller asked otherwise."""
    return text if _shown.get() else mask_personal_data(text)


def none_masked(texts: Iterable[str]) -> bool:
    """Whether :func:`masked` leaves each of ``texts`` as it is: personal data is shown, or no
    text holds a run of digits a number could be (one scan of them joined: a line break is
    no separator, so no run spans two texts). A table's column asks once, not cell by cell."""
    return _shown.get() or _RUN.search("\n".join(texts)) is None
