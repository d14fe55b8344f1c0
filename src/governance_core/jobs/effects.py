"""The effects a run's decisions impose (docs/effects.md): for each conclusive grade and each
conclusive hit, the effects the loaded policies attach to it, dated on the official calendar.
A grade or hit that is not conclusive imposes nothing (it may still change); an effect on an
organisation needs the post the person held that day, and says so when the roster has none."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import final

import attrs

from governance_core.engine import Engine
from governance_core.messages import LANGUAGES, _, in_language
from governance_core.model import ImposedEffect, OrgLevel, Roster
from governance_core.rules.calendar import CALENDAR
from governance_core.rules.common import Title
from governance_core.rules.criteria.verdicts import ListVerdict, Outcome
from governance_core.rules.effects import EFFECTS, DeclaredEffect, Subject
from governance_core.rules.scoring import Assessment

__all__ = ["Imposed", "NotApplied", "message_of", "of_assessment", "of_verdicts", "reimposed"]

# the levels an effect on an organisation may fall on: where a secretary's post is
_LOCAL = (OrgLevel.VILLAGE, OrgLevel.COMMUNITY, OrgLevel.GRID)


@final
@attrs.frozen(slots=True)
class NotApplied:
    """An effect a decision imposes that could not be applied to ``person``: why, in words."""

    effect: str
    person: str
    day: date
    decided_by: str
    why: str


@final
@attrs.frozen(slots=True)
class Imposed:
    """Effects a step's decisions impose, and those that could not be applied."""

    effects: tuple[ImposedEffect, ...] = ()
    not_applied: tuple[NotApplied, ...] = ()


def _organisation(roster: Roster | None, person: str, day: date) -> str | None:
    """The village, community or grid where ``person`` held a post on ``day``."""
    if roster is None:
        return None
    dossier = roster.dossier(person, day)
    if dossier is None:
        return None
    levels = {o.id: o.level for o in roster.organisations}
    for post in dossier.current_posts():
        if levels.get(post.organisation) in _LOCAL:
            return post.organisation
    return None


def _impose(
    engine: Engine,
    decided: Iterable[tuple[str, date, list[DeclaredEffect]]],
    decided_by: str,
    roster: Roster | None,
) -> Imposed:
    effects = engine.policies.of(EFFECTS)
    count = engine.policies.of(CALENDAR).add_working_days
    imposed: list[ImposedEffect] = []
    missing: list[NotApplied] = []
    for person, day, declared in decided:
        for effect in declared:
            organisation = None
            if effect.subject is Subject.ORGANISATION:
                organisation = _organisation(roster, person, day)
                if organisation is None:
                    why = _(
                        "{effect} not imposed on {person}: the roster shows no village or "
                        "community post held on {day}"
                    ).format(effect=effect.id, person=person, day=day)
                    missing.append(NotApplied(effect.id, person, day, decided_by, why))
                    continue
            imposed.append(
                effects.impose(
                    effect,
                    person=person,
                    on=day,
                    decided_by=decided_by,
                    add_working_days=count,
                    organisation=organisation,
                )
            )
    return Imposed(tuple(imposed), tuple(missing))


def of_assessment(
    engine: Engine, result: Assessment, decided_by: str, roster: Roster | None
) -> Imposed:
    """The effects each conclusive grade of ``result`` imposes, from its day."""
    effects = engine.policies.of(EFFECTS)
    decided = [
        (g.person_id, result.as_of, effects.of_grade(result.policy.id, g.grade))
        for g in result.graded
        if g.conclusive and g.grade is not None
    ]
    return _impose(engine, decided, decided_by, roster)


def of_verdicts(
    engine: Engine, verdicts: Iterable[ListVerdict], decided_by: str, roster: Roster | None
) -> Imposed:
    """The effects each conclusive hit imposes, from the verdict's day."""
    effects = engine.policies.of(EFFECTS)
    decided = [
        (v.person_id, v.as_of, effects.of_list(v.list.list_id))
        for v in verdicts
        if v.conclusive and v.outcome is Outcome.HIT
    ]
    return _impose(engine, decided, decided_by, roster)


def reimposed(engine: Engine, missed: NotApplied, roster: Roster | None) -> Imposed:
    """The effect ``missed`` imposed again, as its decision would have, with ``roster``
    (a roster that now shows the post it needed)."""
    effect = engine.policies.of(EFFECTS).effect(missed.effect)
    return _impose(engine, [(missed.person, missed.day, [effect])], missed.decided_by, roster)


def _said(title: str, effect: ImposedEffect, article: str) -> str:
    """What an effect's message says, in the current language."""
    whom = (
        effect.person
        if effect.organisation is None
        else f"{effect.organisation}（{effect.person}）"
    )
    if effect.ends is not None:
        until = _("until {day}").format(day=effect.ends.isoformat())
    elif effect.end_unknown:
        until = _("its end not published")
    else:
        until = _("until lifted")
    said = _("Effect: {title} ({whom}), from {starts}, {until}").format(
        title=title, whom=whom, starts=effect.starts.isoformat(), until=until
    )
    if effect.due is not None:
        said += _("; due {day}").format(day=effect.due.isoformat())
    return said + _("; basis {article}").format(article=article)


def message_of(engine: Engine, effect: ImposedEffect) -> Title:
    """What to tell of an effect imposed (the outbox delivers it), in Chinese and English."""
    rule = engine.policies.of(EFFECTS).effects.get(effect.effect)
    title = rule.title if rule is not None else Title(effect.effect, effect.effect)
    article = "" if rule is None else str(rule.citation)
    said = {}
    for lang in LANGUAGES:
        with in_language(lang):
            said[lang] = _said(title.in_language(lang), effect, article)
    return Title(said["zh"], said["en"])
