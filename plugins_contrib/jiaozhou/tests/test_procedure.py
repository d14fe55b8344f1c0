"""第十九条's six steps walked for a full-time and a part-time first secretary, every forbidden
move tried: the city team may not score a part-time secretary, nor the town team a full-time
one."""

from __future__ import annotations

from datetime import date, datetime

import attrs
import pytest

from governance_core import Actor, Dossier, Engine, Person, Post, StepRefusedError
from governance_core.runtime import Runtime
from governance_core.runtime.walk import Move, walk

PROCESS = "jiaozhou.first_secretary_annual_assessment"


def runtime_for(post: str) -> Runtime:
    dossier = Dossier(
        person=Person("f1", "李明"),
        as_of=date(2024, 12, 1),
        posts=(Post("f1", post, "nanguan", date(2024, 1, 1)),),
    )
    engine = Engine.load(plugins=["jiaozhou"])
    return Runtime(engine.policies, facts=lambda s, day: attrs.evolve(dossier, as_of=day))


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00")


def path(team: str, kind: str) -> list[Move]:
    return [
        Move("self_report", "first_secretary", at("2024-12-01"), {"self_report_form": "R"}),
        Move(f"score_{kind}", team, at("2024-12-10"), {"score_sheet": "S"}),
        Move(f"survey_{kind}", team, at("2024-12-15"), {"survey_tally": "T"}),
        Move("rank_and_grade", "comprehensive_team", at("2024-12-20"), {"ranking": "G"}),
        Move(
            "minister_review",
            "minister_office_meeting",
            at("2024-12-25"),
            {"reward_sanction_opinion": "O"},
        ),
        Move("city_committee_approval", "city_committee", at("2024-12-30"), {"approval": "A"}),
    ]


@pytest.mark.parametrize(
    ("post", "team", "kind"),
    [
        ("脱产驻村第一书记", "city_assessment_team", "full_time"),
        ("非脱产联村第一书记", "town_assessment_team", "part_time"),
    ],
)
def test_the_six_steps(post: str, team: str, kind: str) -> None:
    runtime = runtime_for(post)
    instance, refused = walk(runtime, PROCESS, "f1", path(team, kind), start=at("2024-11-30"))
    assert instance.state == "approved" and refused > 50
    assert runtime.process(PROCESS).definition.rubric == "jiaozhou.first_secretary_goals"


def test_the_wrong_team_is_refused_with_the_guard() -> None:
    runtime = runtime_for("非脱产联村第一书记")
    instance = runtime.start(PROCESS, "f1", Actor("组织部"), at("2024-11-30"))
    runtime.fire(
        instance,
        "self_report",
        Actor("李明", frozenset({"first_secretary"})),
        at("2024-12-01"),
        evidence={"self_report_form": "R"},
    )
    city = Actor("市委组织部考核组", frozenset({"city_assessment_team"}))
    with pytest.raises(StepRefusedError, match=r'holds_post\("脱产驻村第一书记"\) is false'):
        runtime.fire(
            instance, "score_full_time", city, at("2024-12-10"), evidence={"score_sheet": "S"}
        )
