"""Errors as RFC 9457 problem details (``application/problem+json``): a title and status, the
detail in words, and where an input had problems, each problem located as the command line
locates it (``request body:3:14``, the rule id, a hint)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from governance_core.errors import (
    GovernanceError,
    ProblemsError,
    Refusal,
    RefusalKind,
    RequestReusedError,
    StepRefusedError,
    VersionConflictError,
)
from governance_core.files import masked
from governance_core.messages import Language, _, in_language
from governance_core.service.web.language import language_asked

__all__ = [
    "PROBLEMS",
    "ProblemError",
    "Speaking",
    "install",
    "problem_response",
    "refused",
    "status_of",
]

MEDIA_TYPE = "application/problem+json"

_PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object"}},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "refusals": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"kind": {"type": "string"}, "message": {"type": "string"}},
            },
        },
        "first_request": {"type": "string"},
        "current_version": {"type": "integer"},
    },
}
_MEANINGS = {
    400: "The request cannot be read",
    401: "No token, or one unknown, revoked or expired",
    403: "The token's actor holds no role that may do this here",
    404: "No such policy, instance or run",
    405: "Not a method of this path",
    408: "The body did not arrive within the request's time limit",
    409: "The instance moved on: its current version is given",
    413: "The body, or the people in it, are over the service's limits",
    415: "The body is neither JSON nor YAML (send Content-Type application/json or application/yaml)",
    422: "The request or its body has problems, each located",
    500: "A bug: said in one line; please report it",
    503: "Not ready, or the request took over its time limit",
}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": meaning, "content": {MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}}}
    for status, meaning in _MEANINGS.items()
}
"""Every problem an endpoint may answer with, as RFC 9457 details (declared on each router)."""


def status_of(kinds: frozenset[RefusalKind]) -> int:
    """The status of a refusal of these kinds: 404 for what the caller may not know exists,
    403 for a role the caller does not hold, 422 for everything else it asked."""
    if RefusalKind.NOT_VISIBLE in kinds:
        return 404
    if RefusalKind.ROLE in kinds:
        return 403
    return 422


def refused(refusal: Refusal) -> ProblemError:
    """A refusal of the authorisation policy as the problem that ends the request."""
    return ProblemError(status_of(frozenset({refusal.kind})), refusal.message)


class ProblemError(Exception):
    """Ends a request with a problem: its ``status`` and the ``detail`` in words (the title
    follows from the status)."""

    def __init__(self, status: int, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.detail, self.extra = status, detail, extra


def _title(status: int) -> str:
    """The problem's title: what its status means, in the request's language."""
    titles = {
        400: _("bad request"),
        401: _("not authenticated"),
        403: _("not allowed"),
        404: _("not found"),
        405: _("method not allowed"),
        408: _("request timeout"),
        409: _("version conflict"),
        413: _("too large"),
        415: _("unsupported media type"),
        422: _("cannot be processed"),
        500: _("internal error"),
        503: _("not available"),
    }
    return titles.get(status, str(status))


def problem_response(
    status: int,
    detail: str,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = {"type": "about:blank", "title": _title(status), "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    text = orjson.dumps({**body, **extra}, option=orjson.OPT_NON_STR_KEYS).decode()
    sent = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return Response(masked(text), status_code=status, media_type=MEDIA_TYPE, headers=sent)


def _governance(request: Request, error: Exception) -> Response:
    path = request.url.path
    if isinstance(error, VersionConflictError):
        return problem_response(409, str(error), path, current_version=error.actual)
    if isinstance(error, StepRefusedError):
        refusals = [{"kind": r.kind.value, "message": r.message} for r in error.refusals]
        status = status_of(error.kinds())
        reasons = list(error.reasons)
        return problem_response(status, str(error), path, reasons=reasons, refusals=refusals)
    if isinstance(error, RequestReusedError):
        return problem_response(422, str(error), path, first_request=error.first)
    if isinstance(error, LookupError):  # an unknown list, procedure, parameter or instance
        return problem_response(404, str(error), path)
    if isinstance(error, ProblemsError):
        problems = [attrs.asdict(p) for p in error.problems]
        return problem_response(422, str(error), path, problems=problems)
    return problem_response(422, str(error), path)


def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        {
            "message": _validation_words(e),
            "type": e.get("type", ""),
            "location": [str(part) for part in e.get("loc", ())],
        }
        for e in error.errors()
    ]
    return problem_response(
        422, _("the request does not match its schema"), request.url.path, problems=problems
    )


def _validation_words(error: Mapping[str, Any]) -> str:
    """What pydantic found, in the request's language for the usual cases (its own English
    words otherwise, with the ``type`` code beside them)."""
    kind = str(error.get("type", ""))
    if kind == "value_error":  # our own validators' words, from the catalog
        return str(error.get("ctx", {}).get("error", error.get("msg", "")))
    words = {
        "missing": _("required, and not given"),
        "json_invalid": _("not valid JSON"),
        "int_parsing": _("not a whole number"),
        "string_type": _("not text"),
        "dict_type": _("not an object"),
        "greater_than_equal": _("too small"),
        "less_than_equal": _("too large"),
        "string_too_long": _("too long"),
        "string_too_short": _("too short"),
        "literal_error": _("not one of the values allowed"),
        "enum": _("not one of the values allowed"),
    }
    return words.get(kind, str(error.get("msg", "")))


def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return problem_response(
        error.status_code, _title(error.status_code), request.url.path, error.headers
    )


def _problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, ProblemError)
    return problem_response(error.status, error.detail, request.url.path, **error.extra)


def _internal(request: Request, error: Exception) -> Response:
    # a bug: said in one line, never with a traceback (the log keeps the rest)
    detail = _("internal error ({kind}); please report it with the request").format(
        kind=type(error).__name__
    )
    return problem_response(500, detail, request.url.path)


class Speaking:
    """ASGI middleware: every word of an API answer in the language it asks for with
    ``Accept-Language``, of a workbench page in the page's (``?lang=``, then its cookie) —
    Chinese unless English is asked for."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ()))
        path = str(scope.get("path", ""))
        if path.startswith("/v1/") or path == "/openapi.json":
            asked = headers.get(b"accept-language", b"").decode("latin-1")
            lang: Language = "en" if asked.strip().lower().startswith("en") else "zh"
        else:  # a page of the workbench: its own switch
            query = bytes(scope.get("query_string", b"")).decode("latin-1")
            lang = language_asked(query, headers.get(b"cookie", b"").decode("latin-1"))
        with in_language(lang):
            await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    """Answer every error ``app`` raises as a problem: those raised on purpose with what is
    wrong, a bug with one line."""
    app.add_middleware(Speaking)
    app.add_exception_handler(Exception, _internal)
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(GovernanceError, _governance)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
