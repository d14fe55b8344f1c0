"""The message catalog: every message of the code is translated, the compiled catalog is the
one the .po file gives, and each translation keeps the fields its message fills."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import governance_core
from governance_core.messages import _, in_language, language

SRC = Path(governance_core.__file__).parent
CATALOG = SRC / "messages" / "locale" / "zh" / "LC_MESSAGES"


def _po() -> object:
    with (CATALOG / "governance_core.po").open("rb") as handle:
        return read_po(handle)


def _code_messages() -> set[str]:
    found = extract_from_dir(str(SRC), keywords={"_": None})
    return {m for _file, _line, m, _comments, _context in found if isinstance(m, str)}


def test_every_message_of_the_code_has_a_chinese_translation() -> None:
    catalog = _po()
    translated = {m.id: m.string for m in catalog if m.id}  # type: ignore[attr-defined]
    untranslated = sorted(m for m in _code_messages() if not translated.get(m))
    assert untranslated == [], "run scripts/messages and translate these in the .po file"


def test_the_compiled_catalog_is_the_po_file() -> None:
    out = io.BytesIO()
    write_mo(out, _po())  # type: ignore[arg-type]
    assert (CATALOG / "governance_core.mo").read_bytes() == out.getvalue(), "run scripts/messages"


def _fields(text: str) -> list[str]:
    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name)


def test_translations_fill_the_same_fields() -> None:
    for message in _po():  # type: ignore[attr-defined]
        if message.id and message.string:
            assert _fields(message.id) == _fields(message.string), message.id


def test_the_language_is_english_unless_asked_and_scoped() -> None:
    assert language() == "en"
    assert _("file not found") == "file not found"
    with in_language("zh"):
        assert _("file not found") == "找不到文件"
        assert not re.search("[A-Za-z]", _("the file is empty"))
    assert _("file not found") == "file not found"
