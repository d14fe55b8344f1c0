"""Run YAML case files against an engine, and report what no case exercised.

A case passes when every value its ``expect`` names equals what the engine gives; a failing
case lists each difference and a unified diff of expected against actual. Coverage counts,
over the policies chosen (all loaded, or the ids starting with given prefixes):

- criteria: each list item some case found *met*;
- rubric lines: each line on which some case's score sheet moved points;
- grade rules: each quota, band, veto, override and "the rest" of a grade policy that
  decided (or, for a veto, barred) some case's grade;
- transitions: each step of a procedure some case took.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, final

import attrs
import yaml

from governance_core.engine import Engine
from governance_core.errors import GovernanceError, StepRefusedError
from governance_core.messages import _, in_language
from governance_core.model import Roster
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.criteria.verdicts import ItemStatus
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring import Assessment, ScoreSheet, score
from governance_core.rules.scoring.kind import SCORING
from governance_core.runtime import Actor
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from governance_core.testing.case_files import Case, ReadCases, is_case_file, read_cases

__all__ = ["CaseResult", "Coverage", "Report", "run_case_files"]


@final
@attrs.frozen(slots=True)
class CaseResult:
    """One case: where it is, whether it passed, and if not, how it differed."""

    file: Path
    line: int
    name: str
    differences: tuple[str, ...] = ()
    diff: str = ""

    @property
    def passed(self) -> bool:
        return not self.differences


@final
@attrs.frozen(slots=True)
class Coverage:
    """For each kind of rule, every rule of the chosen policies and those cases exercised."""

    rules: dict[str, frozenset[str]]
    exercised: dict[str, frozenset[str]]

    def missing(self, kind: str) -> list[str]:
        return sorted(self.rules[kind] - self.exercised[kind])

    @property
    def percent(self) -> float:
        total = sum(len(r) for r in self.rules.values())
        hit = sum(len(self.rules[k] & self.exercised[k]) for k in self.rules)
        return 100.0 if total == 0 else 100.0 * hit / total


@final
@attrs.frozen(slots=True)
class Report:
    results: tuple[CaseResult, ...]
    coverage: Coverage

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if not r.passed]


KINDS = ("criteria", "rubric lines", "grade rules", "transitions")


def _rules(engine: Engine, chosen: Sequence[str]) -> dict[str, frozenset[str]]:
    def keep(rule_id: str) -> bool:
        return not chosen or any(rule_id.startswith(prefix) for prefix in chosen)

    policies, scoring = engine.policies, engine.policies.of(SCORING)
    criteria = {
        f"{list_id}/{item.id}"
        for list_id in policies.of(CRITERIA)
        if keep(list_id)
        for item in policies.of(CRITERIA).find(list_id).criteria.items
    }
    lines = {
        f"{rubric_id}/{line.id}"
        for rubric_id, rubric in scoring.rubrics.items()
        if keep(rubric_id)
        for section in rubric.sections
        for line in section.lines
    }
    grades = set()
    for policy_id, policy in scoring.grade_policies.items():
        if keep(policy_id):
            grades |= {f"{policy_id}/quota {q.grade}" for q in (*policy.top, *policy.bottom)}
            grades |= {f"{policy_id}/band {b.grade}" for b in policy.bands}
            grades |= {f"{policy_id}/veto {v.id}" for v in policy.vetoes}
            grades |= {f"{policy_id}/override {o.id}" for o in policy.overrides}
            grades.add(f"{policy_id}/the rest")
    steps = {
        f"{process_id}/{step.id}"
        for process_id, definition in policies.of(PROCEDURES).items()
        if keep(process_id)
        for step in definition.steps
    }
    return dict(zip(KINDS, map(frozenset, (criteria, lines, grades, steps)), strict=True))


def _compare(expected: dict[str, Any], actual: dict[str, Any]) -> CaseResult | None:
    """None when every expected value is found; else the differences (file and line set by
    the caller)."""
    differences = []
    for key, want in expected.items():
        got = actual.get(key)
        matches = _MATCHES.get(key, _equal)
        if isinstance(want, dict):
            got = got or {}
            differences += [
                _difference(f"{key}.{k}", key, v, got.get(k))
                for k, v in want.items()
                if not matches(v, got.get(k))
            ]
        elif not matches(want, got):
            differences.append(_difference(key, key, want, got))
    if not differences:
        return None
    shown: dict[str, Any] = {k: actual.get(k) for k in expected}
    for key, want in expected.items():  # only the entries expected, for a readable diff
        found = shown[key]
        if isinstance(want, dict) and isinstance(found, dict):
            shown[key] = {k: found.get(k) for k in want}
    diff = "".join(
        difflib.unified_diff(
            _dump(expected).splitlines(keepends=True),
            _dump(shown).splitlines(keepends=True),
            _("expected"),
            _("actual"),
        )
    )
    return CaseResult(Path(), 0, "", tuple(differences), diff)


def _equal(want: Any, got: Any) -> bool:
    # YAML lists are read as lists, results hold tuples: compare them as sequences
    if isinstance(want, list | tuple) and isinstance(got, list | tuple):
        return list(want) == list(got)
    return bool(want == got)


def _contains(want: Any, got: Any) -> bool:
    return isinstance(got, str) and str(want) in got


# how an expectation is met when it is not by equality
_MATCHES: dict[str, Callable[[Any, Any], bool]] = {
    "not_grades": lambda want, got: got != want,
    "reasons": _contains,
    "vote_reasons": _contains,
}


def _difference(where: str, key: str, want: Any, got: Any) -> str:
    if key == "not_grades":
        return _("{key}: must not be {want!r}, and is").format(key=where, want=want)
    if key in ("reasons", "vote_reasons"):
        return _("{key}: should contain {want!r}, is {got!r}").format(key=where, want=want, got=got)
    return _("{key}: expected {want!r}, got {got!r}").format(key=where, want=want, got=got)


def _dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=True, default_flow_style=False)


def _expected(case: Case) -> dict[str, Any]:
    data = attrs.asdict(case.expect)
    return {k: v for k, v in data.items() if v not in (None, {}, ())}


def _sheet_lines(rubric_id: str, sheet: ScoreSheet) -> Iterator[str]:
    for row in sheet.lines:
        if row.points != 0:
            yield f"{rubric_id}/{row.line}"


def _assessment_rules(result: Assessment) -> Iterator[str]:
    """The grade policy's elements that placed someone, and the vetoes that held."""
    for g in result.graded:
        if g.decided_by is not None:
            yield f"{result.policy.id}/{g.decided_by}"
        yield from (f"{result.policy.id}/veto {veto}" for veto in g.vetoed_by)


def _run(
    engine: Engine, case: Case, roster: Roster | None, seen: dict[str, set[str]]
) -> dict[str, Any]:
    """What the engine gives for ``case``, in the shape of its expectations; records the
    rules it exercised in ``seen``."""
    if case.kind == "list":
        assert roster is not None and case.person is not None and case.as_of is not None
        (v,) = engine.evaluate(
            case.list or "", roster.dossiers(case.as_of, people=(case.person,)), case.as_of
        )
        seen["criteria"] |= {f"{v.list_id}/{i.id}" for i in v.items if i.status is ItemStatus.MET}
        return {
            "outcome": v.outcome.value,
            "conclusive": v.conclusive,
            "items": {i.id: i.status.value for i in v.items},
        }
    if case.kind == "rubric":
        rubric = engine.policies.of(SCORING).rubric(case.rubric or "")
        sheet = score(rubric, case.person or "case", case.inputs)
        seen["rubric lines"] |= set(_sheet_lines(rubric.id, sheet))
        return {
            "total": str(sheet.total),
            "sections": {k: str(v) for k, v in sheet.sections.items()},
            "lines": {row.rule: str(row.points) for row in sheet.lines},
        }
    if case.kind == "grade_policy":
        assert case.as_of is not None
        result = engine.assess(case.grade_policy or "", case.entries, case.as_of, roster=roster)
        for sheet in result.sheets.values():
            seen["rubric lines"] |= set(_sheet_lines(sheet.rubric_id, sheet))
        seen["grade rules"] |= set(_assessment_rules(result))
        votes = result.votes
        return {
            "grades": {g.person_id: g.grade for g in result.graded},
            "places": {g.person_id: g.place for g in result.graded},
            "scores": {
                g.person_id: None if g.score is None else str(g.score) for g in result.graded
            },
            "not_grades": {g.person_id: g.grade for g in result.graded},
            "conclusive_grades": {g.person_id: g.conclusive for g in result.graded},
            "decided_by": {g.person_id: g.decided_by for g in result.graded},
            "vetoed_by": {g.person_id: g.vetoed_by for g in result.graded},
            "reasons": {g.person_id: "; ".join((g.rule, *g.notes)) for g in result.graded},
            "votes_valid": {p: v.valid for p, v in votes.items()},
            "vote_reasons": {p: v.reason for p, v in votes.items()},
        }
    return _run_process(engine, case, roster, seen)


def _run_process(
    engine: Engine, case: Case, roster: Roster | None, seen: dict[str, set[str]]
) -> dict[str, Any]:
    assert case.process is not None and case.subject is not None and case.start is not None
    # a SQL store (in memory) when the case asks whether its history verifies
    store = SqlStore("sqlite://") if case.expect.audit is not None else None
    runtime = engine.runtime(store, roster=roster)
    instance = runtime.start(case.process, case.subject, Actor("case"), case.start)
    moves: dict[str, Any] = {}
    for n, fire in enumerate(case.fires, 1):
        where = f"fire {n} ({fire.step or 'sweep'})"
        try:
            if fire.sweep:
                for taken in runtime.sweep(fire.at):
                    seen["transitions"].add(f"{case.process}/{taken.event.step}")
                instance = runtime.store.load(instance.id)
                continue
            actor = Actor(f"case:{'+'.join(fire.role)}", frozenset(fire.role))
            runtime.fire(instance, fire.step or "", actor, fire.at, evidence=dict(fire.evidence))
            seen["transitions"].add(f"{case.process}/{fire.step}")
            if fire.refused:
                moves[where] = "taken, but a refusal was expected"
        except StepRefusedError as refused:
            text = "; ".join(refused.reasons)
            wanted = fire.refused
            if not wanted or (isinstance(wanted, str) and wanted not in text):
                moves[where] = f"refused: {text}"
    history = runtime.history(instance.id)
    result: dict[str, Any] = {
        "state": instance.state,
        "events": [e.step for e in history],
        "states": [e.dest for e in history],
        "deadlines": {
            d.step: d.last_day for d in runtime.store.deadlines() if d.instance == instance.id
        },
        "consequences": [e.consequence.zh for e in history if e.consequence is not None],
    }
    if store is not None:
        result["audit"] = verify(store).ok
    if moves:
        result["moves"] = moves
    return result


def run_case_files(
    engine: Engine, paths: Iterable[str | Path], *, cover: Sequence[str] = ()
) -> Report:
    """Run every case of every file (a folder: its ``*.yaml`` files, recursively). Raises
    CaseError for a file that cannot be read, before any case runs."""
    files: list[ReadCases] = []
    for path in map(Path, paths):
        # a folder's other YAML (overlays, rosters, inputs) is left alone, by its kind
        found = sorted(filter(is_case_file, path.rglob("*.yaml"))) if path.is_dir() else [path]
        files += [read_cases(f) for f in found]
    seen: dict[str, set[str]] = {kind: set() for kind in KINDS}
    results = []
    # a file's cases run under the overlays it names, on top of the command's
    engines: dict[tuple[str, ...], Engine] = {(): engine}
    for read in files:
        overlays = read.file.overlays
        if overlays not in engines:
            engines[overlays] = engine.with_overlays(overlays)
        for case, line in zip(read.file.cases, read.lines, strict=True):
            expected = _expected(case)
            try:
                # results in English: a case's texts match whatever the command speaks
                with in_language("en"):
                    actual = _run(engines[overlays], case, read.file.roster, seen)
            except GovernanceError as error:
                results.append(CaseResult(read.path, line, case.name, (f"error: {error}",)))
                continue
            moves = [f"{where}: {what}" for where, what in actual.pop("moves", {}).items()]
            differed = _compare(expected, actual)
            result = CaseResult(read.path, line, case.name, tuple(moves))
            if differed is not None:
                result = attrs.evolve(
                    differed,
                    file=read.path,
                    line=line,
                    name=case.name,
                    differences=(*moves, *differed.differences),
                )
            results.append(result)
    rules: dict[str, frozenset[str]] = {kind: frozenset() for kind in KINDS}
    for used in engines.values():  # an overlay may add items: they count too
        for kind, ids in _rules(used, cover).items():
            rules[kind] |= ids
    exercised = {kind: frozenset(seen[kind]) for kind in KINDS}
    return Report(tuple(results), Coverage(rules, exercised))
