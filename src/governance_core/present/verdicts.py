"""Verdicts as text, in Chinese or English: outcomes, deciding values, citations."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import Literal

from governance_core.expressions import Check, Observation
from governance_core.messages import _, in_language
from governance_core.present.rows import Marked, Rows, Tone
from governance_core.present.words import status_words
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
    "hit_means",
    "item_reasons",
    "outcome_text",
    "status_text",
    "verdict_rows",
]

Language = Literal["zh", "en"]


def _outcome_words(effect: Effect, hit: bool) -> str:
    """What a hit (or its absence) means under the list's effect."""
    words = {
        Effect.DISQUALIFY: (_("disqualified"), _("not disqualified")),
        Effect.VETO: (_("vetoed"), _("not vetoed")),
        Effect.ADVISORY: (_("advised against"), _("no advice against")),
        Effect.REQUIREMENT: (_("requirements met"), _("requirements not met")),
        Effect.OPENS_PROCEDURE: (_("opens the procedure"), _("no procedure opened")),
    }
    return words[effect][0 if hit else 1]


def hit_means(effect: Effect) -> str:
    """What a list's hit means under its effect (disqualified, vetoed, …)."""
    return _outcome_words(effect, True)


_OPS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "=", ">": ">", "<": "<", "in": "∈", "not in": "∉"}


def status_text(status: ItemStatus, lang: Language) -> str:
    with in_language(lang):
        return status_words(status)


def _value(value: str) -> str:
    words = {"true": _("true"), "false": _("false"), "unknown": _("unknown")}
    return words.get(value, value)


def value_text(value: str, lang: Language) -> str:
    with in_language(lang):
        return _value(value)


def completeness_text(c: Completeness, lang: Language) -> str:
    with in_language(lang):
        return _completeness(c)


def _completeness(c: Completeness) -> str:
    if c.complete:
        return _("complete ({encoded} of {declared})").format(
            encoded=c.encoded, declared=c.declared
        )
    missing = c.missing_numbers
    which = (
        _("; items {numbers} not encoded").format(numbers=_numbers(missing))
        if missing
        else _("; the source does not publish the rest")
    )
    return _("incomplete: {encoded} of {declared} encoded{which}").format(
        encoded=c.encoded, declared=c.declared, which=which
    )


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
    with in_language(lang):
        if v.outcome is Outcome.NOT_IN_EFFECT:
            return _("list not in effect")
        if v.outcome is Outcome.NOT_APPLICABLE:
            return _("not applicable: the list addresses holders of {roles} only").format(
                roles="、".join(v.list.applies_to)
            )
        if v.outcome is Outcome.UNKNOWN:
            head = _("undetermined (facts or parameters missing)")
        else:
            head = _outcome_words(v.effect, v.outcome is Outcome.HIT)
        if v.conclusive:
            return head
        return _("{head} — inconclusive: {completeness}").format(
            head=head, completeness=_completeness(v.completeness)
        )


def check_text(check: Check, lang: Language) -> str:
    """E.g. '任职年限("党组织书记") = 2, requires ≥ 3'."""
    with in_language(lang):
        right = (
            check.right
            if check.right_is_literal
            else f"{check.right} (= {_value(check.right_value)})"
        )
        return _("{left} = {value}, requires {op} {right}").format(
            left=check.left,
            value=_value(check.left_value),
            op=_OPS.get(check.op, check.op),
            right=right,
        )


def observation_text(o: Observation, lang: Language) -> str:
    with in_language(lang):
        text = f"{o.expression} = {_value(o.value)}"
        if not o.known and o.reason:
            text += _(" (missing: {reason})").format(reason=o.reason)
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


_TONE = {
    ItemStatus.MET: Tone.BAD,
    ItemStatus.NOT_MET: Tone.GOOD,
    ItemStatus.UNKNOWN: Tone.DOUBT,
    ItemStatus.NOT_IN_EFFECT: Tone.QUIET,
}


def verdict_rows(verdicts: Sequence[ListVerdict], lang: Language) -> list[Rows]:
    """One table per list: a row per person, every item with its status and the values that
    decided it, the sources cited."""
    tables = []
    with in_language(lang):
        headers = (_("Person"), _("Outcome"), _("Items"), _("Source"))
        for _list_id, group in groupby(verdicts, key=lambda v: v.list_id):
            people = list(group)
            first = people[0]
            rows = [
                (
                    f"{v.person_name}\n{v.person_id}",
                    outcome_text(v, lang),
                    Marked.joined(_item(item, lang) for item in v.items),
                    "\n".join(sorted({i.citation.article for i in v.items})),
                )
                for v in people
            ]
            tables.append(
                Rows.of(
                    headers,
                    rows,
                    title=f"{first.title.in_language(lang)}  [{first.list_id}]",
                    caption=f"{first.citation}  ·  {completeness_text(first.completeness, lang)}",
                    separated=True,
                )
            )
    return tables


def _item(item: ItemVerdict, lang: Language) -> Marked:
    number = f"{item.number}. " if item.number else ""
    reasons = "".join(f"\n    {r}" for r in item_reasons(item, lang))
    return Marked(
        (
            (status_words(item.status), _TONE[item.status]),
            (f" {number}{item.title.in_language(lang)}{reasons}", Tone.PLAIN),
        )
    )
