"""Verdicts as text, in Chinese or English: outcomes, deciding values, citations."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Literal

from governance_core.expressions import Check, Observation, render_value
from governance_core.rules.criteria.definition import Effect
from governance_core.rules.criteria.verdicts import (
    Completeness,
    ItemStatus,
    ItemVerdict,
    ListVerdict,
    Outcome,
)

__all__ = [
    "Language",
    "check_text",
    "completeness_text",
    "item_reasons",
    "number_text",
    "outcome_text",
    "status_text",
]

Language = Literal["zh", "en"]

_STATUS: Mapping[ItemStatus, tuple[str, str]] = {
    ItemStatus.MET: ("满足", "met"),
    ItemStatus.NOT_MET: ("不满足", "not met"),
    ItemStatus.UNKNOWN: ("未知", "unknown"),
    ItemStatus.NOT_IN_EFFECT: ("未生效", "not in effect"),
}

# (hit, not hit) per effect, zh and en
_OUTCOME: Mapping[Effect, tuple[tuple[str, str], tuple[str, str]]] = {
    Effect.DISQUALIFY: (("不得担任", "disqualified"), ("未触发不得情形", "not disqualified")),
    Effect.VETO: (("否决", "vetoed"), ("未否决", "not vetoed")),
    Effect.ADVISORY: (("不宜担任", "advised against"), ("未触发不宜情形", "no advice against")),
    Effect.REQUIREMENT: (("符合条件", "requirements met"), ("不符合条件", "requirements not met")),
    Effect.OPENS_PROCEDURE: (
        ("启动程序", "opens the procedure"),
        ("不启动程序", "no procedure opened"),
    ),
}

_VALUE_WORDS = {"true": ("是", "true"), "false": ("否", "false"), "unknown": ("未知", "unknown")}
_OPS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "=", ">": ">", "<": "<", "in": "∈", "not in": "∉"}


def _pick(pair: tuple[str, str], lang: Language) -> str:
    return pair[0] if lang == "zh" else pair[1]


def status_text(status: ItemStatus, lang: Language) -> str:
    return _pick(_STATUS[status], lang)


def value_text(value: str, lang: Language) -> str:
    words = _VALUE_WORDS.get(value)
    return _pick(words, lang) if words else value


def completeness_text(c: Completeness, lang: Language) -> str:
    if c.complete:
        return (
            f"完整（{c.encoded}/{c.declared}项）"
            if lang == "zh"
            else f"complete ({c.encoded} of {c.declared})"
        )
    missing = c.missing_numbers
    if lang == "zh":
        which = f"，缺第{_numbers(missing)}项" if missing else "，来源未公布其余条目"
        return f"不完整：已编码{c.encoded}/{c.declared}项{which}"
    which = (
        f"; items {_numbers(missing)} not encoded"
        if missing
        else "; the source does not publish the rest"
    )
    return f"incomplete: {c.encoded} of {c.declared} encoded{which}"


def _numbers(numbers: tuple[int, ...]) -> str:
    runs: list[str] = []
    start = prev = numbers[0]
    for n in (*numbers[1:], None):
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(runs)


def outcome_text(v: ListVerdict, lang: Language) -> str:
    """E.g. "no procedure opened — inconclusive: 3 of 9 encoded; …"."""
    if v.outcome is Outcome.NOT_IN_EFFECT:
        return "清单未生效" if lang == "zh" else "list not in effect"
    if v.outcome is Outcome.UNKNOWN:
        head = (
            "无法判定（事实或参数缺失）"
            if lang == "zh"
            else "undetermined (facts or parameters missing)"
        )
    else:
        hit, not_hit = _OUTCOME[v.effect]
        head = _pick(hit if v.outcome is Outcome.HIT else not_hit, lang)
    if v.conclusive:
        return head
    if lang == "zh":
        return f"{head}——结论不确定：{completeness_text(v.completeness, lang)}"
    return f"{head} — inconclusive: {completeness_text(v.completeness, lang)}"


def check_text(check: Check, lang: Language) -> str:
    """E.g. '任职年限("党组织书记") = 2, requires ≥ 3'."""
    right = (
        check.right
        if check.right_is_literal
        else f"{check.right} (= {value_text(check.right_value, lang)})"
    )
    op = _OPS.get(check.op, check.op)
    left = value_text(check.left_value, lang)
    if lang == "zh":
        return f"{check.left} = {left}，要求 {op} {right}"
    return f"{check.left} = {left}, requires {op} {right}"


def observation_text(o: Observation, lang: Language) -> str:
    text = f"{o.expression} = {value_text(o.value, lang)}"
    if not o.known and o.reason:
        text += f"（缺：{o.reason}）" if lang == "zh" else f" (missing: {o.reason})"
    if o.evidence:
        text += f" [{', '.join(o.evidence)}]"
    return text


def item_reasons(item: ItemVerdict, lang: Language) -> list[str]:
    """The deciding values of an item: each comparison, then reads that no comparison shows."""
    compared = {c.left for c in item.checks} | {c.right for c in item.checks}
    lines = [check_text(c, lang) for c in item.checks]
    for o in item.observations:
        # a read already shown inside a comparison adds nothing, unless it is missing or cites evidence
        shown = any(o.expression in c for c in compared)
        if not shown or o.evidence or not o.known:
            lines.append(observation_text(o, lang))
    return lines


def number_text(value: int | Fraction) -> str:
    """An exact number for people: a decimal when it has one (87.5), else rounded to two
    places and marked (≈73.17); the exact value stays in JSON."""
    exact = render_value(value)
    if "/" not in exact:
        return exact
    return f"≈{float(round(Fraction(value), 2)):.2f}"
