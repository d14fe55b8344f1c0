"""One masking policy for everything printed or written: a roster keyed by ID-card numbers,
with mobile numbers in its names, shows neither in any command's tables, JSON, workbooks,
errors, refusal reasons or not-found messages, unless --show-personal-data says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.files import masked, showing_personal_data
from tests.hostile.test_masking import ID

EXAMPLE = Path(__file__).parents[2] / "src" / "governance_core" / "examples" / "roster.yaml"
JIAOZHOU = Path(__file__).parents[2] / "plugins_contrib" / "jiaozhou" / "docs"
MOBILE = "13812345678"
SECRETS = (ID, MOBILE, ID[6:14])


def _roster(tmp_path: Path) -> Path:
    """The example roster with p002 keyed by an ID-card number and named with a mobile."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("p002", f"'{ID}'")
    text = text.replace("name: 李明", f"name: 李明{MOBILE}")
    path = tmp_path / "roster.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _assessment(tmp_path: Path) -> Path:
    text = (JIAOZHOU / "example-assessment.yaml").read_text(encoding="utf-8")
    text = text.replace("person: j001", f"person: '{ID}'").replace("韩立新", f"韩立新{MOBILE}")
    path = tmp_path / "assessment.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    roster, assessment = str(_roster(tmp_path)), str(_assessment(tmp_path))
    journal = ["--journal", str(tmp_path / "journal.jsonl")]
    evaluate = [
        "evaluate",
        "shizhong.exit_conditions",
        roster,
        "--as-of",
        "2024-06-30",
        "--plugin",
        "shizhong",
    ]
    return {
        "evaluate": evaluate,
        "evaluate json": [*evaluate, "-f", "json"],
        "score": ["score", assessment, "--plugin", "jiaozhou"],
        "rank": ["rank", assessment, "--plugin", "jiaozhou"],
        "rank json": ["rank", assessment, "--plugin", "jiaozhou", "-f", "json"],
        "process start": [
            "process",
            "start",
            "core.four_deliberations_two_disclosures",
            ID,
            "--actor",
            MOBILE,
            "--id",
            f"m-{ID}",
            "--at",
            "2024-03-01T09:00",
            *journal,
        ],
        "process show": ["process", "show", f"m-{ID}", *journal],
        "process show json": ["process", "show", f"m-{ID}", *journal, "-f", "json"],
        "process allowed": [
            "process",
            "allowed",
            f"m-{ID}",
            "--actor",
            MOBILE,
            "--at",
            "2024-03-02T09:00",
            *journal,
        ],
        "refused fire": [
            "process",
            "fire",
            f"m-{ID}",
            "deliberate",
            "--actor",
            MOBILE,
            "--at",
            "2024-03-02T09:00",
            *journal,
        ],
        "not found": ["process", "show", f"x-{ID}", *journal],
        "roster error": [
            "evaluate",
            "shizhong.exit_conditions",
            str(_bad_roster(tmp_path)),
            "--as-of",
            "2024-06-30",
            "--plugin",
            "shizhong",
        ],
    }


def _bad_roster(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"people:\n  - {{id: '{ID}', name: {MOBILE}}}\n  - {{id: '{ID}'}}\n", encoding="utf-8"
    )
    return path


@pytest.mark.districts
def test_no_command_prints_an_id_card_or_mobile_number(tmp_path: Path) -> None:
    runner = CliRunner(env={"COLUMNS": "400"})  # wide: no number is wrapped over two lines
    leaked = {}
    for name, args in _commands(tmp_path).items():
        result = runner.invoke(app, args)
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        ), (name, result.exception)
        if _leaks(result.output):
            leaked[name] = result.output[:400]
        assert "370402********" in result.output or "138****5678" in result.output, (
            name,
            result.output,
        )
    assert leaked == {}


@pytest.mark.districts
def test_asked_with_a_reason_they_are_shown_and_the_reason_is_logged(tmp_path: Path) -> None:
    args = _commands(tmp_path)["evaluate"]
    wide = CliRunner(env={"COLUMNS": "400"})
    result = wide.invoke(app, ["--show-personal-data", "复核身份（案件 7）", *args])
    assert result.exit_code == 0 and ID in result.output
    assert "复核身份（案件 7）" in result.stderr
    blank = wide.invoke(app, ["--show-personal-data", " ", *args])
    assert blank.exit_code == 2


@pytest.mark.districts
def test_workbooks_are_masked_unless_asked(tmp_path: Path) -> None:
    assessment = str(_assessment(tmp_path))
    for shown, flag in ((False, []), (True, ["--show-personal-data", "核对"])):
        output = tmp_path / f"grades-{shown}.xlsx"
        result = CliRunner().invoke(
            app,
            [
                *flag,
                "rank",
                assessment,
                "--plugin",
                "jiaozhou",
                "-f",
                "xlsx",
                "--output",
                str(output),
            ],
        )
        assert result.exit_code == 0, result.output
        cells = " ".join(
            str(c.value)
            for s in load_workbook(output).worksheets
            for r in s.iter_rows()
            for c in r
            if c.value is not None
        )
        assert (ID in cells) is shown and (MOBILE in cells) is shown


def test_the_policy_is_a_context() -> None:
    assert masked(f"tel {MOBILE}") == "tel 138****5678"
    with showing_personal_data():
        assert masked(f"tel {MOBILE}") == f"tel {MOBILE}"
    assert masked(f"tel {MOBILE}") == "tel 138****5678"


@pytest.mark.parametrize("secret", SECRETS)
def test_the_secrets_are_what_a_leak_would_show(secret: str) -> None:
    assert secret not in masked(f"{ID} {MOBILE}")
