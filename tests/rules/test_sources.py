"""`governance sources` and docs/sources.md: every passage the plugins cite, where it is
encoded, and what is recorded as not encoded with its reason."""

from __future__ import annotations

import importlib.util

import orjson
import pytest
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.loading.source_index import source_index
from tests.support import ROOT

pytestmark = pytest.mark.districts  # every test here reads a contrib plugin


def test_the_page_is_current() -> None:
    spec = importlib.util.spec_from_file_location(
        "sources_page", ROOT / "scripts" / "sources_page.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for lang, target in module.TARGETS.items():
        page = target.read_text(encoding="utf-8")
        assert page == module.page(lang), "regenerate: .venv/bin/python scripts/sources_page.py"


def test_a_passage_names_the_records_that_encode_it() -> None:
    passages = source_index(Engine.load(plugins=["shizhong", "yutai"]).policies)
    (exits,) = [p for p in passages if p.quote.startswith("对存在涉黑涉恶")]
    assert "shizhong.exit_conditions" in exits.encoded_in
    assert "shizhong.exit_dismissal.dismiss" in exits.encoded_in  # a step, by its process
    (centre,) = [p for p in passages if p.quote.startswith("按照具备多功能会议室")]
    assert centre.encoded_in == () and centre.reason and "building" in centre.reason


def test_the_command_in_zh_and_json() -> None:
    runner = CliRunner()
    table = runner.invoke(
        app, ["sources", "--plugin", "yutai", "--source", "002"], env={"COLUMNS": "300"}
    )
    assert table.exit_code == 0 and "未编码：一幢场所的建设标准" in table.output
    data = orjson.loads(runner.invoke(app, ["sources", "--plugin", "yutai", "-f", "json"]).stdout)
    assert {"source", "document", "article", "quote", "encoded_in", "reason"} <= set(data[0])
