"""`governance sources --uncovered --texts FOLDER`: the recogniser of rule-bearing sentences,
tried on the five sources' own words, and which of them the loaded records cover (issue 35).

The sources are the district's input, not the package's: the command reads them from the
folder it is given; the test reads ../shared/sources when the machine has it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.loading.source_coverage import rule_sentences, uncovered
from tests.support import ROOT

SOURCES = ROOT.parent / "shared" / "sources"

# a sentence of each source that bears a rule, and the marker that makes it one
BEARING = [
    "对存在涉黑涉恶、“三资”管理混乱、长期不履职等9种问题情形的，经镇街党(工)委集体研究，予以免职处理",  # 000
    "每月15日为固定议事日",  # 001-style cadence
    "巷长每周至少走访一次联系户",  # 002-style duty and cadence
    "季度考核排名后2位的，不得评先树优",  # 000: a bar and a number
    "年内组织一次以党性教育为主要内容的集中培训记10分，否则扣10分",  # 004: points
    "第一步，党支部提议",  # a step
]
NOT_BEARING = [
    "近年来，我市全面加强社区治理体系和治理能力现代化建设",
    "以党的领导为根本，牢牢把握社区治理正确方向",
]


@pytest.mark.parametrize("sentence", BEARING)
def test_a_sentence_with_a_number_cadence_bar_points_or_step_bears_a_rule(sentence: str) -> None:
    assert [s.text for s in rule_sentences("x.txt", sentence + "。")] == [sentence]


@pytest.mark.parametrize("sentence", NOT_BEARING)
def test_a_narrative_sentence_bears_none(sentence: str) -> None:
    assert rule_sentences("x.txt", sentence + "。") == []


def test_headings_and_repeats_are_left_out() -> None:
    text = "# 第一步 标题\n每月考核一次。每月考核一次。\n"
    (found,) = rule_sentences("x.txt", text)
    assert (found.line, found.text) == (2, "每月考核一次")


def test_a_sentence_is_covered_by_the_words_a_record_keeps(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("存在涉黑涉恶问题的，一律免职。每月通报一次。\n", "utf-8")
    found = uncovered({"s.txt": [("涉黑涉恶", "l.i")], "elsewhere.txt": [("x", "l.j")]}, tmp_path)
    assert found.counts == {"s.txt": (2, 1)}
    assert [s.text for s in found.uncovered] == ["每月通报一次"]
    assert found.absent == ("elsewhere.txt",)


@pytest.mark.districts
@pytest.mark.skipif(not SOURCES.is_dir(), reason="no ../shared/sources on this machine")
def test_every_rule_bearing_sentence_of_000_is_accounted_for_by_shizhong() -> None:
    # 市中区's own plugin accounts for every sentence of its source on its own
    asked = ["--uncovered", "--texts", str(SOURCES), "--source", "000", "--format", "json"]
    shown = CliRunner().invoke(app, ["sources", "--plugin", "shizhong", *asked])
    data = json.loads(shown.stdout)
    counted = data["documents"]["000_52a1aa9704ccaee1.txt"]
    assert counted["sentences"] > 50 and counted["covered"] == counted["sentences"]
    assert data["uncovered"] == [] and shown.exit_code == 0


@pytest.mark.districts
@pytest.mark.skipif(not SOURCES.is_dir(), reason="no ../shared/sources on this machine")
def test_every_rule_bearing_sentence_of_the_five_sources_is_accounted_for_by_the_plugins() -> None:
    # each sentence is cited by a record that encodes it or by one that says why it is not
    # encoded; a county with no plugin is explained by the city's (jining)
    plugins = sorted(p.name for p in (ROOT / "plugins_contrib").iterdir() if p.is_dir())
    loaded = [arg for name in plugins for arg in ("--plugin", name)]
    asked = ["--uncovered", "--texts", str(SOURCES), "--format", "json"]
    shown = CliRunner().invoke(app, ["sources", *loaded, *asked])
    data = json.loads(shown.stdout)
    assert len(data["documents"]) == 5 and data["absent"] == []
    assert all(c["covered"] == c["sentences"] > 15 for c in data["documents"].values())
    assert data["uncovered"] == [] and shown.exit_code == 0


@pytest.mark.districts
@pytest.mark.skipif(not SOURCES.is_dir(), reason="no ../shared/sources on this machine")
def test_a_sentence_left_unexplained_fails_the_command() -> None:
    asked = ["--uncovered", "--texts", str(SOURCES), "--source", "002", "--format", "json"]
    shown = CliRunner().invoke(app, ["sources", "--plugin", "yutai", *asked])
    data = json.loads(shown.stdout)
    assert data["uncovered"] and shown.exit_code == 1
    assert all(s["source"] == "002_6c0774b5a3b2e520.txt" for s in data["uncovered"])


def test_a_quote_that_leaves_words_out_covers_each_run_of_words(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text(
        "每月开展一次评估。每季度进行一次考核。每年评选一次。\n", "utf-8"
    )
    found = uncovered({"s.txt": [("每月开展一次评估……每季度进行一次考核", "c")]}, tmp_path)
    assert [s.text for s in found.uncovered] == ["每年评选一次"]


def test_a_line_without_chinese_is_no_sentence() -> None:
    assert rule_sentences("x.txt", "3    4\n2021/01/08\n") == []


def test_a_title_that_quotes_a_clause_covers_the_longer_sentence(tmp_path: Path) -> None:
    # a rule's title keeps the clause "集中培训记10分，否则扣10分" of a longer sentence
    (tmp_path / "s.txt").write_text(
        "年内组织对党员进行一次集中培训记10分，否则扣10分。每次奖5分另有规定。\n", "utf-8"
    )
    found = uncovered({"s.txt": [("年内组织集中培训记10分，否则扣10分", "r.rule")]}, tmp_path)
    assert [s.text for s in found.uncovered] == ["每次奖5分另有规定"]


def test_each_sentence_is_read_with_the_record_that_keeps_it(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_text("存在涉黑涉恶问题的，一律免职。每月通报一次。\n", "utf-8")
    found = uncovered(
        {"s.txt": [("涉黑涉恶", "shizhong.exit_conditions.organised_crime")]}, tmp_path
    )
    assert [(s.text, record) for s, record in found.read] == [
        ("存在涉黑涉恶问题的，一律免职", "shizhong.exit_conditions.organised_crime"),
        ("每月通报一次", None),
    ]
