"""Effects as people and programs read them (``governance effects``, the run workbook, the
service): each with its declared title and article, what it bars, from when until when, a
duty's due day, and whether it is in force, lifted or ended on the day asked about."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from governance_core.messages import _
from governance_core.model import EffectKind, ImposedEffect, converter
from governance_core.present.calendar import deadline_text
from governance_core.present.rows import Rows
from governance_core.rules.effects import DeclaredEffect

__all__ = ["effect_kind_words", "effect_state_words", "effects_data", "effects_rows", "until_text"]


def effect_kind_words(kind: EffectKind) -> str:
    """限制, 认定 or 责任 (bar, label, duty)."""
    words = {EffectKind.BAR: _("bar"), EffectKind.LABEL: _("label"), EffectKind.DUTY: _("duty")}
    return words[kind]


def effect_state_words(effect: ImposedEffect, day: date) -> str:
    """Whether the effect is in force on ``day``, not yet, lifted or ended."""
    if effect.lifted_on is not None and day >= effect.lifted_on:
        return _("lifted on {day}").format(day=effect.lifted_on.isoformat())
    if day < effect.starts:
        return _("not yet in force")
    if effect.ends is not None and day > effect.ends:
        return _("ended on {day}").format(day=effect.ends.isoformat())
    return _("in force")


def until_text(effect: ImposedEffect) -> str:
    """Its last day, or why it has none."""
    if effect.ends is not None:
        return effect.ends.isoformat()
    if effect.end_unknown:
        return _("end not published: in force until lifted")
    return _("until lifted")


def _title(declared: Mapping[str, DeclaredEffect], effect: ImposedEffect, lang: str) -> str:
    found = declared.get(effect.effect)
    return effect.effect if found is None else found.title.in_language(lang)


def _citation(declared: Mapping[str, DeclaredEffect], effect: ImposedEffect) -> str:
    found = declared.get(effect.effect)
    return "" if found is None else str(found.citation)


def effects_rows(
    effects: Sequence[ImposedEffect],
    declared: Mapping[str, DeclaredEffect],
    day: date,
    lang: str,
    *,
    title: str | None = None,
) -> Rows:
    """One row per effect: whom it is on, what it is (its id below its title, for lifting it),
    its dates and state on ``day``, and the article (the decision that imposed it is in the
    id and in the JSON)."""
    headers = (
        _("on"),
        _("effect"),
        _("kind"),
        _("from"),
        _("until"),
        _("due"),
        _("state"),
        _("basis"),
    )
    rows = [
        (
            e.person if e.organisation is None else f"{e.organisation}（{e.person}）",
            f"{_title(declared, e, lang)}\n{e.id}",
            _kind_text(e),
            e.starts.isoformat(),
            until_text(e),
            deadline_text(e.due, e.due_provisional_year),
            effect_state_words(e, day),
            _citation(declared, e),
        )
        for e in effects
    ]
    caption = None if rows else _("no effects")
    return Rows.of(headers, rows, title=title, caption=caption, separated=True)


def _kind_text(effect: ImposedEffect) -> str:
    kind = effect_kind_words(effect.kind)
    if effect.bars is None:
        return kind
    return _("{kind}: {bars}").format(kind=kind, bars=effect.bars)


def effects_data(
    effects: Sequence[ImposedEffect],
    declared: Mapping[str, DeclaredEffect],
    day: date,
    lang: str,
) -> list[dict[str, Any]]:
    """The effects as JSON: each record's fields, with its title, article and state in words."""
    return [
        {
            **converter.unstructure(e),
            "title": _title(declared, e, lang),
            "citation": _citation(declared, e),
            "in_force": e.in_force(day),
            "state": effect_state_words(e, day),
        }
        for e in effects
    ]
