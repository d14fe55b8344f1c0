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

from governance_core.errors import (
    GovernanceError,
    ProblemsError,
    StepRefusedError,
    VersionConflictError,
)
from governance_core.files import masked

__all__ = ["PROBLEMS", "ProblemError", "install", "problem_response"]

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
        "current_version": {"type": "integer"},
    },
}
_MEANINGS = {
    400: "The request cannot be read",
    401: "No token, or one unknown, revoked or expired",
    403: "The token's actor holds no role that may do this here",
    404: "No such policy, instance or run",
    405: "Not a method of this path",
    409: "The instance moved on: its current version is given",
    413: "The body, or the people in it, are over the service's limits",
    422: "The request or its body has problems, each located",
    500: "A bug: said in one line; please report it",
    503: "Not ready, or the request took over its time limit",
}
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": meaning, "content": {MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}}}
    for status, meaning in _MEANINGS.items()
}
"""Every problem an endpoint may answer with, as RFC 9457 details (declared on each router)."""


class ProblemError(Exception):
    """Ends a request with a problem: ``status``, a ``title`` and the ``detail`` in words."""

    def __init__(self, status: int, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


def problem_response(
    status: int,
    title: str,
    detail: str,
    instance: str | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if instance is not None:
        body["instance"] = instance
    text = orjson.dumps({**body, **extra}, option=orjson.OPT_NON_STR_KEYS).decode()
    sent = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return Response(masked(text), status_code=status, media_type=MEDIA_TYPE, headers=sent)


def _governance(request: Request, error: Exception) -> Response:
    path = request.url.path
    if isinstance(error, VersionConflictError):
        return problem_response(409, "Version conflict", str(error), path,
                                current_version=error.actual)  # fmt: skip
    if isinstance(error, StepRefusedError):
        return problem_response(422, "Step refused", str(error), path,
                                reasons=list(error.reasons))  # fmt: skip
    if isinstance(error, LookupError):  # an unknown list, procedure, parameter or instance
        return problem_response(404, "Not found", str(error), path)
    if isinstance(error, ProblemsError):
        problems = [attrs.asdict(p) for p in error.problems]
        return problem_response(422, "Invalid input", str(error), path, problems=problems)
    return problem_response(422, "Refused", str(error), path)


def _validation(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        {"message": e.get("msg", ""), "location": [str(part) for part in e.get("loc", ())]}
        for e in error.errors()
    ]
    return problem_response(422, "Invalid request", "the request does not match its schema",
                            request.url.path, problems=problems)  # fmt: skip


def _http(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    return problem_response(error.status_code, str(error.detail), str(error.detail),
                            request.url.path, error.headers)  # fmt: skip


def _problem(request: Request, error: Exception) -> Response:
    assert isinstance(error, ProblemError)
    return problem_response(error.status, error.title, error.detail, request.url.path,
                            **error.extra)  # fmt: skip


def _internal(request: Request, error: Exception) -> Response:
    # a bug: said in one line, never with a traceback (the log keeps the rest)
    return problem_response(500, "Internal error", f"internal error ({type(error).__name__}); "
                            "please report it with the request", request.url.path)  # fmt: skip


def install(app: FastAPI) -> None:
    """Answer every error ``app`` raises as a problem: those raised on purpose with what is
    wrong, a bug with one line."""
    app.add_exception_handler(Exception, _internal)
    app.add_exception_handler(ProblemError, _problem)
    app.add_exception_handler(GovernanceError, _governance)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
