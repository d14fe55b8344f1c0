"""The runtime's records: who acts, an instance of a procedure, the event each step appends,
a guard's verdict, a deadline, and what may be done now."""

from __future__ import annotations

import enum
import hashlib
from datetime import date, datetime
from typing import final

import attrs
import orjson

from governance_core.errors import Refusal
from governance_core.expressions import Explanation
from governance_core.messages import _
from governance_core.model import ImposedEffect
from governance_core.rules.common import Title
from governance_core.rules.criteria.verdicts import ListVerdict

__all__ = [
    "MIGRATE",
    "RECOUNT",
    "START",
    "SWEEPER",
    "Actor",
    "Blocked",
    "Deadline",
    "DueStatus",
    "DueStep",
    "Event",
    "FireResult",
    "GuardStatus",
    "GuardVerdict",
    "Permission",
    "ProcessInstance",
    "Sweep",
    "fingerprint",
    "request_key",
]

START = "start"
"""The step of an instance's opening event."""
MIGRATE = "migrate"
"""The step of the event that moves an instance to another definition (its state stays)."""
RECOUNT = "recount"
"""The step of the event that recounts an instance's deadlines once the official calendar of
a year they were counted across provisionally is published (its state stays)."""


@final
@attrs.frozen(slots=True)
class Actor:
    """Who fires a step, with the roles the calling application has established they hold
    (the library does not authenticate; it checks the roles against each step), and how the
    caller was authenticated (a service token, roles claimed on the command line), which the
    step's event records."""

    id: str
    roles: frozenset[str] = frozenset()
    authenticated: str | None = None


SWEEPER = Actor("governance:sweeper")
"""The actor of automatic (timeout) steps; it holds no role and takes no other step."""


def request_key(actor: str, key: str) -> str:
    """The request id kept for ``actor``'s idempotency key: keys are per actor, so two actors
    choosing the same key never meet (a digest: the key and the actor may be long)."""
    digest = hashlib.sha256(f"{actor}\x00{key}".encode()).hexdigest()[:40]
    return f"key/{digest}"


def fingerprint(*parts: object) -> str:
    """A digest of a request's parts (route, body, actor), to tell a repeat from a reuse."""
    return hashlib.sha256(orjson.dumps(parts, option=orjson.OPT_SORT_KEYS)).hexdigest()


@final
@attrs.define(slots=True)
class ProcessInstance:
    """One run of a procedure, pinned to the definition it started under.

    Mutable on purpose and small (a few hundred bytes): the compiled state machine moves
    ``state`` in place, one machine serving every instance. ``version`` counts the events
    recorded, so a store can refuse a fire from a stale copy; ``entered_on`` is the day the
    current state was entered, from which deadlines count.
    """

    id: str
    process: str
    process_version: int
    definition_hash: str
    subject: str
    state: str
    version: int
    entered_on: date


class GuardStatus(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"  # its ``when`` does not hold for the subject


@final
@attrs.frozen(slots=True)
class GuardVerdict:
    """A guard for one subject on one day: its status, and what decided it (the list's
    verdict, or the expression's explanation), with a one-line reason."""

    guard: str
    title: Title
    status: GuardStatus
    reason: str
    list_verdict: ListVerdict | None = None
    explanation: Explanation | None = None

    @property
    def allows(self) -> bool:
        return self.status in (GuardStatus.PASSED, GuardStatus.NOT_APPLICABLE)


@final
@attrs.frozen(slots=True, kw_only=True)
class Event:
    """One recorded step: who took it under which role, when, from which state to which, the
    documents named for the evidence it required, the guards' verdicts, and the hash of the
    definition it ran under. ``sequence`` is the instance's version after the event; the
    opening event (step ``start``) is 1."""

    instance: str
    sequence: int
    step: str
    source: str | None
    dest: str
    actor: str
    role: str | None
    at: datetime
    definition_hash: str
    request_id: str | None = None
    evidence: tuple[tuple[str, str], ...] = ()
    verdicts: tuple[GuardVerdict, ...] = ()
    consequence: Title | None = None
    note: str | None = None
    policy_set: str | None = None
    """The digest of the policy set the step was taken under (loading/manifest.py; the store
    keeps its manifest); left out of the stored body when not said."""
    renamed: tuple[tuple[str, str], ...] = ()
    """A migration's renamed states (old, new): the history before it reads in the new names;
    left out of the stored body when there are none."""
    effects: tuple[ImposedEffect, ...] = ()
    """The effects the step imposes (``effects:`` imposed by ``{process, step}``), recorded
    with it; left out of the stored body when there are none."""
    authenticated: str | None = None
    """How the actor was authenticated, when the caller said (``token 3f2a…``, ``command
    line``); left out of the stored body when not said, so older events read and hash alike."""
    fingerprint: str | None = None
    """A digest of the request that asked for the event (route, body, actor) when it came with
    a request id: the same id with another fingerprint is another request, refused."""
    recorded_at: datetime | None = None
    """When the event was recorded, by the recording machine's clock, when ``at`` is a time
    the caller gave (a decision taken at yesterday's meeting, entered today)."""

    def described(self) -> str:
        """The event in words, to name the request that first used a request id."""
        return _("step {step} of {instance} by {actor} at {at}").format(
            step=self.step,
            instance=self.instance,
            actor=self.actor,
            at=self.at.isoformat(timespec="minutes"),
        )

    def summarised(self) -> Event:
        """The event as stores keep it: each guard's verdict by its status and reason; the
        explanation stays with the result the fire returned."""
        if not self.verdicts:
            return self
        verdicts = tuple(
            attrs.evolve(v, list_verdict=None, explanation=None) for v in self.verdicts
        )
        return attrs.evolve(self, verdicts=verdicts)


@final
@attrs.frozen(slots=True)
class FireResult:
    """The instance after a fire (or after the first fire of a repeated request id) and the
    event that moved it; ``repeated`` when the request id had been seen and nothing was done."""

    instance: ProcessInstance
    event: Event
    repeated: bool = False


@final
@attrs.frozen(slots=True)
class Blocked:
    """An automatic step the sweep could not take: its ``deadline``, and why: the step's
    ``refusals`` (a guard failed or could not be decided), or a last day still provisional,
    counted across ``provisional_year`` whose official calendar is not published."""

    deadline: Deadline
    subject: str
    refusals: tuple[Refusal, ...] = ()
    provisional_year: int | None = None


@final
@attrs.frozen(slots=True)
class Sweep:
    """What a sweep did: the steps it took, and those it could not (``blocked``)."""

    taken: tuple[FireResult, ...]
    blocked: tuple[Blocked, ...] = ()


@final
@attrs.frozen(slots=True)
class Permission:
    """Whether ``actor`` may take ``step`` now, and if not, every reason (``refusals``, each
    of a kind); ``evidence`` lists the document kinds the fire must name."""

    step: str
    title: Title
    allowed: bool
    refusals: tuple[Refusal, ...]
    evidence: tuple[str, ...]
    verdicts: tuple[GuardVerdict, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        """Each refusal's sentence."""
        return tuple(r.message for r in self.refusals)


@final
@attrs.frozen(slots=True)
class Deadline:
    """A due step of an instance in its current state: the last day allowed (None when a
    parameter the rule needs has no value, with the reason), and whether the sweeper takes it
    when that day has passed. Recomputed whenever the instance changes state.

    ``provisional_year``: the day was counted in working days across that year before its
    official calendar was published (weekends only); it is recounted, with an event, once the
    year is published. ``moved_from``: the day it had before the last recount, when that moved
    it."""

    instance: str
    step: str
    last_day: date | None
    automatic: bool
    unknown_because: str | None = None
    provisional_year: int | None = None
    moved_from: date | None = None


class DueStatus(enum.Enum):
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    UNKNOWN = "unknown"


@final
@attrs.frozen(slots=True)
class DueStep:
    """A deadline as seen on one day."""

    deadline: Deadline
    status: DueStatus
    days_left: int | None
