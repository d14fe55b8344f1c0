"""A case file names the overlays its cases run under, so the documented command runs as
written; a missing overlay is an error naming it; an overlay also on the command line is
applied once."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.testing.case_files import CaseError, read_cases
from tests.support import ROOT

SHIZHONG = ROOT / "plugins_contrib" / "shizhong"


@pytest.mark.districts
def test_the_documented_command_passes_as_written() -> None:
    args = ["test", str(SHIZHONG / "cases"), "--plugin", "shizhong", "--hide-missing"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "未通过 " not in result.output.replace("未通过 0 个", "")
    overlay = str(SHIZHONG / "tests" / "data" / "treatment-example-overlay.yaml")
    twice = CliRunner().invoke(app, [*args, "--overlay", overlay])
    assert twice.exit_code == 0, twice.output


def test_a_missing_overlay_is_named(tmp_path: Path) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text("overlays: [nowhere.yaml]\ncases: []\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"nowhere\.yaml"):
        read_cases(path)
