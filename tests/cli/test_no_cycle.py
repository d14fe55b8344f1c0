"""A plugin that declares no cycle (鱼台's lists and procedures only) is said to declare none:
`cycle show` and `run` name it, and do not ask for a plugin that was given (issue 35)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.engine import Engine

pytestmark = pytest.mark.districts

BOOK = str(Path(Engine.example_roster()).with_name("sample-district.xlsx"))


def test_cycle_show_says_the_plugin_declares_none() -> None:
    shown = CliRunner().invoke(app, ["cycle", "show", "--plugin", "yutai"])
    assert shown.exit_code == 0
    assert "yutai 没有声明运行周期" in shown.output and "--plugin shizhong" not in shown.output


def test_run_refuses_in_the_same_words(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'g.db'}"
    ran = CliRunner().invoke(
        app, ["run", "--plugin", "yutai", "--roster", BOOK, "--database", database]
    )
    assert ran.exit_code == 1 and "yutai 没有声明运行周期" in ran.output
    assert not (tmp_path / "g.db").exists()
