"""Procedures over HTTP: start, fire, what is allowed and why not, one instance with its
history, a search. Who may read and act is decided by the authorisation policy
(:mod:`governance_core.service.authorisation`) from the token's actor and the roles it holds
where the subject belongs on the service's date; a step's own roles by the runtime. The service
dates every event by its own clock."""

from __future__ import annotations

from typing import Annotated, Any

import attrs
from fastapi import APIRouter, Header, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from governance_core.jobs.migration import MigrationError
from governance_core.jobs.migration import migrate as migrated
from governance_core.jobs.migration import plan as planned
from governance_core.messages import _
from governance_core.model import converter
from governance_core.present.shapes import permissions_data
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.runtime import Actor, ProcessInstance, fingerprint, request_key
from governance_core.service.authorisation import Access
from governance_core.service.context import (
    JSON_OBJECT,
    AccessDep,
    Moment,
    Service,
    ServiceDep,
    answer,
    work,
)
from governance_core.service.problems import PROBLEMS, ProblemError, refused

__all__ = ["readable", "router", "shown"]

router = APIRouter(prefix="/v1", tags=["procedures"], responses=PROBLEMS)

IdempotencyKey = Header(
    default=None,
    alias="Idempotency-Key",
    max_length=200,
    description="A key the caller chooses per request: a retry with the same key and the same "
    "request returns the first result; the same key with another request is 422.",
)
_TEXT = r"^[^\x00-\x1f\x7f]*$"  # no control characters in an id


class StartRequest(BaseModel):
    subject: str = Field(
        min_length=1,
        max_length=200,
        pattern=_TEXT,
        description="Whom it is about (a person of the roster).",
    )
    note: str | None = Field(default=None, max_length=2000)
    at: Moment | None = Field(default=None, description="When; default: now (records_clerk only).")


class FireRequest(BaseModel):
    step: str = Field(min_length=1, max_length=200, pattern=_TEXT)
    evidence: dict[str, str] = Field(default_factory=dict, description="Kind → document id.")
    version: int | None = Field(default=None, description="The version the caller read.")
    note: str | None = Field(default=None, max_length=2000)
    at: Moment | None = Field(default=None, description="When; default: now (records_clerk only).")


class MigrateRequest(BaseModel):
    to: int = Field(ge=1, description="The version loaded now, to move to.")
    map: dict[str, str] = Field(
        default_factory=dict, description="States the new version renamed, old → new."
    )
    where: list[str] = Field(
        default_factory=list, max_length=1000, description="Only these states or subjects."
    )
    dry_run: bool = Field(default=True, description="The plan only; nothing is written.")
    reason: str = Field(default="", max_length=2000, description="Why (needed to migrate).")


def readable(running: Service, may: Access, instance_id: str) -> ProcessInstance:
    """The instance, when the caller may read it; 404 alike for one that does not exist."""
    instance = running.store.load(instance_id)  # UnknownInstanceError: 404
    definition = running.runtime.process(instance.process).definition
    refusal = may.read_instance(instance, definition)
    if refusal is not None:
        raise refused(refusal)
    return instance


def shown(running: Service, instance: ProcessInstance) -> dict[str, Any]:
    events = converter.unstructure(list(running.runtime.history(instance.id)))
    return {"instance": converter.unstructure(instance), "events": events}


def _keyed(
    may: Access, key: str | None, route: str, body: BaseModel
) -> tuple[str | None, str | None]:
    """The request id and fingerprint of an idempotency key: per actor, bound to the route
    and the body (as sent, defaults filled)."""
    if key is None:
        return None, None
    return request_key(may.actor, key), fingerprint(route, body.model_dump(mode="json"), may.actor)


@router.post("/procedures/{process_id}/instances", response_class=Response, responses=JSON_OBJECT)
async def start(
    process_id: str,
    body: StartRequest,
    running: ServiceDep,
    may: AccessDep,
    idempotency_key: str | None = IdempotencyKey,
) -> Response:
    """Open an instance of a procedure about ``subject``: the caller must hold one of the
    procedure's roles where the subject belongs."""
    now = running.clock()

    def job() -> dict[str, Any]:
        definition = running.engine.policies.of(PROCEDURES).find(process_id)
        refusal = may.start(definition, body.subject, running.knows(body.subject))
        at, late = may.dated(body.subject, body.at, now)
        for found in (refusal, late):
            if found is not None:
                raise refused(found)
        request, digest = _keyed(may, idempotency_key, f"start {process_id}", body)
        instance = running.runtime.start(
            process_id,
            body.subject,
            may.acting(body.subject),
            at,
            request_id=request,
            note=body.note,
            fingerprint=digest,
            recorded_at=now if body.at is not None else None,
        )
        return shown(running, instance)

    return answer(await work(running, job), may, 201)


@router.post("/procedures/{process_id}/migrate", response_class=Response, responses=JSON_OBJECT)
async def migrate(
    process_id: str, body: MigrateRequest, running: ServiceDep, may: AccessDep
) -> Response:
    """`governance migrate` over HTTP (``administrator`` held everywhere): the plan of moving
    the running instances of a procedure to the version loaded now, or, with
    ``dry_run: false`` and a ``reason``, the migration done; each instance that moves, and
    each that cannot with why."""
    refusal = may.migrate()
    if refusal is not None:
        raise refused(refusal)
    if not body.dry_run and not body.reason.strip():
        raise ProblemError(422, _("a migration needs a reason"))
    now = running.clock()

    def job() -> dict[str, Any]:
        try:
            found = planned(
                running.engine,
                running.store,
                process_id,
                body.to,
                states=body.map,
                where=body.where,
            )
        except MigrationError as error:
            raise ProblemError(422, str(error)) from None
        if not body.dry_run:
            who = Actor(may.actor, frozenset(), may.authenticated)
            found = migrated(running.engine, running.store, found, who, now, reason=body.reason)
        return {**converter.unstructure(found), "dry_run": body.dry_run}

    return answer(await work(running, job), may)


@router.post("/instances/{instance_id:path}/fire", response_class=Response, responses=JSON_OBJECT)
async def fire(
    instance_id: str,
    body: FireRequest,
    running: ServiceDep,
    may: AccessDep,
    idempotency_key: str | None = IdempotencyKey,
) -> Response:
    """Take a step. The role is the one the token's actor holds where the subject belongs;
    a repeat of the same ``Idempotency-Key`` with the same request returns the first result
    and writes nothing, with another request it is 422; a ``version`` the instance has moved
    past is 409 with its current version, whether a key is sent or not."""
    now = running.clock()

    def job() -> dict[str, Any]:
        instance = readable(running, may, instance_id)
        at, late = may.dated(instance.subject, body.at, now)
        if late is not None:
            raise refused(late)
        request, digest = _keyed(may, idempotency_key, f"fire {instance_id}", body)
        result = running.runtime.fire(
            instance,
            body.step,
            may.acting(instance.subject),
            at,
            evidence=body.evidence,
            request_id=request,
            note=body.note,
            expected_version=body.version,
            fingerprint=digest,
            recorded_at=now if body.at is not None else None,
        )
        found = shown(running, result.instance)
        return {**found, "event": converter.unstructure(result.event), "repeated": result.repeated}

    return answer(await work(running, job), may)


@router.get("/instances/{instance_id:path}/allowed", response_class=Response, responses=JSON_OBJECT)
async def allowed(
    instance_id: str, running: ServiceDep, may: AccessDep, at: Moment | None = None
) -> Response:
    """What the caller may do on the instance now (or at ``at``, with the roles it holds
    now), and why not the rest: each refusal with its ``kind``."""
    when = at or running.clock()

    def job() -> list[Any]:
        instance = readable(running, may, instance_id)
        found = running.runtime.allowed(instance, may.acting(instance.subject), when)
        return permissions_data(found)

    return answer(await work(running, job), may)


@router.get("/instances/{instance_id:path}", response_class=Response, responses=JSON_OBJECT)
async def show(instance_id: str, running: ServiceDep, may: AccessDep) -> Response:
    """An instance's state and its history, event by event."""
    found = await work(running, lambda: shown(running, readable(running, may, instance_id)))
    return answer(found, may)


@router.get("/instances", response_class=Response, responses=JSON_OBJECT)
async def search(
    running: ServiceDep,
    may: AccessDep,
    process: str | None = None,
    state: str | None = None,
    subject: str | None = None,
    organisation: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """The instances the caller may read, by procedure, state, subject, or organisation (the
    subject's, or one above it), at most ``limit`` (1–1000)."""
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
            if may.read_instance(i, running.runtime.process(i.process).definition) is not None:
                continue
            found.append(attrs.asdict(i))
            if len(found) == limit:
                break
        return converter.unstructure(found)  # type: ignore[no-any-return]

    return answer({"instances": await work(running, job)}, may)
