"""The reminders and escalations due (docs/reminders.md): for every deadline of an open instance
and every duty in force with a due day, the days its reminder rules name, on the official
calendar. A reminder before the last day or on it is sent while the last day has not passed;
an escalation once its day has come. Each is recorded in the chain with its outbox row and
named by rule, target, last day and moment, so sweeping again sends nothing twice, and a last
day that a recount moved gets its reminders anew."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from governance_core.engine import Engine
from governance_core.messages import LANGUAGES, _, in_language
from governance_core.model import EffectKind
from governance_core.rules.calendar import CALENDAR, OfficialCalendar
from governance_core.rules.common import Title
from governance_core.rules.effects import EFFECTS
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.reminders import REMINDERS, Moment, ReminderRule, Reminders
from governance_core.storage import SqlStore
from governance_core.storage.reminders import Reminder

__all__ = ["due_reminders", "remind"]


def _said(moment: Moment, what: str, role: str, subject: str, last: date, left: int) -> str:
    """What the reminder says, in the current language."""
    if moment.label == "escalate":
        return _(
            "Escalated to {role}: {what} ({subject}) was due on {last} and is not done"
        ).format(role=role, what=what, subject=subject, last=last)
    if moment.label == "due":
        return _("Reminder: {what} ({subject}) is due today, {last}").format(
            what=what, subject=subject, last=last
        )
    return _("Reminder: {what} ({subject}) is due on {last}, in {left} working days").format(
        what=what, subject=subject, last=last, left=left
    )


def _words(
    moment: Moment, what: Title, subject: str, last: date, rule: ReminderRule, left: int
) -> Title:
    """What the reminder says, in Chinese and in English (the channels choose)."""
    role = rule.escalate.to.title if rule.escalate is not None else Title("", "")
    said = {}
    for lang in LANGUAGES:
        with in_language(lang):
            said[lang] = _said(
                moment, what.in_language(lang), role.in_language(lang), subject, last, left
            )
    return Title(said["zh"], said["en"])


def _sent(moment: Moment, last: date, today: date) -> bool:
    if moment.day > today:
        return False
    return moment.label == "escalate" or today <= last


def _reminders(
    rules: list[ReminderRule],
    target: str,
    subject: str,
    last: date,
    what: Title,
    calendar: OfficialCalendar,
    today: date,
    step: str | None = None,
    roles: tuple[str, ...] = (),
) -> Iterator[Reminder]:
    for rule in rules:
        for moment in Reminders.moments(rule, last, calendar):
            if not _sent(moment, last, today):
                continue
            left = calendar.working_days_between(today, last)
            yield Reminder(
                f"{rule.id}/{target}/{last.isoformat()}/{moment.label}",
                rule.id,
                target,
                subject,
                last,
                moment.label,
                moment.day,
                _words(moment, what, subject, last, rule, left),
                step=step,
                escalate_to=moment.escalate_to,
                to=(moment.escalate_to,) if moment.escalate_to else roles,
            )


def due_reminders(engine: Engine, store: SqlStore, today: date) -> list[Reminder]:
    """Every reminder and escalation due on ``today`` (recorded or not)."""
    rules = engine.policies.of(REMINDERS)
    if not rules.rules:
        return []
    calendar = engine.policies.of(CALENDAR)
    procedures = engine.policies.of(PROCEDURES)
    found: list[Reminder] = []
    for deadline in store.deadlines():
        if deadline.last_day is None:
            continue
        instance = store.load(deadline.instance)
        wanted = rules.of_step(instance.process, deadline.step)
        if not wanted:
            continue
        process = procedures.find(instance.process)
        step = next(s for s in process.steps if s.id == deadline.step)
        found += _reminders(
            wanted,
            instance.id,
            instance.subject,
            deadline.last_day,
            step.title,
            calendar,
            today,
            step=step.id,
            roles=step.roles,
        )
    declared = engine.policies.of(EFFECTS).effects
    for recorded in store.effects.effects(in_force_on=today):
        effect = recorded.effect
        wanted = rules.of_effect(effect.effect)
        if effect.kind is not EffectKind.DUTY or effect.due is None or not wanted:
            continue
        title = (
            declared[effect.effect].title
            if effect.effect in declared
            else Title(effect.effect, effect.effect)
        )
        done_by = declared[effect.effect].done_by if effect.effect in declared else None
        roles = (done_by.id,) if done_by is not None else ()
        found += _reminders(
            wanted, effect.id, effect.person, effect.due, title, calendar, today, roles=roles
        )
    return found


def remind(engine: Engine, store: SqlStore, today: date) -> list[Reminder]:
    """Record and queue for delivery the reminders due on ``today`` not sent before; those
    sent now."""
    return store.reminders.record(due_reminders(engine, store, today))
