"""Every refusal of the hostile corpus (tests/hostile/test_cli_corpus.py), as the `governance`
script prints it under zh (the default), holds no English prose: only ids, file names and
what a file itself says, program names, and a driver's own diagnosis kept in full-width
parentheses after the Chinese sentence for the IT team (issue 35)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from governance_core.cli import main
from tests.cli.test_help_in_chinese import _LITERAL, COMMAND_NAMES, IDS, NAMES
from tests.hostile.test_cli_corpus import _cases

pytestmark = pytest.mark.districts  # the corpus names contrib plugins

# what a file or the system itself says, quoted in a refusal: a YAML tag or alias, the
# fields a hint lists, a value cut short, a driver's diagnosis in （…）, a path
_QUOTED = re.compile(
    "|".join(
        [
            r"tag:\S+",  # a YAML tag
            r"\*\w+",  # a YAML alias
            r"可用的字段：[^)）]*",  # the fields a hint lists
            r"'[^'\n]*(?:\.\.\.)?",  # a value, or the start of one cut short
            r"（[ -~]*）",  # a driver's own diagnosis
            r"\w+://\S*",  # a database URL as typed
            r"(?:/|sqlite:|postgresql)[\w./:+@\[\]-]*",  # a path
            r"[\w.\[\]]+:\s*(?=应为)",  # the field of a YAML file a value is wrong at
            r"\b\w*_\w*\b",  # an id with an underscore (no_such_district)
        ]
    )
)
PROGRAMS = {"zip", "xls", "pip", "install", "WorksheetNotFound", "contrib"}


def test_every_refusal_is_said_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = []
    for args in _cases(tmp_path):
        monkeypatch.setattr(sys, "argv", ["governance", *args])
        with pytest.raises(SystemExit):
            main()
        said = capsys.readouterr()
        prose = _LITERAL.sub(" ", _QUOTED.sub(" ", said.out + said.err))
        english = {
            word
            for word in re.findall(r"[A-Za-z]{3,}", prose)
            if word.lower() not in IDS
            and word not in NAMES | PROGRAMS
            and word not in COMMAND_NAMES
        }
        if english:
            failures.append(f"{args[:3]}: {sorted(english)}: {(said.out + said.err)[-200:]!r}")
    assert failures == []
