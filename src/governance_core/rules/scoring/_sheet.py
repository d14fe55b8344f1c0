"""Score one person on a rubric: a score sheet listing every rule with its input, its points
and its citation, exactly (integers and fractions, never floats).

Inputs are a mapping from each rule's input name to its value. Every input must be given —
a missing one is an error, never a silent zero — and every problem of a person's inputs is
reported together, naming the rule.

A rubric is compiled once into a plan: one small function per rule that checks its input and
returns its points, so scoring a district's 100,000 people costs a call per rule. A sheet keeps
the points and inputs; its lines (titles, shown inputs, citations) are built when read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, final

import attrs

from governance_core.errors import Problem, ScoringError
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.common import Citation, Title
from governance_core.rules.scoring._rubric import (
    Rubric,
    RubricLine,
    RubricSection,
    RuleKind,
    ScoringRule,
    UnitRounding,
)

__all__ = ["ScoreLine", "ScoreSheet", "score", "sheet_data"]

Points = int | Fraction
_Scorer = Callable[[Any], Points]  # raises ValueError for an input that does not fit


@final
@attrs.frozen(slots=True)
class ScoreLine:
    """One rule for one person: the input it reads and what was given, the points it moved,
    and where it comes from. ``capped`` is True when the line's deductions reached its
    points and this one was cut."""

    section: str
    line: str
    rule: str
    title: str
    reads: str
    input: str
    points: Points
    citation: Citation
    capped: bool = False


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise ValueError(_("a count of 0 or more is expected, not {value!r}").format(value=value))
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise ValueError(_("true or false is expected, not {value!r}").format(value=value))
    return value


def _money(value: Any) -> int | Decimal:
    if type(value) is int:
        if value < 0:
            raise ValueError(_("an amount cannot be negative: {value!r}").format(value=value))
        return value
    if isinstance(value, bool) or not isinstance(value, float | Decimal | str):
        raise ValueError(_("an amount of money is expected, not {value!r}").format(value=value))
    try:
        amount = Decimal(str(value))  # str first: YAML 1.5 is exactly 1.5
    except InvalidOperation:
        raise ValueError(_("{value!r} is not an amount of money").format(value=value)) from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(_("{value!r} is not an amount of money of 0 or more").format(value=value))
    return amount


def _scorer(rule: ScoringRule) -> _Scorer:
    """The function giving a rule's points (negative for deductions) for its input. The
    common kinds test their input inline: they run once per rule per person."""
    kind = rule.kind
    if kind is RuleKind.DEDUCT_UNLESS or kind is RuleKind.BONUS_IF:
        points = rule.points or 0
        yes, no = (0, -points) if kind is RuleKind.DEDUCT_UNLESS else (points, 0)
        return lambda v: yes if v is True else no if v is False else _flag(v)
    if kind is RuleKind.DEDUCT_PER or kind is RuleKind.BONUS_PER:
        per = (rule.per or 0) * (-1 if kind is RuleKind.DEDUCT_PER else 1)
        return lambda v: per * v if type(v) is int and v >= 0 else per * _count(v)
    if kind is RuleKind.DEDUCT_JUDGED:
        least, most = rule.range or (0, 0)

        def judged(v: Any) -> int:
            chosen = _count(v)
            if chosen and not least <= chosen <= most:
                raise ValueError(
                    _("the assessor's deduction {chosen} is outside {least}–{most} (or 0)").format(
                        chosen=chosen, least=least, most=most
                    )
                )
            return -chosen

        return judged
    if kind is RuleKind.BONUS_PER_AMOUNT:
        return _per_amount(rule)
    if kind is RuleKind.BONUS_BY_CLASS:
        return _by_class(rule)
    return _grade_steps(rule)


def _per_amount(rule: ScoringRule) -> _Scorer:
    assert rule.unit is not None
    unit, per = Fraction(rule.unit), rule.per or 0
    whole = rule.rounding is UnitRounding.WHOLE_UNITS
    whole_unit = int(unit) if unit.denominator == 1 else None

    def points(v: Any) -> Points:
        amount = _money(v)
        if whole and whole_unit is not None and type(amount) is int:
            return per * (amount // whole_unit)  # the common case, without fractions
        units = Fraction(amount) / unit
        return per * int(units) if whole else per * units

    return points


def _by_class(rule: ScoringRule) -> _Scorer:
    classes = dict(rule.classes or {})

    def points(v: Any) -> int:
        if not isinstance(v, list | tuple):
            raise ValueError(
                _("a list of classes ({value}) is expected, not {v!r}").format(
                    value=", ".join(classes), v=v
                )
            )
        total = 0
        for name in v:
            if name not in classes:
                raise ValueError(
                    _("{name!r} is not one of the classes {value}").format(
                        name=name, value=", ".join(classes)
                    )
                )
            total += classes[name]
        return total

    return points


def _grade_steps(rule: ScoringRule) -> _Scorer:
    place = {grade: i for i, grade in enumerate(rule.scale or ())}  # written best first
    up, down = rule.up or 0, rule.down or 0

    def points(v: Any) -> int:
        if not isinstance(v, Mapping) or v.keys() != {"from", "to"}:
            raise ValueError(
                _("{{from: …, to: …}} on the scale {value} is expected").format(
                    value="/".join(place)
                )
            )
        start, end = place.get(v["from"]), place.get(v["to"])
        if start is None or end is None:
            raise ValueError(
                _("{start!r} → {end!r} is not on the scale {scale}").format(
                    start=v["from"], end=v["to"], scale="/".join(place)
                )
            )
        steps = start - end
        return steps * (up if steps > 0 else down)

    return points


def _shown(rule: ScoringRule, value: Any) -> str:
    """An input as a sheet shows it."""
    return _shown_as(rule.kind is RuleKind.GRADE_STEPS, value)


def _shown_as(steps: bool, value: Any) -> str:
    if steps:  # a grade's steps, from and to
        return f"{value['from']}→{value['to']}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(value) or "无"
    return str(value)


@final
class _Plan:
    """A rubric compiled: per section its base and lines; per line its points and rules."""

    __slots__ = (
        "fast",
        "flat",
        "inputs",
        "line_parts",
        "position",
        "rubric",
        "section_ids",
        "sections",
    )

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.sections: list[
            tuple[RubricSection, list[tuple[RubricLine, list[tuple[ScoringRule, _Scorer]]]]]
        ] = [
            (
                section,
                [(line, [(rule, _scorer(rule)) for rule in line.rules]) for line in section.lines],
            )
            for section in rubric.sections
        ]
        self.inputs = frozenset(rule.input for _, _, rule in rubric.rules())
        # the place of each input's rule among a sheet's points
        self.position = {rule.input: k for k, (_, _, rule) in enumerate(rubric.rules())}
        # what scoring walks: per section its id and base, per line its points and scorers
        self.flat: list[tuple[str, int, list[tuple[int | None, list[tuple[str, _Scorer]]]]]] = [
            (
                section.id,
                section.base or 0,
                [
                    (line.points, [(rule.input, scorer) for rule, scorer in rules])
                    for line, rules in lines
                ],
            )
            for section, lines in self.sections
        ]
        self.section_ids = tuple(section.id for section in rubric.sections)
        self.fast = _compile_fast(self)
        # what every sheet's line of a rule says alike, as plain data: made once, not per
        # person (the store records a sheet per person, every line with its citation)
        self.line_parts: list[tuple[str, bool, dict[str, Any]]] = [
            (
                rule.input,
                rule.kind is RuleKind.GRADE_STEPS,
                {
                    "section": section.id,
                    "line": line.id,
                    "rule": rule.id,
                    "title": rule.title.zh,
                    "reads": rule.input,
                    "citation": converter.unstructure(rule.citation or line.citation),
                },
            )
            for section, lines in self.sections
            for line, rules in lines
            for rule, _scorer_of in rules
        ]


_PLANS: dict[int, _Plan] = {}  # by id of the rubric, which the plan keeps alive


def _plan(rubric: Rubric) -> _Plan:
    plan = _PLANS.get(id(rubric))
    if plan is None or plan.rubric is not rubric:
        plan = _PLANS[id(rubric)] = _Plan(rubric)
    return plan


@final
@attrs.frozen(slots=True)
class ScoreSheet:
    """A person's score on a rubric: every rule's points (``lines`` to read them with their
    titles, inputs and citations), each section's total (``totals`` in the rubric's order,
    ``sections`` by id), and the total."""

    rubric_id: str
    person_id: str
    totals: tuple[Points, ...]
    total: Points
    _plan: _Plan = attrs.field(alias="plan", repr=False, eq=False)
    _inputs: Mapping[str, Any] = attrs.field(alias="inputs", repr=False)
    _points: tuple[Points, ...] = attrs.field(alias="points", repr=False)
    _capped: frozenset[int] = attrs.field(alias="capped", repr=False)

    @property
    def section_ids(self) -> tuple[str, ...]:
        return self._plan.section_ids

    @property
    def section_titles(self) -> dict[str, Title]:
        """Each section's title, by section id (what a reader is shown for its total)."""
        return {section.id: section.title for section in self._plan.rubric.sections}

    @property
    def sections(self) -> dict[str, Points]:
        """Each section's total, by section id."""
        return dict(zip(self._plan.section_ids, self.totals, strict=True))

    @property
    def lines(self) -> tuple[ScoreLine, ...]:
        result = []
        k = 0
        for section, lines in self._plan.sections:
            for line, rules in lines:
                for rule, _scorer_of in rules:
                    result.append(
                        ScoreLine(
                            section.id,
                            line.id,
                            rule.id,
                            rule.title.zh,
                            rule.input,
                            _shown(rule, self._inputs[rule.input]),
                            self._points[k],
                            rule.citation or line.citation,
                            k in self._capped,
                        )
                    )
                    k += 1
        return tuple(result)

    def line_data(self) -> list[dict[str, Any]]:
        """Each line as plain data, as ``converter.unstructure`` gives a :class:`ScoreLine`
        with its points as exact text; built from the plan's shared parts (tested equal)."""
        inputs, points, capped = self._inputs, self._points, self._capped
        return [
            {
                **parts,
                "citation": dict(parts["citation"]),
                "input": _shown_as(steps, inputs[name]),
                "points": str(points[k]),
                "capped": k in capped,
            }
            for k, (name, steps, parts) in enumerate(self._plan.line_parts)
        ]

    def points_of(self, input_name: str) -> Points | None:
        """The points of the rule reading ``input_name``; None if no rule reads it."""
        k = self._plan.position.get(input_name)
        return None if k is None else self._points[k]


def sheet_data(sheet: ScoreSheet) -> dict[str, Any]:
    """The sheet as plain data, every number exact as text ("171", "3/4"): for JSON output
    and for the store's records."""
    return {
        "rubric_id": sheet.rubric_id,
        "lines": sheet.line_data(),
        "sections": {k: str(v) for k, v in sheet.sections.items()},
        "total": str(sheet.total),
    }


_Fast = Callable[[Mapping[str, Any]], tuple[tuple[Points, ...], tuple[Points, ...], frozenset[int]]]


def _compile_fast(plan: _Plan) -> _Fast:
    """One generated function scoring every rule in order, for inputs that are all given and
    fit: ``inputs -> (section totals, points, capped rule positions)``. It raises KeyError or
    ValueError otherwise, and the caller collects the problems the slow way.

    Generated rather than looped because it runs once per person for 35-odd rules: the loop's
    own overhead was most of the cost. Only repr() of input names and the plan's integers
    reach the source; the scorers are bound as globals.
    """
    body = ["def fast(inputs):", "    capped = set()"]
    bound: dict[str, Any] = {}
    k = 0
    totals = []
    for s_index, (_section, base, lines) in enumerate(plan.flat):
        terms = [str(base)]
        for line_points, rules in lines:
            if line_points is not None:
                body.append(f"    room = {line_points}")
            for name, scorer in rules:
                bound[f"s{k}"] = scorer
                body.append(f"    p{k} = s{k}(inputs[{name!r}])")
                if line_points is not None:  # a clause never loses more than its own points
                    body += [
                        f"    if p{k} < 0:",
                        f"        if -p{k} > room:",
                        f"            p{k} = -room",
                        f"            capped.add({k})",
                        f"        room += p{k}",
                    ]
                terms.append(f"p{k}")
                k += 1
        body.append(f"    t{s_index} = {' + '.join(terms)}")
        totals.append(f"t{s_index}, ")
    points = "".join(f"p{i}, " for i in range(k))
    body.append(f"    return ({''.join(totals)}), ({points}), frozenset(capped)")
    namespace: dict[str, Any] = {"__builtins__": {"set": set, "frozenset": frozenset}, **bound}
    exec(compile("\n".join(body), f"<rubric {plan.rubric.id}>", "exec"), namespace)
    fast: _Fast = namespace["fast"]
    return fast


def _problems(plan: _Plan, person_id: str, inputs: Mapping[str, Any]) -> list[Problem]:
    """Every missing, invalid and unread input, each naming its rule."""
    rubric = plan.rubric
    problems = []
    for _section, _line, rule in rubric.rules():
        rule_id = f"{rubric.id}.{rule.id}"
        if rule.input not in inputs:
            problems.append(
                Problem(
                    _("no input {input!r} for {person_id}").format(
                        input=rule.input, person_id=person_id
                    ),
                    file=person_id,
                    rule_id=rule_id,
                    hint=_("give {zh} ({kind})").format(zh=rule.title.zh, kind=rule.kind.value),
                )
            )
            continue
        try:
            _scorer(rule)(inputs[rule.input])
        except ValueError as exc:
            problems.append(
                Problem(
                    _("input {input!r}: {exc}").format(input=rule.input, exc=exc),
                    file=person_id,
                    rule_id=rule_id,
                )
            )
    for name in sorted(set(inputs) - plan.inputs):
        problems.append(
            Problem(
                _("input {name!r} is read by no rule of {id}").format(name=name, id=rubric.id),
                file=person_id,
                rule_id=rubric.id,
                hint=_("check its spelling against the rubric"),
            )
        )
    return problems


def score(rubric: Rubric, person_id: str, inputs: Mapping[str, Any]) -> ScoreSheet:
    """The score sheet of ``person_id`` on ``rubric``; ScoringError lists every missing or
    invalid input, and inputs no rule reads."""
    plan = _plan(rubric)
    try:
        totals, points, capped = plan.fast(inputs)
        complete = len(inputs) == len(plan.inputs)  # every rule found its input: no extra ones
    except (KeyError, ValueError):
        complete = False
    if not complete:
        raise ScoringError(_problems(plan, person_id, inputs))
    return ScoreSheet(
        rubric.id,
        person_id,
        totals,
        sum(totals),
        plan=plan,
        inputs=inputs,
        points=points,
        capped=capped,
    )
