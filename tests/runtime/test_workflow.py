"""The workflow runtime: definitions checked with locations, fires with roles, evidence,
guards and versions, deadlines on the official calendar, the sweeper, and the transitions
pattern the design pins (one machine per definition, instances never added to it)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from governance_core import (
    Actor,
    Dossier,
    Engine,
    Finding,
    Person,
    PolicyError,
    ProcessInstance,
    RequestReusedError,
    StepRefusedError,
    VersionConflictError,
)
from governance_core.loading.assembly import load_policies
from governance_core.rules.calendar import OfficialCalendar
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.procedures import DueKind, DueRule
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.runtime import (
    SWEEPER,
    DueStatus,
    GuardStatus,
    Runtime,
    add_months,
    last_day,
)
from governance_core.runtime.replay import replay

CITATION = "{document: 测试文件, article: 第一条, source: test.txt}"
AT = datetime(2024, 3, 1, 9, 0)
FOUR = "core.four_deliberations_two_disclosures"

BRANCH = Actor("支部", frozenset({"village_party_branch"}))
COMMITTEES = Actor("两委", frozenset({"two_committees"}))
MEMBERS = Actor("党员大会", frozenset({"party_members_meeting"}))
REPRESENTATIVES = Actor("村民代表会议", frozenset({"representatives_meeting"}))


def guarded_yaml(extra_steps: str = "", notice: str = "[{value: 5}]") -> str:
    """A list and a procedure about a person: a finding opens it, a guard on the list
    decides, a notice period ends automatically."""
    return f"""\
parameters:
  - id: notice_days
    title: {{zh: 公示期, en: Notice period}}
    kind: number
    citation: {CITATION}
    values: {notice}
lists:
  - id: test.exit
    title: {{zh: 退出情形, en: Exit conditions}}
    citation: {CITATION}
    declared_size: 1
    effect: opens_procedure
    procedure: test.dismissal
    hit_policy: any
    items:
      - {{id: crime, title: {{zh: 涉黑涉恶, en: Crime}}, citation: {CITATION}, expression: has_finding("涉黑涉恶")}}
processes:
  - id: test.dismissal
    title: {{zh: 免职, en: Dismissal}}
    citation: {CITATION}
    subject: person
    initial: found
    roles:
      - {{id: town, title: {{zh: 镇党委, en: Town committee}}}}
    states:
      - {{id: found, title: {{zh: 发现, en: Found}}}}
      - {{id: notice, title: {{zh: 公示, en: Notice}}}}
      - {{id: dismissed, title: {{zh: 免职, en: Dismissed}}, terminal: true}}
    steps:
      - id: decide
        title: {{zh: 集体研究, en: Collective study}}
        sources: [found]
        dest: notice
        roles: [town]
        required: true
        guards:
          - {{id: still_found, title: {{zh: 仍存在, en: Still found}}, list: test.exit, expect: hit}}
        evidence:
          - {{id: minutes, title: {{zh: 会议记录, en: Minutes}}}}
      - id: notice_ends
        title: {{zh: 公示期满, en: Notice ends}}
        sources: [notice]
        dest: dismissed
        required: true
        due: {{kind: working_days, parameter: notice_days, automatic: true}}
{extra_steps}"""


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def person(*findings: str) -> Dossier:
    return Dossier(
        person=Person("p1", "王建国"),
        as_of=date(2024, 3, 1),
        findings=tuple(
            Finding(f"F{n}", "p1", kind, date(2024, 2, 1), "镇纪委")
            for n, kind in enumerate(findings)
        ),
    )


def guarded_runtime(tmp_path: Path, dossier: Dossier, **kwargs: str) -> Runtime:
    policies = load_policies([write(tmp_path, guarded_yaml(**kwargs))])
    return Runtime(
        policies, facts=lambda subject, day: dossier if subject == dossier.person.id else None
    )


@pytest.fixture
def four(engine_plain: Engine) -> Runtime:
    return engine_plain.runtime()


@pytest.fixture(scope="module")
def engine_plain() -> Engine:
    return Engine.load()


# --- definitions --------------------------------------------------------------------------


def test_every_problem_of_a_definition_is_reported_with_its_place(tmp_path: Path) -> None:
    broken = guarded_yaml(
        extra_steps="""\
      - {id: leave_end, title: {zh: 离开, en: Leave}, sources: [dismissed], dest: found, roles: [town]}
      - {id: stray, title: {zh: 孤立, en: Stray}, sources: [nowhere], dest: found, roles: [mayor]}
      - id: auto_with_role
        title: {zh: 自动, en: Auto}
        sources: [notice]
        dest: dismissed
        roles: [town]
        due: {kind: days, count: 3, automatic: true}
"""
    ).replace("initial: found", "initial: fond")
    with pytest.raises(PolicyError) as caught:
        load_policies([write(tmp_path, broken)])
    text = str(caught.value)
    assert (
        "[test.dismissal] the initial state 'fond' is not one of the states (did you mean 'found'?)"
        in text
    )
    assert "[test.dismissal.leave_end] state 'dismissed' is terminal; no step may leave it" in text
    assert "[test.dismissal.stray] no state 'nowhere'" in text
    assert "[test.dismissal.stray] no role 'mayor'" in text
    assert "an automatic step is taken by the sweeper, so it names no roles" in text
    for problem in caught.value.problems:
        assert problem.file is not None and problem.file.endswith("policy.yaml")
        assert problem.line is not None and problem.column is not None


def test_unreachable_and_dead_end_states_are_refused(tmp_path: Path) -> None:
    text = guarded_yaml().replace(
        "      - {id: dismissed,",
        "      - {id: limbo, title: {zh: 悬置, en: Limbo}}\n      - {id: dismissed,",
    )
    with pytest.raises(PolicyError, match="state 'limbo' cannot be reached from 'found'"):
        load_policies([write(tmp_path, text)])


def test_a_guard_naming_an_unknown_list_or_a_bad_expression_is_located(tmp_path: Path) -> None:
    text = guarded_yaml().replace("list: test.exit", "list: test.exits")
    text = text.replace(
        "        evidence:\n          - {id: minutes",
        "          - {id: bad, title: {zh: 坏, en: Bad}, expression: has_finding(1)}\n"
        "        evidence:\n          - {id: minutes",
    )
    with pytest.raises(PolicyError) as caught:
        load_policies([write(tmp_path, text)])
    messages = [str(p) for p in caught.value.problems]
    assert any("no list 'test.exits' is loaded (did you mean 'test.exit'?)" in m for m in messages)
    assert any("[test.dismissal.decide.bad]" in m for m in messages)


def test_an_overlay_cannot_remove_a_required_step(tmp_path: Path) -> None:
    policy = write(tmp_path, guarded_yaml())
    overlay = write(
        tmp_path,
        """\
overlay: {id: test.district, title: {zh: 区补充, en: District}, version: "1"}
processes:
  - process: test.dismissal
    remove:
      - {step: decide, reason: 简化}
""",
        "overlay.yaml",
    )
    with pytest.raises(PolicyError) as caught:
        load_policies([policy], overlays=[overlay])
    (problem,) = caught.value.problems
    assert problem.file is not None and problem.file.endswith("overlay.yaml")
    assert problem.line == 5
    assert "step 'decide' is required by its source and cannot be removed" in str(problem)


def test_an_overlay_adds_evidence_and_a_step_and_records_the_changes(tmp_path: Path) -> None:
    policy = write(tmp_path, guarded_yaml())
    overlay = write(
        tmp_path,
        """\
overlay: {id: test.district, title: {zh: 区补充, en: District}, version: "1"}
processes:
  - process: test.dismissal
    states:
      - {id: kept, title: {zh: 不予免职, en: Kept}, terminal: true}
    steps:
      - {id: keep, title: {zh: 不予免职, en: Keep}, sources: [found], dest: kept, roles: [town]}
    extend:
      - step: decide
        evidence:
          - {id: report, title: {zh: 核实报告, en: Verification report}}
""",
        "overlay.yaml",
    )
    policies = load_policies([policy], overlays=[overlay])
    definition = policies.of(PROCEDURES).find("test.dismissal")
    assert [e.id for e in definition.step("decide").evidence] == ["minutes", "report"]
    assert definition.step("keep").dest == "kept"
    assert {(c.kind.value, c.rule_id) for c in policies.changes} >= {
        ("added", "test.dismissal.keep"),
        ("extended", "test.dismissal.decide"),
    }


def test_a_list_that_opens_an_unknown_procedure_is_refused(tmp_path: Path) -> None:
    text = guarded_yaml().replace("procedure: test.dismissal", "procedure: test.dismisal")
    with pytest.raises(PolicyError, match=r"opens procedure 'test\.dismisal', which is not loaded"):
        load_policies([write(tmp_path, text)])


# --- firing -------------------------------------------------------------------------------


def walk_four(runtime: Runtime) -> ProcessInstance:
    instance = runtime.start(FOUR, "修村道", BRANCH, AT, instance_id="m1")
    for step, actor, kind in (
        ("propose", BRANCH, "proposal"),
        ("deliberate", COMMITTEES, "minutes"),
        ("review", MEMBERS, "minutes"),
        ("resolve", REPRESENTATIVES, "resolution"),
        ("disclose_resolution", COMMITTEES, "notice"),
        ("disclose_results", COMMITTEES, "notice"),
    ):
        runtime.fire(instance, step, actor, AT, evidence={kind: f"{step}-doc"})
    return instance


def test_the_built_in_four_deliberations_walk_to_the_end(four: Runtime) -> None:
    instance = walk_four(four)
    assert (instance.state, instance.version) == ("results_disclosed", 7)
    events = four.history("m1")
    assert [e.sequence for e in events] == list(range(1, 8))
    assert events[3].role == "party_members_meeting"
    assert events[3].evidence == (("minutes", "review-doc"),)
    assert {e.definition_hash for e in events} == {instance.definition_hash}


@pytest.mark.parametrize(
    ("step", "actor", "evidence", "reason"),
    [
        ("propose", COMMITTEES, {"proposal": "d"}, "may be taken by village_party_branch"),
        ("deliberate", COMMITTEES, {"minutes": "d"}, "the instance is in state 'raised'"),
        ("propose", BRANCH, {}, "needs evidence: proposal"),
        ("propose", BRANCH, {"proposal": "d", "photo": "x"}, "takes no evidence of kind photo"),
        ("propos", BRANCH, {}, "did you mean 'propose'?"),
    ],
)
def test_forbidden_moves_are_refused_with_the_reason_and_change_nothing(
    four: Runtime, step: str, actor: Actor, evidence: dict[str, str], reason: str
) -> None:
    instance = four.start(FOUR, "修村道", BRANCH, AT)
    with pytest.raises(StepRefusedError) as caught:
        four.fire(instance, step, actor, AT, evidence=evidence)
    assert any(reason in r for r in caught.value.reasons), caught.value.reasons
    assert (instance.state, instance.version) == ("raised", 1)
    assert len(four.history(instance.id)) == 1


def test_nothing_leaves_a_terminal_state_and_time_does_not_run_back(four: Runtime) -> None:
    instance = walk_four(four)
    with pytest.raises(StepRefusedError, match="it has ended"):
        four.fire(instance, "disclose_results", COMMITTEES, AT, evidence={"notice": "n"})
    fresh = four.start(FOUR, "修桥", BRANCH, AT)
    with pytest.raises(StepRefusedError, match="is before the instance entered"):
        four.fire(fresh, "propose", BRANCH, datetime(2024, 2, 1), evidence={"proposal": "p"})


def test_a_stale_copy_gets_a_conflict_and_writes_nothing(four: Runtime) -> None:
    first = four.start(FOUR, "修村道", BRANCH, AT)
    stale = four.store.load(first.id)
    four.fire(first, "propose", BRANCH, AT, evidence={"proposal": "p"})
    with pytest.raises(VersionConflictError) as caught:
        four.fire(stale, "propose", BRANCH, AT, evidence={"proposal": "p2"})
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert (stale.state, stale.version) == ("raised", 1)
    assert [e.step for e in four.history(first.id)] == ["start", "propose"]


def test_a_repeated_request_id_returns_the_first_result(four: Runtime) -> None:
    instance = four.start(FOUR, "修村道", BRANCH, AT, request_id="start-1")
    assert four.start(FOUR, "修村道", BRANCH, AT, request_id="start-1").id == instance.id
    first = four.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "p"}, request_id="r1")
    copy = four.store.load(instance.id)
    again = four.fire(copy, "propose", BRANCH, AT, evidence={"proposal": "p"}, request_id="r1")
    assert again.repeated and again.event == first.event
    assert len(four.history(instance.id)) == 2
    with pytest.raises(RequestReusedError, match="first used for step propose of"):
        four.fire(copy, "deliberate", COMMITTEES, AT, evidence={"minutes": "m"}, request_id="r1")


def test_allowed_lists_every_step_out_of_the_state_and_why_not(four: Runtime) -> None:
    instance = four.start(FOUR, "修村道", BRANCH, AT)
    four.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "p"})
    four.fire(instance, "deliberate", COMMITTEES, AT, evidence={"minutes": "m"})
    permissions = {p.step: p for p in four.allowed(instance, MEMBERS, AT)}
    assert set(permissions) == {"review", "members_reject"}
    assert permissions["review"].allowed and permissions["review"].evidence == ("minutes",)
    refused = {p.step: p for p in four.allowed(instance, COMMITTEES, AT)}
    assert not refused["review"].allowed
    assert "may be taken by party_members_meeting" in refused["review"].reasons[0]


def test_one_machine_per_definition_and_instances_are_never_added_to_it(four: Runtime) -> None:
    """The transitions FAQ pattern design.md decides; a transitions upgrade that breaks it
    fails here."""
    compiled = four.process(FOUR)
    walk_four(four)
    assert compiled.machine.models == []
    assert compiled.steps["propose"].event is compiled.machine.events["propose"]
    assert not hasattr(ProcessInstance("x", FOUR, 1, "h", "s", "raised", 1, AT.date()), "__dict__")


# --- guards -------------------------------------------------------------------------------


def test_a_guard_decides_and_its_verdict_is_recorded(tmp_path: Path) -> None:
    town = Actor("镇党委", frozenset({"town"}))
    runtime = guarded_runtime(tmp_path, person())
    instance = runtime.start("test.dismissal", "p1", town, AT)
    with pytest.raises(StepRefusedError) as caught:
        runtime.fire(instance, "decide", town, AT, evidence={"minutes": "m"})
    (verdict,) = caught.value.verdicts
    assert verdict.status is GuardStatus.FAILED  # type: ignore[attr-defined]
    # the failing items are named, with the values they read
    assert (
        "list test.exit (退出情形) is not hit; the step needs hit: 涉黑涉恶（"
        in caught.value.reasons[0]
    )

    runtime = guarded_runtime(tmp_path, person("涉黑涉恶"))
    instance = runtime.start("test.dismissal", "p1", town, AT)
    result = runtime.fire(instance, "decide", town, AT, evidence={"minutes": "m"})
    (recorded,) = result.event.verdicts
    assert recorded.status is GuardStatus.PASSED
    assert recorded.list_verdict is not None and recorded.list_verdict.met()[0].evidence == ("F0",)


def test_a_hit_list_opens_its_procedure_once(tmp_path: Path) -> None:
    dossier = person("涉黑涉恶")
    runtime = guarded_runtime(tmp_path, dossier)
    verdicts = (
        runtime.policies.of(CRITERIA)
        .find("test.exit")
        .evaluate([dossier], runtime.policies.values_on(AT.date()))
    )
    clerk = Actor("组织委员", frozenset())
    (opened,) = runtime.open_procedures(verdicts, clerk, AT)
    (again,) = runtime.open_procedures(verdicts, clerk, AT)
    assert opened.id == again.id
    (start,) = runtime.history(opened.id)
    assert start.note is not None and "crime (涉黑涉恶)" in start.note and "F0" in start.note
    assert (
        runtime.open_procedures(
            runtime.policies.of(CRITERIA)
            .find("test.exit")
            .evaluate([person()], runtime.policies.values_on(AT.date())),
            clerk,
            AT,
        )
        == ()
    )


# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "count", "entered", "expected"),
    [
        # the National Day week: 1-7 October are off, Saturday 10 October is worked
        (DueKind.WORKING_DAYS, 5, date(2026, 9, 30), date(2026, 10, 13)),
        (DueKind.WORKING_DAYS, 1, date(2024, 2, 9), date(2024, 2, 18)),  # Sunday worked after 春节
        (DueKind.DAYS, 10, date(2024, 2, 25), date(2024, 3, 6)),
        (DueKind.MONTHS, 1, date(2024, 1, 31), date(2024, 2, 29)),
        (DueKind.YEARS, 1, date(2024, 2, 29), date(2025, 2, 28)),
        (DueKind.BEFORE_DAY_OF_NEXT_MONTH, 10, date(2024, 1, 31), date(2024, 2, 9)),
        (DueKind.END_OF_QUARTER, None, date(2024, 5, 15), date(2024, 6, 30)),
        (DueKind.END_OF_QUARTER, None, date(2024, 12, 1), date(2024, 12, 31)),
    ],
)
def test_last_days(kind: DueKind, count: int | None, entered: date, expected: date) -> None:
    due = last_day(DueRule(kind, count), entered, {}, OfficialCalendar())
    assert due.day == expected


def test_months_are_added_to_the_last_day_of_a_shorter_month() -> None:
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)


def test_the_sweeper_ends_a_notice_once_overdue_and_twice_changes_nothing(tmp_path: Path) -> None:
    town = Actor("镇党委", frozenset({"town"}))
    runtime = guarded_runtime(tmp_path, person("涉黑涉恶"))
    instance = runtime.start("test.dismissal", "p1", town, AT)
    runtime.fire(instance, "decide", town, AT, evidence={"minutes": "m"})
    # 1 March 2024 is a Friday: five working days end on Friday 8 March
    (deadline,) = runtime.due(date(2024, 3, 1))
    assert deadline.deadline.last_day == date(2024, 3, 8) and deadline.status is DueStatus.UPCOMING
    with pytest.raises(StepRefusedError, match="only the sweeper takes it"):
        runtime.fire(instance, "notice_ends", town, datetime(2024, 3, 11))
    assert runtime.sweep(datetime(2024, 3, 8, 18)) == []
    (swept,) = runtime.sweep(datetime(2024, 3, 11, 8))
    assert swept.instance.state == "dismissed" and swept.event.actor == SWEEPER.id
    # in effect on the day it fell due (the Saturday after the last day), not the Monday of
    # the sweep, whose time the note keeps
    assert swept.event.at == datetime(2024, 3, 9) and swept.instance.entered_on == date(2024, 3, 9)
    assert swept.event.note == "taken by the sweep of 2024-03-11T08:00"
    assert runtime.sweep(datetime(2024, 3, 11, 8)) == []
    assert runtime.sweep(datetime(2024, 4, 1)) == []
    assert [e.step for e in runtime.history(instance.id)] == ["start", "decide", "notice_ends"]
    assert runtime.due(date(2024, 4, 1)) == []


def test_a_sweep_three_weeks_late_takes_effect_when_the_step_fell_due(tmp_path: Path) -> None:
    town = Actor("镇党委", frozenset({"town"}))
    runtime = guarded_runtime(tmp_path, person("涉黑涉恶"))
    instance = runtime.start("test.dismissal", "p1", town, AT)
    runtime.fire(instance, "decide", town, AT, evidence={"minutes": "m"})
    (swept,) = runtime.sweep(datetime(2024, 3, 30, 9))
    assert swept.event.at.date() == date(2024, 3, 9)  # not 30 March
    assert "2024-03-30T09:00" in (swept.event.note or "")
    assert [e.at.date() for e in runtime.history(instance.id)][-1] == date(2024, 3, 9)


def test_a_period_without_its_length_is_reported_not_swept(tmp_path: Path) -> None:
    town = Actor("镇党委", frozenset({"town"}))
    runtime = guarded_runtime(tmp_path, person("涉黑涉恶"), notice="[]")
    instance = runtime.start("test.dismissal", "p1", town, AT)
    runtime.fire(instance, "decide", town, AT, evidence={"minutes": "m"})
    (due,) = runtime.due(date(2025, 1, 1))
    assert due.status is DueStatus.UNKNOWN
    assert due.deadline.unknown_because is not None
    assert "notice_days has no value" in due.deadline.unknown_because
    assert runtime.sweep(datetime(2025, 1, 1)) == []


def test_a_journal_replays_what_was_accepted_and_nothing_refused(
    tmp_path: Path, engine_plain: Engine
) -> None:
    from governance_core.storage.journal import JournalStore

    path = tmp_path / "journal.jsonl"
    runtime = engine_plain.runtime(JournalStore(path))
    instance = runtime.start(FOUR, "修村道", BRANCH, AT, instance_id="m1", request_id="s")
    runtime.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "p"})
    with pytest.raises(StepRefusedError):
        runtime.fire(instance, "review", BRANCH, AT)
    lines = path.read_bytes().splitlines()
    reopened = engine_plain.runtime(JournalStore(path))
    again = reopened.store.load("m1")
    assert (again.state, again.version) == ("proposed", 2)
    assert reopened.history("m1") == runtime.history("m1")
    assert reopened.start(FOUR, "修村道", BRANCH, AT, request_id="s").id == "m1"
    assert path.read_bytes().splitlines() == lines
    path.write_bytes(path.read_bytes() + b"{broken\n")
    from governance_core.errors import WorkflowError

    with pytest.raises(WorkflowError, match=r"journal\.jsonl:3: journal entry cannot be replayed"):
        JournalStore(path)


def test_a_move_to_a_definition_without_the_instances_state_is_refused(
    four: Runtime,
) -> None:
    import attrs

    from governance_core.loading.policy_set import PolicySet
    from governance_core.rules.procedures import State
    from governance_core.rules.procedures.kind import PROCEDURES

    instance = four.start(FOUR, "修村道", BRANCH, AT)
    four.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "P"})
    old = four.process(FOUR).definition
    renamed = attrs.evolve(
        old,
        version=2,
        states=tuple(
            State("put_forward", s.title) if s.id == "proposed" else s for s in old.states
        ),
        steps=tuple(
            attrs.evolve(
                s,
                sources=tuple("put_forward" if x == "proposed" else x for x in s.sources),
                dest="put_forward" if s.dest == "proposed" else s.dest,
            )
            for s in old.steps
        ),
    )
    policies = PolicySet({}, four.policies.schema, {PROCEDURES.name: {FOUR: renamed}})
    newer = Runtime(policies, four.store)
    with pytest.raises(StepRefusedError) as caught:
        newer.migrate(four.store.load(instance.id), COMMITTEES, AT, reason="改名")
    (reason,) = caught.value.reasons
    assert reason.startswith("its state 'proposed' no longer exists") and "--map" in reason
    assert four.store.load(instance.id).version == 2
    # mapped to its new name, the instance moves, and its history replays in the new names
    moved = newer.migrate(
        four.store.load(instance.id),
        COMMITTEES,
        AT,
        reason="改名",
        states={"proposed": "put_forward"},
    )
    assert moved.instance.state == "put_forward" and moved.event.renamed == (
        ("proposed", "put_forward"),
    )
    assert replay(renamed, four.store.events(instance.id))[0] == "put_forward"
