"""Under `--lang zh` (the default) every word a clerk reads is Chinese: each command that
explains something is run on the contrib plugins' examples, and its output may hold ids,
expressions, numbers, dates and file names, but no English word."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.expressions import BUILTIN_FUNCTIONS
from governance_core.loading.kinds import registered
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.procedures.kind import PROCEDURES
from tests.support import ROOT

CONTRIB = ROOT / "plugins_contrib"
PLUGINS = ["shizhong", "jiaozhou", "zichuan", "wenshang", "jiaxiang", "yutai", "yicheng", "jining"]
ROSTER = str(Engine.example_roster())

COMMANDS = {
    "check": ["check", *(f"--plugin={p}" for p in PLUGINS)],
    "plugins": ["plugins", *(f"--plugin={p}" for p in PLUGINS)],
    "evaluate": [
        "evaluate",
        "shizhong.exit_conditions",
        ROSTER,
        "--as-of",
        "2024-06-30",
        "--plugin",
        "shizhong",
    ],
    "score": [
        "score",
        str(CONTRIB / "jiaozhou/docs/example-assessment.yaml"),
        "--plugin",
        "jiaozhou",
        "--person",
        "j001",
    ],
    "rank": [
        "rank",
        str(CONTRIB / "jiaozhou/docs/example-assessment.yaml"),
        "--plugin",
        "jiaozhou",
    ],
    "rank given scores": [
        "rank",
        str(CONTRIB / "shizhong/docs/example-quarter.yaml"),
        "--plugin",
        "shizhong",
    ],
    "points": [
        "points",
        str(CONTRIB / "jiaxiang/docs/example-ledger.yaml"),
        "--plugin",
        "jiaxiang",
        "--policy",
        str(CONTRIB / "jiaxiang/docs/example-town-items.yaml"),
    ],
    "cycle show": ["cycle", "show", "--period", "2024Q4", *(f"--plugin={p}" for p in PLUGINS)],
    "sources": ["sources", *(f"--plugin={p}" for p in PLUGINS)],
}

# what may stay as it is: ids and names of records, words of the expression language, units
_CODE = re.compile(r"[A-Za-z_][\w.]*(\(|\.[\w.]+|_[\w.]*)|[\w./-]*\.(yaml|json|xlsx|txt|db)\b")
# the expression language's words, and "example": the source field of invented citations
_EXPRESSION_WORDS = {"and", "or", "not", "in", "true", "false", "unknown", "example"}


def _ids() -> set[str]:
    engine = Engine.load(plugins=PLUGINS)
    policies = engine.policies
    found: set[str] = set(policies.parameters) | set(BUILTIN_FUNCTIONS) | set(PLUGINS)
    for kind in registered():
        for section in kind.sections:  # a section's name is a key a clerk writes in YAML
            found |= {section.name, *policies.suppliers.get(section.name, {})}
    for compiled in policies.of(CRITERIA).values():
        found |= {i.id for i in compiled.criteria.items}
    for process in policies.of(PROCEDURES).values():
        found |= {s.id for s in process.states} | {s.id for s in process.steps}
        found |= {r.id for r in process.roles}
        found |= {e.id for step in process.steps for e in step.evidence}
    return found


def english_words(text: str, ids: set[str]) -> list[str]:
    """The English words of ``text`` that are neither ids nor code."""
    text = _CODE.sub(" ", text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return [w for w in words if w not in ids and w not in _EXPRESSION_WORDS]


@pytest.fixture(scope="module")
def ids() -> set[str]:
    return _ids()


@pytest.mark.districts
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_command_speaks_chinese(name: str, ids: set[str]) -> None:
    result = CliRunner().invoke(app, COMMANDS[name], env={"COLUMNS": "400"})  # no id wrapped
    assert result.exit_code in (0, 3), result.output  # 3: check found an incomplete list
    found = english_words(result.output, ids)
    assert found == [], sorted(set(found))


def test_the_reader_of_words_sees_english() -> None:
    assert english_words("清单 shizhong.exit_conditions 为“命中”", set()) == []
    assert english_words("quota 优秀 3/10 of 27", set()) == ["quota"]
    assert english_words('has_finding("涉黑涉恶") = 是', set()) == []


@pytest.mark.districts
def test_a_procedure_s_commands_speak_chinese(tmp_path: Path, ids: set[str]) -> None:
    journal = str(tmp_path / "j.jsonl")
    shared = ["--plugin", "shizhong", "-j", journal]
    runner = CliRunner()
    steps = [
        [
            "process",
            "start",
            "shizhong.exit_dismissal",
            "p002",
            "--actor",
            "区委组织部",
            "--at",
            "2024-05-01T09:00",
            "--id",
            "m1",
            *shared,
        ],
        [
            "process",
            "allowed",
            "m1",
            "--actor",
            "镇党委",
            "--role",
            "town_committee",
            "--at",
            "2024-05-02T09:00",
            "--roster",
            ROSTER,
            *shared,
        ],
        [
            "process",
            "fire",
            "m1",
            "dismiss",
            "--actor",
            "镇党委",
            "--role",
            "town_committee",
            "--at",
            "2024-05-02T09:00",
            "--roster",
            ROSTER,
            *shared,
        ],
        ["process", "show", "m1", *shared],
        ["process", "due", "--on", "2024-05-03", *shared],
    ]
    for command in steps:
        result = runner.invoke(app, command, env={"COLUMNS": "400"})
        assert result.exit_code in (0, 1), result.output  # 1: the dismissal is refused
        found = english_words(result.output, ids)
        assert found == [], (command[:2], sorted(set(found)), result.output)


@pytest.mark.districts
def test_the_main_job_speaks_chinese(tmp_path: Path, ids: set[str]) -> None:
    book = Engine.example_roster().with_name("sample-district.xlsx")
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--roster",
            str(book),
            "--plugin",
            "shizhong",
            "--period",
            "2024Q4",
            "--database",
            f"sqlite:///{tmp_path / 'g.db'}",
            "--output",
            str(tmp_path / "o.xlsx"),
        ],
        env={"COLUMNS": "400"},
    )
    assert result.exit_code == 0, result.output
    text = re.sub(r"sqlite:///\S+", " ", result.output)  # the store's URL, as given
    found = english_words(text, ids | {s.id for s in _steps()})
    assert found == [], sorted(set(found))


def _steps() -> list[Any]:
    from governance_core.rules.cycles import CYCLES

    cycles = Engine.load(plugins=PLUGINS).policies.of(CYCLES).cycles.values()
    return [step for cycle in cycles for step in cycle.steps]
