"""Every command's error paths under zh, not only the hostile corpus's: an option that does
not exist, and every required argument and option given a path that does not exist (as a
file it is missing, as an id it is unknown, as a date it is not one). Each is refused in
Chinese, located, without a traceback; a command whose values are free text does its work,
and says so in Chinese (issue 35)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

from governance_core.cli import app, main
from tests.cli.test_errors_in_chinese import _QUOTED, PROGRAMS
from tests.cli.test_help_in_chinese import _LITERAL, COMMAND_NAMES, IDS, NAMES

NOWHERE = "/no/such/folder/x.yaml"
SERVES = {("serve",)}  # starts a server that runs until stopped: its errors are the service's


def _leaves(command: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    subs = getattr(command, "commands", None)
    if not subs:
        return [(path, command)]
    return [leaf for name, sub in subs.items() for leaf in _leaves(sub, (*path, name))]


LEAVES = [
    (path, command)
    for path, command in _leaves(typer.main.get_command(app), ())
    if path not in SERVES
]


def _required(command: Any) -> list[str]:
    """Every required argument and option of ``command``, given the path to nowhere."""
    given: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        if param.param_type_name == "argument":
            given.append(NOWHERE)
        else:
            given += [param.opts[0], NOWHERE]
    return given


_TOKEN = re.compile(r"\bgov_\S+|\b[0-9a-f]{16}\b")  # a token as issued, and its id


def _english(said: str) -> set[str]:
    prose = _LITERAL.sub(" ", _QUOTED.sub(" ", _TOKEN.sub(" ", said)))
    return {
        word
        for word in re.findall(r"[A-Za-z]{3,}", prose)
        if word.lower() not in IDS and word not in NAMES | PROGRAMS and word not in COMMAND_NAMES
    }


def _run(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: Any) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["governance", *args])
    with pytest.raises(SystemExit) as ended:
        main()
    said = capsys.readouterr()
    return int(ended.value.code or 0), said.out + said.err


@pytest.mark.parametrize(
    ("path", "command"), [pytest.param(p, c, id=" ".join(p)) for p, c in LEAVES]
)
def test_each_command_refuses_in_chinese(
    path: tuple[str, ...],
    command: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing a command writes by default lands in the checkout
    code, said = _run([*path, "--no-such-option"], monkeypatch, capsys)
    assert code == 2 and "--no-such-option" in said and not _english(said), said
    required = _required(command)
    if not required:
        return
    # refused, or done when the values are free text (a token's actor may be any name)
    _code, said = _run([*path, *required], monkeypatch, capsys)
    assert "Traceback" not in said and said.strip(), said
    assert not _english(said), f"{' '.join(path)}: {sorted(_english(said))}\n{said}"
