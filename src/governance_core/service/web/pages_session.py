"""Signing in to the workbench and out of it (docs/workbench.md, "Signing in")."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from governance_core.messages import _
from governance_core.service.web.rendering import HEADERS, page
from governance_core.service.web.sessions import (
    COOKIE,
    LOGIN_COOKIE,
    Session,
    new_key,
    same,
)
from governance_core.service.web.visit import (
    form_of,
    problem_page,
    running_of,
    to_sign_in,
    visitor_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


# --- signing in ---------------------------------------------------------------------------


@router.get("/signin")
async def sign_inform_of(request: Request) -> Response:
    login = new_key()
    response = page(request, "signin.html", {"visitor": None, "login": login, "error": None})
    response.set_cookie(LOGIN_COOKIE, login, httponly=True, samesite="strict", path="/signin")
    return response


@router.post("/signin")
async def sign_in(request: Request) -> Response:
    fields = await form_of(request)
    if not same(fields.get("login"), request.cookies.get(LOGIN_COOKIE, "")) or not fields.get(
        "login"
    ):
        return problem_page(request, 403, _("the form has expired: sign in again"), None)
    running = running_of(request)
    token = fields.get("token", "").strip()
    found = running.store.tokens.verify(token, running.clock().date()) if token else None
    if found is None:
        login = new_key()
        data = {
            "visitor": None,
            "login": login,
            "error": _("the token is unknown, revoked or expired"),
        }
        response = page(request, "signin.html", data, status=401)
        response.set_cookie(LOGIN_COOKIE, login, httponly=True, samesite="strict", path="/signin")
        return response
    session = Session(new_key(), new_key())
    running.store.sessions.open(session.id, found.id, session.csrf, running.clock())
    signed_in = RedirectResponse("/tasks", status_code=303, headers=dict(HEADERS))
    secure = request.url.scheme == "https"
    signed_in.set_cookie(COOKIE, session.id, httponly=True, samesite="strict", secure=secure)
    signed_in.delete_cookie(LOGIN_COOKIE, path="/signin")
    return signed_in


@router.post("/signout")
async def sign_out(request: Request) -> Response:
    visitor = visitor_of(request)
    fields = await form_of(request)
    if visitor is not None and same(fields.get("csrf"), visitor.session.csrf):
        running_of(request).store.sessions.close(visitor.session.id)
    response = to_sign_in()
    response.delete_cookie(COOKIE)
    return response


@router.get("/")
async def home(request: Request) -> Response:
    target = "/tasks" if visitor_of(request) is not None else "/signin"
    return RedirectResponse(target, status_code=303, headers=dict(HEADERS))


# --- 我的待办 -------------------------------------------------------------------------------
