"""The 峄城 plugin: a first secretary's term under "三评五考" (source 004) as a procedure — three
evaluations, the five assessing levels as the last one's evidence, and unbinding only once the
year's commitments are met within the year, and recording the one who has not as staying bound."""

from __future__ import annotations

from governance_core import Engine
from governance_core.rules.procedures.kind import PROCEDURES


def test_the_term_follows_the_source() -> None:
    process = (
        Engine.load(plugins=["yicheng"])
        .policies.of(PROCEDURES)
        .find("yicheng.first_secretary_term")
    )
    assert process.citation.source == "004_9f1f85300d86763c.txt"
    steps = [s.id for s in process.steps]
    assert steps == [
        "evaluate_before_term",
        "commit",
        "evaluate_mid_term",
        "evaluate_end_of_term",
        "unbind",
        "keep_bound",  # 一年内 not kept: the secretary stays bound
    ]
    (end,) = [s for s in process.steps if s.id == "evaluate_end_of_term"]
    assert [e.title.zh for e in end.evidence] == [
        "市级考核",
        "区级考核",
        "镇(街道)考核",
        "村级考核",
        "原单位考核",
    ]
    (unbind,) = [s for s in process.steps if s.id == "unbind"]
    (guard,) = unbind.guards
    # met within a year of the commitment: "一年内完成承诺事项……才可以与帮包村解除捆绑"
    assert guard.expression == (
        'finding_date("完成承诺事项") - years(1) <= document_date("年度发展目标承诺")'
    )
