"""How the workbench writes a page: Jinja2 templates of this package, every word through the
one message catalog, tables from the present layer's rows, personal data masked unless the
session's token may see it, and headers that keep the page on this machine (a content
security policy that allows nothing but the service itself)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from governance_core.files import mask_personal_data
from governance_core.messages import _, language
from governance_core.present.rows import Marked, Tone
from governance_core.service.web.language import LANG_COOKIE

__all__ = ["HEADERS", "page"]

HEADERS: Mapping[str, str] = {
    # nothing leaves the machine: every script, style and picture is the service's own
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _words(message: str, **fields: Any) -> str:
    """A message of the catalog in the page's language, its ``{fields}`` filled."""
    said = _(message)
    return said.format(**fields) if fields else said


def _cell(cell: object) -> Markup:
    """A table cell: text in tones as spans of their class, lines kept."""
    if isinstance(cell, Marked):
        return Markup("").join(
            Markup('<span class="tone-{}">{}</span>').format(tone.value, text)
            if tone is not Tone.PLAIN
            else escape(text)
            for text, tone in cell.parts
        )
    return escape("" if cell is None else str(cell))


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("governance_core.service.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(_=_words, cell=_cell)
    return environment


def page(
    request: Request,
    template: str,
    data: Mapping[str, Any],
    *,
    status: int = 200,
    raw_personal_data: bool = False,
) -> HTMLResponse:
    """``template`` filled with ``data`` in the page's language; ID-card and mobile numbers
    masked unless ``raw_personal_data``."""
    lang = language()  # the page's, set for the request (service.problems.Speaking)
    html = _environment().get_template(template).render(lang=lang, path=request.url.path, **data)
    shown = html if raw_personal_data else mask_personal_data(html)
    response = HTMLResponse(shown, status_code=status, headers=dict(HEADERS))
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict")
    return response
