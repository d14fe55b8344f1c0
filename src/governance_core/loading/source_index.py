"""Per source document, every rule-bearing passage the loaded policies cite and where it is
encoded — or, for what their authors recorded as not encoded (``unencoded:``), why not. Made
from the citations themselves (`governance sources`), so a gap is visible beside the rest."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, final

import attrs

from governance_core.loading.kinds import registered
from governance_core.loading.policy_set import PolicySet
from governance_core.messages import language
from governance_core.rules.common import Citation, Title
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.gaps import GAPS, Unencoded

__all__ = ["Passage", "cited_words", "source_index"]


@final
@attrs.frozen(slots=True)
class Passage:
    """One cited passage of a source: the words it quotes, and the records that encode it, or
    (``reason`` given) why it is not encoded."""

    source: str
    document: str
    article: str
    quote: str
    encoded_in: tuple[str, ...] = ()
    reason: str | None = None


_WORDS = re.compile(r"[\s\W_]+")
_CLAUSE = 10  # characters of a title that make it a clause of the source, not a name
_QUOTED = re.compile(r'"([^"]*[\u4e00-\u9fff][^"]*)"|“([^”]*[\u4e00-\u9fff][^”]*)”')


def _quote(citation: Citation) -> str:
    """The source's own words a citation's note quotes first, else the article's name."""
    found = _QUOTED.search(citation.note or "")
    if found is None:
        return ""
    return (found[1] or found[2] or "").strip()


def _cited(value: Any, where: str, depth: int = 0) -> Iterator[tuple[str, Citation]]:
    """Every citation inside what a kind assembled, with the id of the record (or the part of
    it: ``list.item``, ``process.step``) that carries it."""
    if depth > 12:  # records nest a few levels: a rubric's sections, rules and lines
        return
    if isinstance(value, Citation):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            inner = key if isinstance(key, str) and depth < 2 else where  # a record's id
            yield from _cited(item, inner, depth + 1)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _cited(item, where, depth + 1)
    elif attrs.has(type(value)) and not isinstance(value, Title):
        part = getattr(value, "id", None)
        named = isinstance(part, str) and part != where and not where.endswith(f".{part}")
        here = (f"{where}.{part}" if where else str(part)) if named else where
        for field in attrs.fields(type(value)):
            yield from _cited(getattr(value, field.name), here, depth + 1)


def _assembled(policies: PolicySet) -> Iterator[Any]:
    """What each kind assembled, ready to walk (a compiled list by its criteria)."""
    yield dict(policies.parameters)
    for kind in registered():
        if kind is GAPS:
            continue
        if kind.name == "criteria":
            yield {k: c.criteria for k, c in policies.of(CRITERIA).items()}
        else:
            yield policies.of(kind)


def _gap(gap: Unencoded) -> Passage:
    c = gap.citation
    return Passage(
        c.source, c.document, c.article, _quote(c), reason=gap.reason.in_language(language())
    )


def source_index(policies: PolicySet) -> list[Passage]:
    """Every passage, by source, document and article; encoded ones first within each."""
    found: dict[tuple[str, str, str, str], set[str]] = {}
    for assembled in _assembled(policies):
        for where, citation in _cited(assembled, ""):
            key = (citation.source, citation.document, citation.article, _quote(citation))
            found.setdefault(key, set()).add(where)
    passages = [
        Passage(source, document, article, quote, tuple(sorted(records)))
        for (source, document, article, quote), records in found.items()
    ]
    gaps = policies.of(GAPS)
    passages += [_gap(g) for g in gaps.values()]
    return sorted(passages, key=lambda p: (p.source, p.document, p.article, p.reason is not None))


def _worded(
    value: Any, depth: int = 0, source: str | None = None, where: str = ""
) -> Iterator[tuple[str, str, str]]:
    """(source, words, record) for every record under a citation: its Chinese title (the
    source's own words, as records keep them) and each passage its citation's note quotes,
    with the record's id (``list.item``). A record without a citation of its own (a rubric's
    rule) is of the source of the record it is part of."""
    if depth > 12:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            inner = key if isinstance(key, str) and depth < 2 else where  # a record's id
            yield from _worded(item, depth + 1, source, inner)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _worded(item, depth + 1, source, where)
    elif attrs.has(type(value)) and not isinstance(value, Title | Citation):
        part = getattr(value, "id", None)
        named = isinstance(part, str) and part != where and not where.endswith(f".{part}")
        here = (f"{where}.{part}" if where else str(part)) if named else where
        citation = getattr(value, "citation", None)
        own = isinstance(citation, Citation)
        if isinstance(citation, Citation):
            source = citation.source
            for found in _QUOTED.finditer(citation.note or ""):
                yield source, (found[1] or found[2] or "").strip(), here
        title = getattr(value, "title", None)
        # a part without a citation of its own keeps the source's words when its title is a
        # clause (a rubric's rule); a role's or a state's name is not one
        clause = isinstance(title, Title) and len(_WORDS.sub("", title.zh)) >= _CLAUSE
        if source is not None and isinstance(title, Title) and (own or clause):
            yield source, title.zh, here
        for field in attrs.fields(type(value)):
            yield from _worded(getattr(value, field.name), depth + 1, source, here)


def cited_words(policies: PolicySet) -> dict[str, list[tuple[str, str]]]:
    """By source document, the words of it the loaded records keep — titles and the passages
    their citations quote, those of the records of what is not encoded among them — each
    with the id of the record that keeps them."""
    found: dict[str, list[tuple[str, str]]] = {}
    for assembled in [*_assembled(policies), dict(policies.of(GAPS))]:
        for source, words, record in _worded(assembled):
            found.setdefault(source, []).append((words, record))
    return found
