"""What waits for the caller: every step of an open instance that the token's actor may
take where the subject belongs, and every open duty (an effect a decision imposed, docs/
effects.md) whose source names a role the caller holds where the person belongs, each with
its last day on the official calendar and whether it is overdue."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from governance_core.messages import _
from governance_core.model import EffectKind
from governance_core.rules.effects import EFFECTS
from governance_core.service.authorisation import Access
from governance_core.service.context import (
    JSON_OBJECT,
    AccessDep,
    Day,
    Service,
    ServiceDep,
    answer,
    work,
)
from governance_core.service.problems import PROBLEMS

__all__ = ["router", "task_list"]


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


router = APIRouter(prefix="/v1", tags=["tasks"], responses=PROBLEMS)


def _duties(running: Service, may: Access, day: date) -> list[dict[str, Any]]:
    """The open duties the caller carries out: in force on ``day``, by a role it holds where
    the person belongs."""
    declared = running.engine.policies.of(EFFECTS).effects
    found: list[dict[str, Any]] = []
    for recorded in running.store.effects.effects(in_force_on=day):
        effect = recorded.effect
        rule = declared.get(effect.effect)
        if effect.kind is not EffectKind.DUTY or rule is None or rule.done_by is None:
            continue
        if rule.done_by.id not in may.roles_where(effect.person):
            continue
        found.append(
            {
                "kind": "duty",
                "effect": effect.id,
                "subject": effect.person,
                "title": {"zh": rule.title.zh, "en": rule.title.en},
                "role": rule.done_by.id,
                "last_day": _day(effect.due),
                "overdue": bool(effect.due and effect.due < day),
                "days_left": (effect.due - day).days if effect.due else None,
                "unknown_because": None if effect.due else _("the source publishes no due day"),
                "provisional_year": effect.due_provisional_year,
                "citation": str(rule.citation),
            }
        )
    return found


def task_list(running: Service, may: Access, day: date, limit: int = 500) -> list[dict[str, Any]]:
    """The caller's tasks on ``day``, as ``GET /v1/tasks`` lists them (the workbench's 我的待办
    too): overdue first, then by last day, at most ``limit``."""
    runtime = running.runtime
    deadlines = {
        (d.deadline.instance, d.deadline.step): d for d in runtime.due(day, horizon_days=366 * 5)
    }
    found: list[dict[str, Any]] = []
    for instance in running.store.instances():
        compiled = runtime.process(instance.process)
        if instance.state in compiled.terminal:
            continue
        roles = may.roles_where(instance.subject)
        for step in compiled.definition.steps:
            held = sorted(set(step.roles) & roles)
            if instance.state not in step.sources or not held:
                continue
            due = deadlines.get((instance.id, step.id))
            last = due.deadline.last_day if due else None
            found.append(
                {
                    "kind": "step",
                    "instance": instance.id,
                    "process": instance.process,
                    "subject": instance.subject,
                    "state": instance.state,
                    "step": step.id,
                    "title": {"zh": step.title.zh, "en": step.title.en},
                    "role": held[0],
                    "last_day": last.isoformat() if last else None,
                    "overdue": bool(last and last < day),
                    "days_left": due.days_left if due else None,
                    "unknown_because": due.deadline.unknown_because if due else None,
                    "provisional_year": due.deadline.provisional_year if due else None,
                    "moved_from": _day(due.deadline.moved_from) if due else None,
                }
            )
    found += _duties(running, may, day)
    found.sort(
        key=lambda t: (
            not t["overdue"],
            t["last_day"] is None,
            t["last_day"] or "",
            t.get("instance") or t["effect"],
            t.get("step") or "",
        )
    )
    return found[:limit]


@router.get(
    "/tasks",
    response_class=Response,
    responses=JSON_OBJECT,
)
async def tasks(
    running: ServiceDep,
    may: AccessDep,
    on: Day | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Response:
    """The caller's tasks on ``on`` (default today): instance, procedure, subject, step, the
    role it is taken in, its last day (None when the rule's parameter has no value, with the
    reason) and whether it is overdue; overdue first, then by last day. At most ``limit``.
    ``provisional_year``: the last day was counted on weekends only across that year, whose
    official calendar is not published yet; ``moved_from``: the day it had before the
    published calendar moved it. ``kind`` is ``step`` or ``duty``: an open duty names its
    ``effect`` (lifting it, ``governance lift-effect``, closes the task) and its article."""
    day = on or running.clock().date()
    found = await work(running, lambda: task_list(running, may, day, limit))
    return answer({"on": day.isoformat(), "tasks": found}, may)
