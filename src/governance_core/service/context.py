"""What every request of the service reads: the loaded engine, the store, the limits and the
clock (``Service``), who is calling (:func:`caller`), and how an answer is written
(:func:`answer`: the shapes of :mod:`governance_core.shapes`, personal data masked unless the
caller's token may see it)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar, final

import attrs
from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool

from governance_core.engine import Engine
from governance_core.errors import ProblemsError
from governance_core.files import masked
from governance_core.files.yaml_tree import Located, decode_text, parse_yaml
from governance_core.messages import _
from governance_core.model import OrganisationTree, Roster
from governance_core.runtime import Runtime
from governance_core.runtime.storage import SqlStore
from governance_core.runtime.storage.tokens import TokenRecord
from governance_core.service.authorisation import Access
from governance_core.service.problems import ProblemError
from governance_core.shapes import dumps

__all__ = [
    "DEFAULT_LIMITS",
    "JSON_ARRAY",
    "JSON_OBJECT",
    "AccessDep",
    "Caller",
    "CallerDep",
    "Day",
    "Limits",
    "Moment",
    "Service",
    "ServiceDep",
    "answer",
    "caller",
    "file_body",
    "located_body",
    "read_body",
    "service",
    "work",
]  # fmt: skip

T = TypeVar("T")

# what an endpoint answers with when all goes well (the problems are declared on each router)
JSON_OBJECT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}}
}
JSON_ARRAY: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "array"}}}}
}


def file_body(description: str) -> dict[str, Any]:
    """A request body declared as a file of the library sent as JSON: an object whose real
    constraints the library checks and locates (``description`` says which file)."""
    schema = {"type": "object", "description": description}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _iso_day(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    raise ValueError(_("give a date as YYYY-MM-DD"))


def _iso_moment(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", value):
        return value
    raise ValueError(_("give a time in ISO 8601 form: 2024-06-30T09:00"))


# a day or a moment as ISO 8601 text only: pydantic would also read 0 as 1970-01-01
Day = Annotated[date, BeforeValidator(_iso_day)]
Moment = Annotated[datetime, BeforeValidator(_iso_moment)]


@final
@attrs.frozen(slots=True)
class Limits:
    """What one request may ask: its body's bytes, the people in a roster, its time."""

    max_body_bytes: int = 8 * 1024 * 1024
    max_people: int = 5_000
    timeout_seconds: float = 30.0


DEFAULT_LIMITS = Limits()


@final
@attrs.frozen(slots=True)
class Service:
    """The engine and store a service runs on, the district's roster (whom instances are
    about, in which organisations; the facts guards read), its limits and its clock."""

    engine: Engine
    store: SqlStore
    roster: Roster | None = None
    limits: Limits = attrs.field(factory=Limits)
    clock: Callable[[], datetime] = datetime.now
    runtime: Runtime = attrs.field(init=False)
    tree: OrganisationTree = attrs.field(init=False)
    people: frozenset[str] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        # one runtime for every request: its compiled procedures are read-only, and the
        # store's compare-and-swap keeps concurrent fires apart
        object.__setattr__(self, "runtime", self.engine.runtime(self.store, roster=self.roster))
        people = self.roster.organisations if self.roster is not None else ()
        object.__setattr__(self, "tree", OrganisationTree(people))
        known = frozenset(p.id for p in self.roster.people) if self.roster is not None else ()
        object.__setattr__(self, "people", frozenset(known))

    def knows(self, subject: str) -> bool:
        """Whether the service's roster knows ``subject``."""
        return subject in self.people

    def organisations_of(self, subject: str, day: date) -> list[str]:
        """Where ``subject`` holds a post on ``day`` (one ended before does not count), and every organisation above: the
        organisations a role must be held in to act on a procedure about them. Nothing when
        the roster does not know the subject (then only roles held everywhere count)."""
        dossier = self.roster.dossier(subject, day) if self.roster is not None else None
        found: list[str] = []
        for post in dossier.posts if dossier is not None else ():
            if post.held_on(day):  # a post left behind no longer places the subject there
                found += [o.id for o in self.tree.ancestors(post.organisation)]
        return found


async def service(request: Request) -> Service:
    # async, as every dependency here: a sync one would hop to a worker thread and back
    found: Service = request.app.state.service
    return found


ServiceDep = Annotated[Service, Depends(service)]


@final
@attrs.frozen(slots=True)
class Caller:
    """Who a request comes from: the token's actor and the roles it holds where."""

    token: TokenRecord

    @property
    def actor(self) -> str:
        return self.token.actor

    @property
    def raw_personal_data(self) -> bool:
        return self.token.raw_personal_data

    @property
    def authenticated(self) -> str:
        """How the caller was authenticated, as each step's event records it."""
        return f"token:{self.token.id}"


async def caller(request: Request, running: ServiceDep) -> Caller:
    """The caller named by the request's bearer token; 401 without one, or with one that is
    unknown, revoked or expired. (The look-up is one indexed row, read in the event loop: a
    hop to a worker thread costs more than the read.)"""
    header = request.headers.get("authorization", "")
    scheme, _sep, text = header.partition(" ")
    if scheme.lower() != "bearer" or not text.strip():
        raise ProblemError(401, _("give a bearer token: Authorization: Bearer …"))
    found = running.store.tokens.verify(text.strip(), running.clock().date())
    if found is None:
        raise ProblemError(401, _("the token is unknown, revoked or expired"))
    return Caller(found)


CallerDep = Annotated[Caller, Depends(caller)]


async def access(running: ServiceDep, who: CallerDep) -> Access:
    """The authorisation policy for the caller, on the service's date."""
    return Access(
        who.actor,
        who.token.grants,
        running.organisations_of,
        running.clock().date(),
        authenticated=who.authenticated,
        raw_personal_data=who.raw_personal_data,
    )


AccessDep = Annotated[Access, Depends(access)]


def answer(data: Any, who: Caller | Access, status: int = 200) -> Response:
    """``data`` as JSON, ID-card and mobile numbers masked unless ``who`` may see them."""
    text = dumps(data).decode()
    shown = text if who.raw_personal_data else masked(text)
    return Response(shown, status_code=status, media_type="application/json")


def located_body(body: bytes, error: type[ProblemsError]) -> Located:
    """A request's body read as a file is (JSON, or YAML), its problems located in "request
    body" and raised as ``error``."""
    return parse_yaml(decode_text(body, _BODY, error), _BODY, error)


_BODY = "request body"


def _too_large(limits: Limits) -> str:
    return _("the body is over {size:,} bytes").format(size=limits.max_body_bytes)


async def read_body(request: Request, limits: Limits) -> bytes:
    """The request's body, refused (413) past ``limits.max_body_bytes`` without reading on."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise ProblemError(413, _too_large(limits))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise ProblemError(413, _too_large(limits))
        chunks.append(chunk)
    return b"".join(chunks)


async def work(running: Service, job: Callable[[], T]) -> T:
    """``job`` in a worker thread, given up (503) after the request's time limit. (The thread
    finishes its work; the caller is answered at once.)"""
    try:
        return await asyncio.wait_for(run_in_threadpool(job), running.limits.timeout_seconds)
    except TimeoutError:
        raise ProblemError(503, _("the request took over {seconds:g} s; ask for less").format(
            seconds=running.limits.timeout_seconds)) from None  # fmt: skip
