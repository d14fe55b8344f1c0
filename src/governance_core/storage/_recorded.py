"""Recorded verdicts and score sheets: their chained bodies, and the columns they are found by.

A record's body is canonical JSON (sorted keys) and is what the audit chain hashes. The
columns of its ``verdicts`` or ``score_sheets`` row are *derived from that body* by
:func:`verdict_columns` / :func:`score_sheet_columns`, when writing and again when verifying,
so an edited column shows up as a row that no longer matches its hashed body.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, final

import attrs
import orjson

from governance_core.model import converter
from governance_core.rules.criteria.verdicts import ListVerdict
from governance_core.rules.scoring import Assessment, sheet_data
from governance_core.runtime import Event

__all__ = [
    "RecordedScoreSheet",
    "RecordedVerdict",
    "assessment_bodies",
    "canonical",
    "effect_columns",
    "guard_bodies",
    "incident_columns",
    "reminder_columns",
    "score_sheet_columns",
    "verdict_body",
    "verdict_columns",
]


def canonical(data: Any) -> bytes:
    """Sorted-key JSON, as hashed by the chain."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)


@final
@attrs.frozen(slots=True)
class RecordedVerdict:
    """A verdict as the store keeps it: where it sits in the chain, the columns it is found
    by, and its whole body (every item with its observations, as explained when recorded)."""

    position: int
    list_id: str | None
    person_id: str
    as_of: date
    outcome: str
    conclusive: bool
    instance: str | None
    sequence: int | None
    guard: str | None
    body: Mapping[str, Any]


@final
@attrs.frozen(slots=True)
class RecordedScoreSheet:
    """A person's score sheet, vote and grade under one grade policy, as the store keeps it."""

    position: int
    policy_id: str
    person_id: str
    as_of: date
    score: str | None
    place: int | None
    grade: str | None
    conclusive: bool
    body: Mapping[str, Any]


def verdict_body(v: ListVerdict, opened: str | None = None) -> dict[str, Any]:
    """A list's verdict for one person, recorded on its own (``Engine.evaluate``), with the
    procedure instance it opened, if any (the main job ties its hits to their procedures)."""
    body = {"verdict": converter.unstructure(v)}
    if opened is not None:
        body["opened"] = opened
    return body


def guard_bodies(event: Event, subject: str) -> Iterator[dict[str, Any]]:
    """The explained verdicts of the guards ``event`` passed through, one body each (the
    event itself keeps only their status and reason)."""
    for g in event.verdicts:
        if g.list_verdict is None and g.explanation is None:
            continue
        yield {
            "instance": event.instance,
            "sequence": event.sequence,
            "subject": subject,
            "as_of": event.at.date().isoformat(),
            "guard": converter.unstructure(g),
        }


def verdict_columns(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``verdicts`` columns of a body written by :func:`verdict_body` or
    :func:`guard_bodies`."""
    if "verdict" in body:
        v = body["verdict"]
        return {
            "list_id": v["list"]["list_id"],
            "person_id": v["person_id"],
            "as_of": date.fromisoformat(v["as_of"]),
            "outcome": v["outcome"],
            "conclusive": v["conclusive"],
            "instance": body.get("opened"),
            "sequence": None,
            "guard": None,
        }
    g, listed = body["guard"], body["guard"]["list_verdict"]
    return {
        "list_id": None if listed is None else listed["list"]["list_id"],
        "person_id": body["subject"],
        "as_of": date.fromisoformat(body["as_of"]),
        "outcome": g["status"],
        "conclusive": listed["conclusive"] if listed is not None else True,
        "instance": body["instance"],
        "sequence": body["sequence"],
        "guard": g["guard"],
    }


def assessment_bodies(result: Assessment) -> Iterator[dict[str, Any]]:
    """One body per graded person: the grade with the rule that decided it, the score sheet
    (every line) and the vote, when the policy has them."""
    for g in result.graded:
        sheet = result.sheets.get(g.person_id)
        vote = result.votes.get(g.person_id)
        yield {
            "policy_id": result.policy.id,
            "as_of": result.as_of.isoformat(),
            "graded": converter.unstructure(g),
            "sheet": None if sheet is None else sheet_data(sheet),
            "vote": None if vote is None else converter.unstructure(vote),
        }


def score_sheet_columns(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``score_sheets`` columns of a body written by :func:`assessment_bodies`."""
    g = body["graded"]
    return {
        "policy_id": body["policy_id"],
        "person_id": g["person_id"],
        "as_of": date.fromisoformat(body["as_of"]),
        "score": g["score"],
        "place": g["place"],
        "grade": g["grade"],
        "conclusive": g["conclusive"],
    }


def effect_columns(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``effect_records`` columns of an effect record's body."""
    effect = body["effect"]
    return {
        "effect_record": effect["id"],
        "effect": effect["effect"],
        "person_id": effect["person"],
        "event": body["event"],
    }


def reminder_columns(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``reminder_records`` columns of a reminder record's body."""
    return {"reminder_id": body["reminder"]["id"], "outbox_key": body["outbox"]}


def incident_columns(body: Mapping[str, Any]) -> dict[str, Any]:
    """The ``incident_records`` columns of an incident record's body."""
    return {"incident_id": body["incident"]["id"], "status": body["incident"]["status"]}
