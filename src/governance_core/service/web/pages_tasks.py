"""我的待办: what waits for the signed-in person, as ``GET /v1/tasks`` lists it, with filters,
reminders and incidents marked."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from governance_core.messages import language
from governance_core.model import OrgLevel
from governance_core.service.authorisation import Access
from governance_core.service.context import Service, work
from governance_core.service.routes_tasks import task_list
from governance_core.service.web.rendering import page
from governance_core.service.web.visit import (
    running_of,
    shell,
    to_sign_in,
    visitor_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _towns(running: Service) -> list[tuple[str, str]]:
    roster = running.roster
    organisations = roster.organisations if roster is not None else ()
    return sorted((o.id, o.name) for o in organisations if o.level is OrgLevel.TOWN)


def _marked_tasks(running: Service, may: Access, day: date) -> list[dict[str, Any]]:
    """The caller's tasks, each with the reminders sent about it and its open incidents."""
    tasks = task_list(running, may, day, limit=5000)
    reminded: dict[str, int] = {}
    for reminder in running.store.reminders.reminders():
        reminded[reminder.target] = reminded.get(reminder.target, 0) + 1
    incidents: dict[str, int] = {}
    for incident in running.store.incidents.incidents(open_only=True):
        target = incident.target.split("/", 1)[0] if "/" in incident.target else incident.target
        incidents[target] = incidents.get(target, 0) + 1
    lang = language()
    for task in tasks:
        target = task.get("instance") or task["effect"]
        if task["kind"] == "step":
            definition = running.runtime.process(task["process"]).definition
            task["process_title"] = definition.title.in_language(lang)
            task["state_title"] = definition.state(task["state"]).title.in_language(lang)
            roles = {r.id: r.title.in_language(lang) for r in definition.roles}
            task["role_title"] = roles.get(task["role"], task["role"])
        else:
            task["role_title"] = task["role"]
        task["reminders"] = reminded.get(target, 0)
        task["incidents"] = incidents.get(target, 0)
        task["towns"] = running.organisations_of(task["subject"], day)
    return tasks


def _filtered(tasks: list[dict[str, Any]], asked: dict[str, str]) -> list[dict[str, Any]]:
    town, process, state, due = (asked.get(k, "") for k in ("town", "process", "state", "due"))
    found = []
    for task in tasks:
        if town and town not in task["towns"]:
            continue
        if process and task.get("process", "") != process:
            continue
        if state and task.get("state", "") != state:
            continue
        if due == "overdue" and not task["overdue"]:
            continue
        if due == "week" and not (task["days_left"] is not None and task["days_left"] <= 7):
            continue
        found.append(task)
    return found


@router.get("/tasks")
async def tasks_page(request: Request) -> Response:
    visitor = visitor_of(request)
    if visitor is None:
        return to_sign_in()
    running = running_of(request)
    day = running.clock().date()
    lang = language()
    asked = {
        k: v for k, v in request.query_params.items() if k in ("town", "process", "state", "due")
    }
    everything = await work(running, lambda: _marked_tasks(running, visitor.may, day))
    shown = _filtered(everything, asked)
    data = {
        **shell(visitor),
        "today": day,
        "tasks": shown,
        "total": len(everything),
        "asked": asked,
        "towns": _towns(running),
        "processes": sorted({t["process"] for t in everything if t.get("process")}),
        "states": sorted({t["state"] for t in everything if t.get("state")}),
        "title_of": lambda t: t["title"]["zh" if lang == "zh" else "en"],
    }
    return page(request, "tasks.html", data, raw_personal_data=visitor.who.raw_personal_data)


# --- 程序 ----------------------------------------------------------------------------------
