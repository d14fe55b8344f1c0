"""市中区's procedures walked end to end, every forbidden move tried on the way: the 有错无为
dismissal, the seven steps of the 副科级 treatment with its year, revocation and cancellation,
and the 书记工程 lifecycle. Dossiers are invented."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import attrs
import pytest

from governance_core import Actor, Area, Dossier, Engine, Finding, Person, Post, StepRefusedError
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.runtime import DueStatus, Runtime
from governance_core.runtime.walk import Move, walk

OVERLAY = Path(__file__).parent / "data" / "treatment-example-overlay.yaml"
TOWN = Actor("税郭镇党委", frozenset({"town_committee"}))


def secretary(*findings: tuple[str, date], area: Area = Area.RURAL) -> Dossier:
    return Dossier(
        person=Person("s1", "王建国"),
        as_of=date(2024, 1, 1),
        posts=(Post("s1", "党组织书记", "wangjiazhuang", date(2015, 3, 1), area=area),),
        findings=tuple(
            Finding(f"F{n}", "s1", kind, day, "税郭镇党委")
            for n, (kind, day) in enumerate(findings)
        ),
        grades={2023: "优秀"},
    )


def runtime_for(dossier: Dossier, *overlays: Path) -> Runtime:
    engine = Engine.load(plugins=["shizhong"], overlays=overlays)

    def facts(subject: str, day: date) -> Dossier | None:
        return attrs.evolve(dossier, as_of=day) if subject == dossier.person.id else None

    return Runtime(engine.policies, facts=facts)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00")


# --- 有错无为 dismissal ------------------------------------------------------------------


def test_a_finding_opens_the_dismissal_and_only_the_committee_decides() -> None:
    dossier = secretary(("“三资”管理混乱", date(2024, 3, 1)))
    runtime = runtime_for(dossier)
    (hit,) = (
        runtime.policies.of(CRITERIA)
        .find("shizhong.exit_conditions")
        .evaluate(
            [attrs.evolve(dossier, as_of=date(2024, 3, 5))],
            runtime.policies.values_on(date(2024, 3, 5)),
        )
    )
    (opened,) = runtime.open_procedures([hit], Actor("区委组织部"), at("2024-03-05"))
    assert opened.process == "shizhong.exit_dismissal" and opened.state == "problem_found"
    assert "three_assets_disorder" in (runtime.history(opened.id)[0].note or "")
    runtime.fire(opened, "verify", TOWN, at("2024-03-10"), evidence={"verification": "V-1"})
    with pytest.raises(StepRefusedError, match="needs evidence: collective_study_minutes"):
        runtime.fire(opened, "dismiss", TOWN, at("2024-03-20"))
    result = runtime.fire(
        opened, "dismiss", TOWN, at("2024-03-20"), evidence={"collective_study_minutes": "M-7"}
    )
    assert result.instance.state == "dismissed"
    (guard,) = result.event.verdicts
    assert guard.list_verdict is not None and guard.list_verdict.met()[0].evidence == ("F0",)


def test_the_dismissal_walked_both_ways_with_every_forbidden_move_refused() -> None:
    minutes = {"collective_study_minutes": "M-1"}
    for decision, end in (("dismiss", "dismissed"), ("keep", "not_dismissed")):
        runtime = runtime_for(secretary(("涉黑涉恶", date(2024, 3, 1))))
        path = [
            Move("verify", "town_committee", at("2024-03-10"), {"verification": "V"}),
            Move(decision, "town_committee", at("2024-03-20"), minutes),
        ]
        instance, refused = walk(
            runtime, "shizhong.exit_dismissal", "s1", path, start=at("2024-03-05")
        )
        assert instance.state == end and refused > 0


def test_no_dismissal_without_a_condition_found_on_the_day() -> None:
    runtime = runtime_for(secretary())
    instance = runtime.start("shizhong.exit_dismissal", "s1", TOWN, at("2024-03-05"))
    runtime.fire(instance, "verify", TOWN, at("2024-03-10"), evidence={"verification": "V"})
    with pytest.raises(StepRefusedError) as caught:
        runtime.fire(
            instance, "dismiss", TOWN, at("2024-03-20"), evidence={"collective_study_minutes": "M"}
        )
    assert (
        "is not hit on the 3 of 9 items encoded; the others could change it"
        in caught.value.reasons[0]
    )


# --- 副科级 treatment --------------------------------------------------------------------

QUALIFIED = (
    ("（示例）区级以上表彰", date(2023, 5, 1)),
    ("达到“专业化管理村党组织书记”标准", date(2023, 6, 1)),
    ("集体经济发展成效显著", date(2023, 6, 1)),
    ("（示例）共性要求4", date(2023, 6, 1)),
    ("（示例）共性要求5", date(2023, 6, 1)),
    ("（示例）共性要求6", date(2023, 6, 1)),
)

SEVEN_STEPS = [
    Move("self_recommend", "candidate", at("2024-05-06")),
    Move("town_recommend", "town_committee", at("2024-05-10")),
    Move("joint_review_passes", "joint_review", at("2024-05-15")),
    Move("field_inspection_passes", "inspection_team", at("2024-05-20")),
    Move("department_vets", "department_meeting", at("2024-05-24")),
    Move("town_approves", "town_committee", at("2024-05-27")),
    Move("notice_ends", None, at("2024-06-04")),  # five working days after 27 May end on 3 June
]


def test_eligibility_cannot_be_confirmed_while_requirements_are_unpublished() -> None:
    runtime = runtime_for(secretary(*QUALIFIED))
    instance = runtime.start("shizhong.section_level_treatment", "s1", TOWN, at("2024-05-01"))
    candidate = Actor("王建国", frozenset({"candidate"}))
    with pytest.raises(StepRefusedError) as caught:
        runtime.fire(instance, "self_recommend", candidate, at("2024-05-06"))
    (reason,) = caught.value.reasons
    # which requirements cannot be decided, by title, with the values they read
    assert "cannot be decided: items unknown: 任职年限（" in reason
    assert "shizhong_qualifying_honours = unknown" in reason


def test_the_seven_steps_then_the_year_lapses() -> None:
    runtime = runtime_for(secretary(*QUALIFIED), OVERLAY)
    instance, refused = walk(
        runtime, "shizhong.section_level_treatment", "s1", SEVEN_STEPS, start=at("2024-05-01")
    )
    assert instance.state == "granted" and refused > 100
    (deadline,) = [d for d in runtime.due(date(2025, 5, 25)) if d.deadline.instance == instance.id]
    assert deadline.deadline.last_day == date(2025, 6, 4) and deadline.status is DueStatus.UPCOMING
    (lapsed,) = runtime.sweep(at("2025-06-05"))
    assert lapsed.instance.state == "lapsed"


def test_the_first_batch_is_due_before_qiyi_and_a_later_one_has_no_such_day() -> None:
    # 000: "“七一”前将为首批符合条件人员兑现待遇" (2023-07-01): each step toward the grant is due
    # before it for the first batch; the 2024 walk above has no such deadline
    graded = attrs.evolve(secretary(*QUALIFIED), grades={2022: "优秀", 2023: "优秀"})
    runtime = runtime_for(graded, OVERLAY)
    first = runtime.start("shizhong.section_level_treatment", "s1", TOWN, at("2023-06-01"))
    candidate = Actor("王建国", frozenset({"candidate"}))
    recommended = runtime.fire(first, "self_recommend", candidate, at("2023-06-05")).instance
    (due,) = [d for d in runtime.due(date(2023, 7, 3)) if d.deadline.instance == recommended.id]
    assert due.deadline.step == "town_recommend" and due.deadline.last_day == date(2023, 6, 30)
    assert due.status is DueStatus.OVERDUE  # not recommended by 七一: the first batch is late
    later = runtime.start("shizhong.section_level_treatment", "s1", TOWN, at("2024-05-01"))
    runtime.fire(later, "self_recommend", candidate, at("2024-05-06"))
    assert [d for d in runtime.due(date(2024, 7, 3)) if d.deadline.instance == later.id] == []


def test_a_public_notice_without_its_length_is_reported_not_ended() -> None:
    runtime = runtime_for(secretary(*QUALIFIED), OVERLAY)
    instance, _ = walk(
        runtime, "shizhong.section_level_treatment", "s1", SEVEN_STEPS[:6], start=at("2024-05-01")
    )
    assert instance.state == "in_public_notice"
    unvalued = Engine.load(plugins=["shizhong"]).policies
    assert unvalued.parameters["shizhong_treatment_notice_working_days"].values == ()


def test_the_negative_list_cancels_with_accountability_and_revocation_needs_the_conditions() -> (
    None
):
    dossier = secretary(*QUALIFIED, ("个人出现违纪违法问题", date(2024, 9, 1)))
    runtime = runtime_for(dossier, OVERLAY)
    instance, _ = walk(
        runtime, "shizhong.section_level_treatment", "s1", SEVEN_STEPS, start=at("2024-05-01")
    )
    with pytest.raises(StepRefusedError) as caught:
        runtime.fire(instance, "revoke", TOWN, at("2024-09-10"))
    # the item that hit is named, with the list and how much of it is encoded
    assert "is hit by （示例）基本条件1（" in caught.value.reasons[0]
    assert "on the 1 of 9 items encoded; the others could change it" in caught.value.reasons[0]
    result = runtime.fire(instance, "cancel", TOWN, at("2024-09-10"))
    assert result.instance.state == "cancelled"
    assert result.event.consequence is not None and result.event.consequence.zh == "严肃追究问责"


def test_revocation_when_a_basic_condition_fails() -> None:
    dossier = secretary(*QUALIFIED, ("（示例）不再符合基本条件1", date(2024, 8, 1)))
    runtime = runtime_for(dossier, OVERLAY)
    instance, _ = walk(
        runtime, "shizhong.section_level_treatment", "s1", SEVEN_STEPS, start=at("2024-05-01")
    )
    assert runtime.fire(instance, "revoke", TOWN, at("2024-08-05")).instance.state == "revoked"
    without = runtime_for(dossier)  # no condition encoded: revocation cannot be decided
    fresh = without.start("shizhong.section_level_treatment", "s1", TOWN, at("2024-05-01"))
    permissions = {p.step: p for p in without.allowed(fresh, TOWN, at("2024-05-02"))}
    assert set(permissions) == {"self_recommend"}


def test_an_urban_secretary_needs_the_urban_extra_and_an_unknown_area_is_refused() -> None:
    urban = secretary(*QUALIFIED[:1], *QUALIFIED[3:], area=Area.URBAN)
    runtime = runtime_for(urban, OVERLAY)
    instance = runtime.start("shizhong.section_level_treatment", "s1", TOWN, at("2024-05-01"))
    candidate = Actor("王建国", frozenset({"candidate"}))
    with pytest.raises(StepRefusedError) as caught:
        runtime.fire(instance, "self_recommend", candidate, at("2024-05-06"))
    assert [r.split(":")[0] for r in caught.value.reasons] == ["guard urban_requirements"]
    unknown = attrs.evolve(urban, posts=(Post("s1", "党组织书记", "x", date(2015, 3, 1)),))
    runtime = runtime_for(unknown, OVERLAY)
    instance = runtime.start("shizhong.section_level_treatment", "s1", TOWN, at("2024-05-01"))
    with pytest.raises(StepRefusedError, match="is unknown"):
        runtime.fire(instance, "self_recommend", candidate, at("2024-05-06"))


# --- 书记工程 -----------------------------------------------------------------------------


def test_the_secretary_project_lifecycle() -> None:
    runtime = runtime_for(secretary())
    feedback = {"liaison_opinions": "L-1", "feedback": "FB"}
    path = [
        Move("choose", "secretary", at("2024-02-01"), {"needs_survey": "S-1"}),
        Move("arena_pitch", "district", at("2024-02-20")),
        Move("monthly_feedback", "town_committee", at("2024-03-05"), feedback),
        Move("start_push_month", "district", at("2024-03-20")),
        Move("monthly_feedback", "town_committee", at("2024-04-05"), feedback),
        Move("start_attack_month", "district", at("2024-04-20")),
        Move("quantified_assessment", "district", at("2024-05-20"), {"assessment": "A-1"}),
        Move("select_most_satisfying", "district", at("2024-12-20")),
    ]
    instance, refused = walk(
        runtime,
        "shizhong.secretary_project",
        "前岭社区：老旧小区改造",
        path,
        start=at("2024-01-10"),
    )
    assert instance.state == "most_satisfying" and refused > 50
    history = runtime.history(instance.id)
    assert [e.step for e in history].count("monthly_feedback") == 2
    assert history[3].source == history[3].dest == "planning_month"


def test_a_secretary_chooses_one_project_a_year() -> None:
    # 000: "聚焦1件群众最关心、最期盼的民生实事" — one 书记工程 a secretary a year
    runtime = runtime_for(secretary())
    chosen = {"needs_survey": "S-1"}
    wang = Actor("王建国", frozenset({"secretary"}))
    first = runtime.start("shizhong.secretary_project", "项目一", TOWN, at("2024-01-10"))
    runtime.fire(first, "choose", wang, at("2024-02-01"), evidence=chosen)
    second = runtime.start("shizhong.secretary_project", "项目二", TOWN, at("2024-03-01"))
    (permission,) = [
        p for p in runtime.allowed(second, wang, at("2024-03-05")) if p.step == "choose"
    ]
    assert not permission.allowed and f"on {first.id}" in permission.reasons[0]
    with pytest.raises(StepRefusedError) as caught:
        runtime.fire(second, "choose", wang, at("2024-03-05"), evidence=chosen)
    assert "once a year" in caught.value.reasons[0]
    li = Actor("李明", frozenset({"secretary"}))  # another secretary, the same year
    assert runtime.fire(second, "choose", li, at("2024-03-05"), evidence=chosen).instance
    third = runtime.start("shizhong.secretary_project", "项目三", TOWN, at("2025-01-10"))
    assert runtime.fire(third, "choose", wang, at("2025-02-01"), evidence=chosen).instance
