"""Procedures over HTTP: start, fire, what is allowed and why not, one instance with its
history, a search. Who may act follows from the token: the roles its actor holds in the
organisation the instance's subject belongs to (or above it), never from the request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Header, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from governance_core.messages import _
from governance_core.model import converter
from governance_core.runtime import Actor, ProcessInstance
from governance_core.service.context import (
    JSON_OBJECT,
    Caller,
    CallerDep,
    Moment,
    Service,
    ServiceDep,
    answer,
    work,
)
from governance_core.service.problems import PROBLEMS, ProblemError

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["procedures"], responses=PROBLEMS)

IdempotencyKey = Header(default=None, alias="Idempotency-Key", max_length=200)


class StartRequest(BaseModel):
    subject: str = Field(min_length=1, max_length=200, description="Whom it is about.")
    note: str | None = Field(default=None, max_length=2000)
    at: Moment | None = Field(default=None, description="When; default: now.")


class FireRequest(BaseModel):
    step: str = Field(min_length=1, max_length=200)
    evidence: dict[str, str] = Field(default_factory=dict, description="Kind → document id.")
    version: int | None = Field(default=None, description="The version the caller read.")
    note: str | None = Field(default=None, max_length=2000)
    at: Moment | None = Field(default=None, description="When; default: now.")


def _actor(running: Service, who: Caller, instance: ProcessInstance, at: datetime) -> Actor:
    """The token's actor with the roles it holds where ``instance``'s subject belongs."""
    where = running.organisations_of(instance.subject, at.date())
    return Actor(who.actor, who.roles_in(where), who.authenticated)


def _instance(running: Service, instance_id: str) -> ProcessInstance:
    return running.store.load(instance_id)  # UnknownInstanceError: 404


def _shown(running: Service, instance: ProcessInstance) -> dict[str, Any]:
    return {"instance": converter.unstructure(instance),
            "events": converter.unstructure(list(running.runtime.history(instance.id)))}  # fmt: skip


@router.post("/procedures/{process_id}/instances", response_class=Response, responses=JSON_OBJECT)
async def start(
    process_id: str, body: StartRequest, running: ServiceDep, who: CallerDep,
    idempotency_key: str | None = IdempotencyKey,
) -> Response:  # fmt: skip
    """Open an instance of a procedure about ``subject``: the caller must hold one of the
    procedure's roles where the subject belongs."""
    at = body.at or running.clock()

    def job() -> dict[str, Any]:
        definition = running.engine.policies.process(process_id)
        roles = {r.id for r in definition.roles}
        where = running.organisations_of(body.subject, at.date())
        if not roles & who.roles_in(where):
            raise ProblemError(403, _("{actor} holds none of the roles of {process} ({roles}) where "
                                     "{subject} belongs").format(
                actor=who.actor, process=process_id, roles=", ".join(sorted(roles)),
                subject=body.subject))  # fmt: skip
        instance = running.runtime.start(process_id, body.subject,
                                         Actor(who.actor, authenticated=who.authenticated), at,
                                         request_id=idempotency_key, note=body.note)  # fmt: skip
        return _shown(running, instance)

    return answer(await work(running, job), who, 201)


@router.post("/instances/{instance_id:path}/fire", response_class=Response, responses=JSON_OBJECT)
async def fire(
    instance_id: str, body: FireRequest, running: ServiceDep, who: CallerDep,
    idempotency_key: str | None = IdempotencyKey,
) -> Response:  # fmt: skip
    """Take a step. The role is the one the token's actor holds where the subject belongs;
    a repeat of the same ``Idempotency-Key`` returns the first result and writes nothing; a
    ``version`` the instance has moved past is 409 with its current version."""
    at = body.at or running.clock()

    def job() -> dict[str, Any]:
        instance = _instance(running, instance_id)
        if (
            body.version is not None
            and body.version != instance.version
            and idempotency_key is None
        ):
            raise ProblemError(409, _("{instance} is at version {actual}, not {expected}").format(
                instance=instance_id, actual=instance.version, expected=body.version),
                current_version=instance.version)  # fmt: skip
        actor = _actor(running, who, instance, at)
        target = running.runtime.process(instance.process).steps.get(body.step)
        if target is not None and target.roles and not target.roles & actor.roles:
            raise ProblemError(403, _("{step} is taken by {roles}; {actor} holds none of them "
                                     "where {subject} belongs").format(
                step=body.step, roles=", ".join(sorted(target.roles)), actor=who.actor,
                subject=instance.subject))  # fmt: skip
        result = running.runtime.fire(instance, body.step, actor, at, evidence=body.evidence,
                                      request_id=idempotency_key, note=body.note)  # fmt: skip
        return {**_shown(running, result.instance), "event": converter.unstructure(result.event),
                "repeated": result.repeated}  # fmt: skip

    return answer(await work(running, job), who)


@router.get("/instances/{instance_id:path}/allowed", response_class=Response, responses=JSON_OBJECT)
async def allowed(
    instance_id: str, running: ServiceDep, who: CallerDep, at: Moment | None = None
) -> Response:
    """What the caller may do on the instance now (or ``at``), and why not the rest."""
    when = at or running.clock()

    def job() -> list[Any]:
        instance = _instance(running, instance_id)
        found = running.runtime.allowed(instance, _actor(running, who, instance, when), when)
        return [converter.unstructure(p) for p in found]

    return answer(await work(running, job), who)


@router.get("/instances/{instance_id:path}", response_class=Response, responses=JSON_OBJECT)
async def show(instance_id: str, running: ServiceDep, who: CallerDep) -> Response:
    """An instance's state and its history, event by event."""
    return answer(await work(running, lambda: _shown(running, _instance(running, instance_id))),
                  who)  # fmt: skip


@router.get("/instances", response_class=Response, responses=JSON_OBJECT)
async def search(
    running: ServiceDep, who: CallerDep, process: str | None = None, state: str | None = None,
    subject: str | None = None, organisation: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:  # fmt: skip
    """Instances by procedure, state, subject, or organisation (the subject's, or one above
    it), at most ``limit`` (1–1000)."""
    today = running.clock().date()

    def job() -> list[Any]:
        found = []
        for i in running.store.instances():
            if (process and i.process != process) or (state and i.state != state):
                continue
            if subject and i.subject != subject:
                continue
            if organisation and organisation not in running.organisations_of(i.subject, today):
                continue
            found.append(attrs.asdict(i))
            if len(found) == limit:
                break
        return converter.unstructure(found)  # type: ignore[no-any-return]

    return answer({"instances": await work(running, job)}, who)
