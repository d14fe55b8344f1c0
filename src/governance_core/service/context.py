"""What every request of the service reads: the loaded engine, the store, the limits and the
clock (``Service``), who is calling (:func:`caller`), and how an answer is written
(:func:`answer`: the shapes of :mod:`governance_core.present.shapes`, personal data masked unless the
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
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from governance_core.engine import Engine
from governance_core.errors import ProblemsError
from governance_core.files import masked
from governance_core.files.yaml_tree import (
    Located,
    TooManyValuesError,
    decode_text,
    parse_json,
    parse_yaml,
)
from governance_core.jobs.deliverers import Channel
from governance_core.loading.schemas import file_schema
from governance_core.messages import _
from governance_core.model import OrganisationTree, Roster
from governance_core.present.shapes import dumps
from governance_core.runtime import Runtime
from governance_core.service.authorisation import Access
from governance_core.service.problems import ProblemError
from governance_core.storage import SqlStore
from governance_core.storage.tokens import TokenRecord

__all__ = [
    "BODY_SCHEMAS",
    "DEFAULT_LIMITS",
    "JSON_ARRAY",
    "JSON_OBJECT",
    "AccessDep",
    "Body",
    "Caller",
    "CallerDep",
    "Day",
    "Limits",
    "Moment",
    "Service",
    "ServiceDep",
    "access_for",
    "answer",
    "bounded_rows",
    "caller",
    "file_body",
    "located_body",
    "read_body",
    "service",
    "work",
]

T = TypeVar("T")

# what an endpoint answers with when all goes well (the problems are declared on each router)
JSON_OBJECT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "object"}}}}
}
JSON_ARRAY: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": {"type": "array"}}}}
}


BODY_SCHEMAS: dict[str, Any] = {}
"""The records of the request bodies, for the OpenAPI document's ``components/schemas``."""


def _in_components(schema: Any) -> Any:
    """``schema`` with its references to its own ``$defs`` pointing into the components."""
    if isinstance(schema, dict):
        return {
            k: (
                v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else _in_components(v)
            )
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_in_components(v) for v in schema]
    return schema


def file_body(description: str, record: type[Any]) -> dict[str, Any]:
    """A request body declared as a file of the library (``record``: what it is read into),
    sent as JSON or YAML: the schema of its records (in the document's components), whose
    further constraints the library checks and locates (``description`` says which file)."""
    schema = file_schema("body", record, description)
    for name, found in schema.pop("$defs", {}).items():
        BODY_SCHEMAS[name] = _in_components(found)
    for key in ("$schema", "$id"):
        schema.pop(key)
    BODY_SCHEMAS[record.__name__] = {**_in_components(schema), "description": description}
    body = {"schema": {"$ref": f"#/components/schemas/{record.__name__}"}}
    return {"required": True, "content": {"application/json": body, "application/yaml": body}}


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
    """What one request may ask: its body's bytes and values (lists, mappings, keys and
    values: what the memory a body takes grows with), the people in a roster, its time."""

    max_body_bytes: int = 8 * 1024 * 1024
    max_values: int = 500_000
    max_people: int = 5_000
    timeout_seconds: float = 30.0
    inline_body_bytes: int = 16 * 1024
    """A body this small, for work that reads no store, is decided in the event loop: the hop
    to a worker thread and back costs more than the work (docs/performance.md). Its time is
    bounded by its size, not by ``timeout_seconds``; 0 sends every body to a thread."""


DEFAULT_LIMITS = Limits()


@final
@attrs.frozen(slots=True)
class Service:
    """The engine and store a service runs on, the district's roster (whom instances are
    about, in which organisations; the facts guards read), its limits, its clock, and the
    channels its timer delivers the outbox through."""

    engine: Engine
    store: SqlStore
    roster: Roster | None = None
    limits: Limits = attrs.field(factory=Limits)
    clock: Callable[[], datetime] = datetime.now
    channels: tuple[Channel, ...] = ()
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


_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A token from `governance token create` (docs/service.md): Bearer gov_…",
)


async def caller(
    running: ServiceDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
) -> Caller:
    """The caller named by the request's bearer token; 401 without one, or with one that is
    unknown, revoked or expired. (The look-up is a couple of indexed rows, read in the event
    loop: a hop to a worker thread costs more than the read.)"""
    if credentials is None or not credentials.credentials.strip():
        raise ProblemError(401, _("give a bearer token: Authorization: Bearer …"))
    found = running.store.tokens.verify(credentials.credentials.strip(), running.clock().date())
    if found is None:
        raise ProblemError(401, _("the token is unknown, revoked or expired"))
    return Caller(found)


CallerDep = Annotated[Caller, Depends(caller)]


def access_for(running: Service, who: Caller) -> Access:
    """The authorisation policy for ``who``, on the service's date (for the API and the
    workbench alike)."""
    return Access(
        who.actor,
        who.token.grants,
        running.organisations_of,
        running.clock().date(),
        authenticated=who.authenticated,
        raw_personal_data=who.raw_personal_data,
    )


async def access(running: ServiceDep, who: CallerDep) -> Access:
    """The authorisation policy for the caller, on the service's date."""
    return access_for(running, who)


AccessDep = Annotated[Access, Depends(access)]


def answer(data: Any, who: Caller | Access, status: int = 200) -> Response:
    """``data`` as JSON, ID-card and mobile numbers masked unless ``who`` may see them."""
    text = dumps(data).decode()
    shown = text if who.raw_personal_data else masked(text)
    return Response(shown, status_code=status, media_type="application/json")


@final
@attrs.frozen(slots=True)
class Body:
    """A request's body as read: its bytes, and whether its content type says JSON (else
    YAML)."""

    data: bytes
    json: bool


_JSON_TYPES = frozenset({"application/json"})
_YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})


def _media(request: Request) -> bool:
    """Whether the body is JSON (True) or YAML (False); 415 for any other content type."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media in _JSON_TYPES or media.endswith("+json"):
        return True
    if media in _YAML_TYPES:
        return False
    raise ProblemError(
        415,
        _(
            "send the file as application/json or application/yaml (the body's content type "
            "is {media})"
        ).format(media=media or _("not given")),
    )


def located_body(body: Body, error: type[ProblemsError], limits: Limits) -> Located:
    """A request's body read as the file it is (JSON by JSON's reader, YAML from its
    events), its problems located in "request body" and raised as ``error``; 413 for a body
    of more values than ``limits`` allow."""
    text = decode_text(body.data, _BODY, error)
    most = limits.max_values
    try:
        located = (parse_json if body.json else parse_yaml)(text, _BODY, error, most=most)
    except TooManyValuesError:
        message = _("the body holds more than {count:,} values").format(count=most)
        raise ProblemError(413, message) from None
    return located


def bounded_rows(located: Located, key: str, limit: int, words: str) -> None:
    """413 when the body's ``key`` lists more than ``limit`` rows, before any is read into a
    record: reading (and reporting) a hundred thousand wrong rows would cost far more than
    their bytes. ``words`` names the rows ("people", "entries")."""
    rows = located.data.get(key) if isinstance(located.data, dict) else None
    if isinstance(rows, list) and len(rows) > limit:
        message = _("the body has {count:,} {rows}; send at most {limit:,}")
        raise ProblemError(413, message.format(count=len(rows), rows=words, limit=limit))


_BODY = "request body"


def _too_large(limits: Limits) -> str:
    return _("the body is over {size:,} bytes").format(size=limits.max_body_bytes)


async def read_body(request: Request, limits: Limits) -> Body:
    """The request's body, refused (415) unless its content type is JSON or YAML, and (413)
    past ``limits.max_body_bytes`` without reading on."""
    is_json = _media(request)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise ProblemError(413, _too_large(limits))
    try:
        data = await asyncio.wait_for(_chunks(request, limits), limits.timeout_seconds)
    except TimeoutError:  # a body sent slowly, or never finished
        message = _("the body did not arrive within {seconds:g} s")
        raise ProblemError(408, message.format(seconds=limits.timeout_seconds)) from None
    except ClientDisconnect:  # nobody is left to answer: said in one line, not a traceback
        raise ProblemError(400, _("the client went away before sending its body")) from None
    return Body(data, is_json)


async def _chunks(request: Request, limits: Limits) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise ProblemError(413, _too_large(limits))
        chunks.append(chunk)
    return b"".join(chunks)


async def work(running: Service, job: Callable[[], T], body: Body | None = None) -> T:
    """``job`` in a worker thread, given up (503) after the request's time limit. (The thread
    finishes its work; the caller is answered at once.) A job that reads only ``body``, when
    the body is within ``Limits.inline_body_bytes``, is done here instead."""
    if body is not None and len(body.data) <= running.limits.inline_body_bytes:
        return job()
    try:
        return await asyncio.wait_for(run_in_threadpool(job), running.limits.timeout_seconds)
    except TimeoutError:
        raise ProblemError(
            503,
            _("the request took over {seconds:g} s; ask for less").format(
                seconds=running.limits.timeout_seconds
            ),
        ) from None
