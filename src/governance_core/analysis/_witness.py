"""A solver's model as a real dossier: the findings, counts, posts, documents, grades and
ranks the model's facts say, dated so that the functions read them back (a finding counted
within a span is established on the as-of date; a post held for N years started N years
before it). Every fact a dossier can record is recorded: findings and documents are empty
rather than unknown, so a witness shows what the rules do with all their facts present."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import z3

from governance_core.analysis._facts import Fact, Facts
from governance_core.expressions import ExprType, Span
from governance_core.model import Area, Document, Dossier, Finding, Person, Post

__all__ = ["WITNESS_PERSON", "dossier_of", "empty_dossier", "value_of"]

WITNESS_PERSON = "witness"
_ESCAPED = re.compile(r"\\u\{([0-9a-fA-F]+)\}")
_ORGANISATION = "witness-organisation"


def value_of(model: z3.ModelRef, v: z3.ExprRef, tp: ExprType) -> Any:
    """The Python value the model gives ``v``."""
    found = model.eval(v, model_completion=True)
    if tp is ExprType.BOOL:
        return z3.is_true(found)
    if tp is ExprType.TEXT:  # z3 writes characters outside ASCII as \u{…}
        return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), found.as_string())
    if tp is ExprType.DATE:
        return date.fromordinal(max(1, found.as_long()))
    exact = found.as_fraction()
    return int(exact) if exact.denominator == 1 else Fraction(exact)


def _years_before(day: date, years: int) -> date:
    return Span(years=years).before(day)


def dossier_of(model: z3.ModelRef, facts: Facts, as_of: date) -> Dossier:
    """The dossier whose facts are the model's."""
    values: Mapping[Fact, Any] = {
        fact: value_of(model, v, fact.type) for fact, v in facts.variables.items()
    }
    person: dict[str, Any] = {}
    findings: dict[str, int] = {}
    held: dict[str, int] = {}  # role → full years held (0: from the as-of date)
    areas: dict[str, dict[str, bool]] = {}  # role → area → holds it there
    counts, amounts, grades, ranks = {}, {}, {}, {}
    documents: list[str] = []
    for fact, value in values.items():
        name, args = fact.function, fact.args
        if name == "person":
            person[args[0]] = value
        elif name == "count_findings":
            kind = args[0][0]
            findings[kind] = max(findings.get(kind, 0), int(value))
        elif name == "count":
            counts[args[0]] = int(value)
        elif name == "amount":
            amounts[args[0]] = (
                Decimal(value.numerator) / Decimal(value.denominator)
                if isinstance(value, Fraction)
                else Decimal(value)
            )
        elif name == "has_document" and value:
            documents.append(args[0])
        elif name == "years_in_post" and value >= 1:
            held[args[0]] = max(held.get(args[0], 0), int(value))
        elif name in ("holds_post", "holds_post_in") and value:
            held.setdefault(args[0], 0)
        if name == "holds_post_in":
            areas.setdefault(args[0], {})[args[1]] = bool(value)
        elif name == "grade":
            grades[args[0]] = value
        elif name == "rank":
            ranks[args[0]] = int(value)
        elif name == "age":
            person["birth_date"] = _years_before(as_of, int(value))
    return Dossier(
        person=Person(WITNESS_PERSON, person.pop("name", "示例"), **_fields(person)),
        as_of=as_of,
        posts=tuple(
            Post(
                WITNESS_PERSON,
                role,
                _ORGANISATION,
                _years_before(as_of, years),
                None,
                _area(areas.get(role, {})),
            )
            for role, years in sorted(held.items())
        ),
        findings=tuple(
            Finding(f"{WITNESS_PERSON}-f{i}-{n}", WITNESS_PERSON, kind, as_of, "示例")
            for i, (kind, count) in enumerate(sorted(findings.items()))
            for n in range(count)
        ),
        counts=counts,
        amounts=amounts,
        documents=tuple(
            Document(f"{WITNESS_PERSON}-d{i}", WITNESS_PERSON, kind, as_of)
            for i, kind in enumerate(sorted(documents))
        ),
        grades=grades,
        ranks=ranks,
    )


def _area(asked: Mapping[str, bool]) -> Area | None:
    """The post's area: the one the model holds it in, else one it does not deny."""
    for area in Area:
        if asked.get(area.value):
            return area
    return next((a for a in Area if asked.get(a.value) is not False), None) if asked else None


def _fields(person: dict[str, Any]) -> dict[str, Any]:
    person.pop("id", None)
    return {
        k: v
        for k, v in person.items()
        if k in ("birth_date", "gender", "education", "party_member_since")
    }


def empty_dossier(as_of: date) -> Dossier:
    """A dossier that records no finding, document, post or count: everything absent."""
    return Dossier(Person(WITNESS_PERSON, "示例"), as_of, findings=(), documents=())
