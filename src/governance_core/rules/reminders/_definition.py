"""A district's reminders (``reminders:``): for a procedure's step with a deadline, or for a
duty with a due day, when to remind (working days before the last day, on it) and when to
escalate to the role above (working days after it), each rule cited to the district's own
notice — the sources set deadlines, not reminders."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import final

import attrs

from governance_core.files import did_you_mean
from governance_core.messages import _
from governance_core.rules.common import Citation, Role, Title
from governance_core.rules.provenance import Found

__all__ = ["Escalation", "ReminderRule", "reference_problems", "rule_problems"]

MOST_WORKING_DAYS = 60


@final
@attrs.frozen(slots=True)
class Escalation:
    """Escalate to ``to`` once ``after_working_days`` working days have passed the last day."""

    after_working_days: int
    to: Role


@final
@attrs.frozen(slots=True)
class ReminderRule:
    """When to remind of one step of a procedure (``process`` and ``step``) or of a duty
    (``effect``): ``before_working_days`` (each a reminder that many working days before the
    last day), ``on_due`` (on the last day) and ``escalate``."""

    id: str
    title: Title
    citation: Citation
    process: str | None = None
    step: str | None = None
    effect: str | None = None
    before_working_days: tuple[int, ...] = ()
    on_due: bool = False
    escalate: Escalation | None = None


def rule_problems(rule: ReminderRule) -> Iterator[Found]:
    """What is wrong with a reminder rule on its own."""
    if (rule.process is None) != (rule.step is None):
        yield ("step",), _("a step is named with its process: give process and step"), None
    if (rule.step is None) == (rule.effect is None):
        yield (), _("remind of a step (process and step) or of a duty (effect), one of them"), None
    if not (rule.before_working_days or rule.on_due or rule.escalate):
        yield (), _("give before_working_days, on_due or escalate"), None
    days = [*rule.before_working_days]
    if rule.escalate is not None:
        days.append(rule.escalate.after_working_days)
    if any(not 1 <= d <= MOST_WORKING_DAYS for d in days):
        yield (), _("working days are from 1 to {most}").format(most=MOST_WORKING_DAYS), None
    if len(set(rule.before_working_days)) != len(rule.before_working_days):
        yield ("before_working_days",), _("a day is listed twice"), None


def reference_problems(
    rule: ReminderRule,
    steps: Mapping[str, tuple[str, ...]],
    duties: frozenset[str],
    effects: frozenset[str],
) -> Iterator[Found]:
    """What a rule names that is not loaded: a procedure, its step, or an effect that is a
    duty (``steps``: each procedure's steps; ``duties`` among ``effects``)."""
    if rule.process is not None:
        known = steps.get(rule.process)
        if known is None:
            yield (
                ("process",),
                _("no {section} {ref!r} is loaded").format(section="processes", ref=rule.process),
                did_you_mean(rule.process, steps),
            )
        elif rule.step not in known:
            yield (
                ("step",),
                _("{process!r} has no step {step!r}").format(process=rule.process, step=rule.step),
                did_you_mean(rule.step or "", known),
            )
    if rule.effect is not None and rule.effect not in duties:
        message = (
            _("effect {id!r} is not a duty: only a duty is due").format(id=rule.effect)
            if rule.effect in effects
            else _("no {section} {ref!r} is loaded").format(section="effects", ref=rule.effect)
        )
        yield ("effect",), message, did_you_mean(rule.effect, duties)
