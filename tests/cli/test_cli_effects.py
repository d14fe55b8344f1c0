"""`governance effects` and `governance lift-effect` (docs/effects.md): the effects a store
holds, in Chinese or as JSON, and lifting one; a bad id, date or store is a clear error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.model import EffectKind, ImposedEffect
from governance_core.storage import SqlStore
from tests.rules.test_effects import POLICY

runner = CliRunner()
BAR = ImposedEffect(
    "q/t.awards_bar/p1",
    "t.awards_bar",
    "p1",
    EffectKind.BAR,
    date(2024, 1, 1),
    ends=date(2024, 12, 31),
    bars="awards",
)
TALK = ImposedEffect(
    "q/t.talk/p2", "t.talk", "p2", EffectKind.DUTY, date(2024, 1, 1), due=date(2024, 1, 8)
)


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    SqlStore(url).effects.impose([BAR, TALK])
    return url


def _policy(tmp_path: Path) -> list[str]:
    """The effects' declarations, for their titles and articles."""
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return ["--policy", str(tmp_path / "policy.yaml")]


def test_the_effects_in_force_in_chinese(tmp_path: Path) -> None:
    url = _store(tmp_path)
    shown = runner.invoke(
        app,
        ["effects", "--database", url, "--as-of", "2024-06-01", *_policy(tmp_path)],
        env={"COLUMNS": "200"},
    )
    assert shown.exit_code == 0, shown.output
    assert "2024-06-01 生效的后果" in shown.output
    assert "限制：awards" in shown.output and "责任" in shown.output and "生效中" in shown.output
    assert "不得评先" in shown.output and "《测试文件》第一条" in shown.output  # title, article


def test_one_person_as_json_and_every_state(tmp_path: Path) -> None:
    url = _store(tmp_path)
    args = ["effects", "p1", "--database", url, "--as-of", "2025-01-01", "-f", "json"]
    args += _policy(tmp_path)
    assert orjson.loads(runner.invoke(app, args).stdout) == []  # the bar ended in 2024
    (ended,) = orjson.loads(runner.invoke(app, [*args, "--all"]).stdout)
    assert (ended["id"], ended["in_force"], ended["state"]) == (
        BAR.id,
        False,
        "已于 2024-12-31 到期",
    )


def test_lifting_an_effect(tmp_path: Path) -> None:
    url = _store(tmp_path)
    lift = ["lift-effect", TALK.id, "--on", "2024-01-05", "--by", "镇党委", "--reason", "已谈话"]
    done = runner.invoke(app, [*lift, "--database", url])
    assert done.exit_code == 0, done.output
    assert "已由 镇党委 自 2024-01-05 起解除" in done.output
    again = runner.invoke(app, [*lift, "--database", url])
    assert again.exit_code == 1 and "已于 2024-01-05 解除" in again.output
    assert "Traceback" not in again.output


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    url = _store(tmp_path)
    unknown = runner.invoke(
        app,
        [
            "lift-effect",
            "nobody",
            "--on",
            "2024-01-05",
            "--by",
            "x",
            "--reason",
            "y",
            "--database",
            url,
        ],
    )
    assert unknown.exit_code == 1 and "没有记录后果 nobody" in unknown.output
    bad_day = runner.invoke(
        app, ["effects", "--database", url, "--as-of", "2024-13-01", *_policy(tmp_path)]
    )
    assert bad_day.exit_code == 2 and "YYYY-MM-DD" in bad_day.output
    missing = runner.invoke(
        app, ["effects", "--database", f"sqlite:///{tmp_path / 'none.db'}", *_policy(tmp_path)]
    )
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert not (tmp_path / "none.db").exists()  # reading never creates a store
