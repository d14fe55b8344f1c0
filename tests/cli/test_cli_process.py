"""`governance process` and `governance diagram`: a procedure walked across separate runs
through the journal, refusals with every reason and exit 1, diagrams in three formats."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from governance_core.cli import app

runner = CliRunner()
FOUR = "core.four_deliberations_two_disclosures"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_a_procedure_walked_across_runs(tmp_path: Path) -> None:
    journal = str(tmp_path / "journal.jsonl")
    code, out = run(
        "process",
        "start",
        FOUR,
        "修村道",
        "--actor",
        "支部",
        "--at",
        "2024-03-01T09:00",
        "--id",
        "m1",
        "-j",
        journal,
    )
    assert code == 0, out
    code, out = run(
        "process",
        "fire",
        "m1",
        "propose",
        "--actor",
        "支部",
        "--role",
        "village_party_branch",
        "--at",
        "2024-03-02T09:00",
        "--evidence",
        "proposal=P-1",
        "-j",
        journal,
        "-f",
        "json",
    )
    assert code == 0, out
    fired = orjson.loads(out)
    assert fired["instance"]["state"] == "proposed" and fired["event"]["sequence"] == 2
    code, out = run(
        "process",
        "fire",
        "m1",
        "review",
        "--actor",
        "支部",
        "--role",
        "two_committees",
        "--at",
        "2024-03-02T10:00",
        "-j",
        journal,
    )
    assert code == 1
    assert "须由 party_members_meeting 办理" in out and "须提供材料：minutes" in out
    code, out = run(
        "process",
        "allowed",
        "m1",
        "--actor",
        "两委",
        "--role",
        "two_committees",
        "--at",
        "2024-03-03T09:00",
        "-j",
        journal,
        "-f",
        "json",
    )
    assert code == 0, out
    assert [(p["step"], p["allowed"]) for p in orjson.loads(out)] == [("deliberate", True)]
    code, out = run("process", "show", "m1", "-j", journal, "-f", "json")
    shown = orjson.loads(out)
    assert [e["step"] for e in shown["events"]] == ["start", "propose"]
    code, out = run("process", "due", "--on", "2024-03-05", "-j", journal, "-f", "json")
    assert code == 0 and orjson.loads(out) == {"swept": [], "due": []}


def test_bad_input_is_named(tmp_path: Path) -> None:
    journal = str(tmp_path / "journal.jsonl")
    code, out = run(
        "process",
        "start",
        "core.four_deliberation",
        "x",
        "--actor",
        "a",
        "--at",
        "2024-03-01T09:00",
        "-j",
        journal,
    )
    assert code == 1 and "是否想写 'core.four_deliberations_two_disclosures'" in out
    code, out = run("process", "show", "nope", "-j", journal)
    assert code == 1 and "存储中没有程序实例 'nope'" in out
    code, out = run(
        "process", "fire", "m1", "propose", "--actor", "a", "--at", "yesterday", "-j", journal
    )
    assert code == 2 and "不是 ISO 8601 格式的日期时间" in out
    assert not Path(journal).exists()


@pytest.mark.districts
@pytest.mark.parametrize("form", ["mermaid", "dot", "svg"])
def test_diagrams_carry_chinese_labels_and_roles(form: str, tmp_path: Path) -> None:
    out_file = tmp_path / f"exit.{form}"
    code, out = run(
        "diagram",
        "shizhong.exit_dismissal",
        "--plugin",
        "shizhong",
        "-f",
        form,
        "--output",
        str(out_file),
    )
    assert code == 0, out
    text = out_file.read_text(encoding="utf-8")
    assert "经镇街党(工)委集体研究，予以免职" in text and "〔镇街党(工)委〕" in text
    if form == "svg":
        ET.fromstring(text)  # well-formed


def test_the_same_walk_on_a_database_and_its_audit(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'governance.db'}"
    code, out = run(
        "process",
        "start",
        FOUR,
        "修村道",
        "--actor",
        "支部",
        "--at",
        "2024-03-01T09:00",
        "--id",
        "m1",
        "--database",
        database,
    )
    assert code == 0, out
    code, out = run(
        "process",
        "fire",
        "m1",
        "propose",
        "--actor",
        "支部",
        "--role",
        "village_party_branch",
        "--at",
        "2024-03-02T09:00",
        "--evidence",
        "proposal=P-1",
        "--database",
        database,
    )
    assert code == 0, out
    code, out = run("audit", "verify", "--database", database)
    assert code == 0 and out.startswith("正常：2 个事件，链头 2:")
    key = tmp_path / "key"
    key.write_bytes(b"secret\n")
    code, out = run("audit", "head", "--database", database, "--key-file", str(key))
    assert code == 0 and "hmac-sha256=" in out
    head = out.split()[0]
    code, out = run("audit", "verify", "--database", database, "--head", head)
    assert code == 0, out
    code, out = run("audit", "verify", "--database", database, "--head", "9:" + "0" * 64)
    assert code == 1 and "哈希链已不能到达导出的链头" in out


def test_personal_data_is_masked_in_what_the_commands_print(tmp_path: Path) -> None:
    journal = str(tmp_path / "journal.jsonl")
    code, out = run(
        "process",
        "start",
        FOUR,
        "修村道（联系人 13812345678）",
        "--actor",
        "370402199001011238",
        "--at",
        "2024-03-01T09:00",
        "--id",
        "m1",
        "-j",
        journal,
        "-f",
        "json",
    )
    assert code == 0, out
    assert "138****5678" in out and "13812345678" not in out
    code, out = run("process", "show", "m1", "-j", journal, "-f", "json")
    assert "370402********1238" in out and "370402199001011238" not in out
    shown = (
        "process",
        "--show-personal-data",
        "复核身份（案件 7）",
        "show",
        "m1",
        "-j",
        journal,
        "-f",
        "json",
    )
    code, out = run(*shown)
    assert code == 0 and "370402199001011238" in out
    assert "显示未遮蔽的个人信息，理由：复核身份（案件 7）" in out
    code, out = run("process", "show", "m1", "-j", journal, "-f", "json")  # masked again
    assert "370402199001011238" not in out
    code, out = run("process", "--show-personal-data", " ", "show", "m1", "-j", journal)
    assert code == 2 and "请说明需要查看个人信息的理由" in out


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "身份证 37040219900101018X 电话 +86 13912345678",
            "身份证 370402********018X 电话 +86 139****5678",
        ),
        ("编号 1234567890123456789012 不是身份证", "编号 1234567890123456789012 不是身份证"),
        ("2024-03-01T09:00", "2024-03-01T09:00"),
    ],
)
def test_masking(text: str, masked: str) -> None:
    from governance_core.files import mask_personal_data

    assert mask_personal_data(text) == masked
