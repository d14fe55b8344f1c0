"""The language of a page of the workbench: asked for by ``?lang=``, else the one chosen
before (a cookie), else Chinese. The API's answers follow ``Accept-Language`` instead."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

from governance_core.messages import LANGUAGES, Language

__all__ = ["LANG_COOKIE", "language_asked"]

LANG_COOKIE = "governance_lang"


def language_asked(query: str, cookie_header: str) -> Language:
    """The page's language from the request's query string and ``Cookie`` header."""
    asked = parse_qs(query, max_num_fields=50).get("lang", [""])[-1]
    try:
        chosen = SimpleCookie(cookie_header).get(LANG_COOKIE)
    except CookieError:
        chosen = None
    for candidate in (asked, chosen.value if chosen is not None else ""):
        for lang in LANGUAGES:
            if candidate == lang:
                return lang
    return "zh"
