"""Procedures as data: states, steps, the roles that may take each step, guards, evidence,
deadlines and citations.

A :class:`ProcessDefinition` is what a source describes (the seven steps of 副科级 treatment,
the 有错无为 dismissal that only the town committee's collective study decides). It is checked
by :mod:`.checks`, may be extended by plugins and overlays (:class:`ProcessChanges`), and is
compiled once to a state machine by :mod:`governance_core.runtime`.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import date
from typing import final

import attrs
import orjson

from governance_core.model import converter
from governance_core.rules.common import Citation, Role, Title, in_effect

__all__ = [
    "DueKind",
    "DueRule",
    "EvidenceKind",
    "Expect",
    "Guard",
    "Once",
    "ProcessChanges",
    "ProcessDefinition",
    "Role",
    "State",
    "Step",
    "StepExtension",
    "StepRemoval",
    "SubjectKind",
]


class SubjectKind(enum.Enum):
    """What an instance of a procedure is about. Guards read facts about a person, so only a
    procedure about a person may have guards."""

    PERSON = "person"
    PROJECT = "project"
    MATTER = "matter"
    CLAIM = "claim"


@final
@attrs.frozen(slots=True)
class State:
    """A state of the procedure. A terminal state ends it: no step leaves it."""

    id: str
    title: Title
    terminal: bool = False


@final
@attrs.frozen(slots=True)
class EvidenceKind:
    """A document a step requires (the minutes of the collective study); a fire names the id
    of one document of each required kind."""

    id: str
    title: Title


class Expect(enum.Enum):
    """The outcome a list guard requires of its list."""

    HIT = "hit"
    NOT_HIT = "not_hit"


@final
@attrs.frozen(slots=True)
class Guard:
    """A condition of a step, evaluated for the instance's subject as of the fire's date.

    Either a criteria ``list`` that must be (or must not be) hit, conclusively, or a boolean
    ``expression``. ``when`` (an expression) limits the guard to the subjects it holds for:
    the rural extras apply to a village secretary only. A guard that cannot be decided (a
    missing fact, a list with items not encoded) blocks the step, with the reason.
    """

    id: str
    title: Title
    list: str | None = None
    expect: Expect = Expect.HIT
    expression: str | None = None
    when: str | None = None
    citation: Citation | None = None


class DueKind(enum.Enum):
    """How a step's deadline is counted from the day its instance entered the step's source
    state.

    ``working_days``: the count-th official working day after that day (公示), from the
    official calendar with its holidays and substituted workdays. ``days``, ``months``,
    ``years``: calendar periods (a month from 31 January ends on the last day of February).
    ``before_day_of_next_month``: before the count-th of the next month, so the last day
    allowed is the day before it (rankings "before the 10th"). ``end_of_quarter``: within the
    quarter (no count). ``before_date``: before the date a date ``parameter`` gives (“七一”前),
    for an instance that entered the state before that date; one entered on or after it has
    no such deadline (the first batch was due by then, later ones are not).
    """

    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"
    BEFORE_DAY_OF_NEXT_MONTH = "before_day_of_next_month"
    END_OF_QUARTER = "end_of_quarter"
    BEFORE_DATE = "before_date"


@final
@attrs.frozen(slots=True)
class DueRule:
    """A step's deadline: ``kind`` counted by ``count`` or by the value of the number
    ``parameter`` on the day the state was entered (a source that names a period without its
    length leaves the parameter without a value, and the deadline is reported as unknown).

    ``automatic`` steps are timeouts: nobody fires them; the sweeper does once the last day
    allowed has passed (the end of a public notice, the expiry of a one-year treatment).
    """

    kind: DueKind
    count: int | None = None
    parameter: str | None = None
    automatic: bool = False


class Once(enum.Enum):
    """How often one actor may take a step, on any instance of the procedure: a secretary
    chooses one 书记工程 a year."""

    A_YEAR = "year"


@final
@attrs.frozen(slots=True)
class Step:
    """A transition, named by its trigger ``id``: from any of ``sources`` to ``dest`` (None
    stays in the state: monthly feedback on a project), taken by an actor holding one of
    ``roles``, when every guard passes and a document of every ``evidence`` kind is named.

    ``required`` marks a step the source makes indispensable (the collective study): no plugin
    or overlay may remove it, and the definition is refused if it can no longer be reached.
    ``consequence`` is what taking it entails beyond the state (追究问责), recorded with the
    event for whoever must act on it. ``once_per_actor``: an actor takes it on one instance a
    calendar year at most (checked against the store's events when it would be taken).
    """

    id: str
    title: Title
    sources: tuple[str, ...]
    dest: str | None
    roles: tuple[str, ...] = ()
    guards: tuple[Guard, ...] = ()
    evidence: tuple[EvidenceKind, ...] = ()
    due: DueRule | None = None
    required: bool = False
    consequence: Title | None = None
    citation: Citation | None = None
    once_per_actor: Once | None = None

    @property
    def automatic(self) -> bool:
        return self.due is not None and self.due.automatic


@final
@attrs.frozen(slots=True)
class ProcessDefinition:
    """A procedure as its source describes it. ``version`` is the definer's; the content hash
    pins exactly what an instance was run under. ``rubric`` links an assessment procedure to
    the rubric it scores with, when one is loaded."""

    id: str
    title: Title
    citation: Citation
    subject: SubjectKind
    initial: str
    states: tuple[State, ...]
    steps: tuple[Step, ...]
    roles: tuple[Role, ...] = ()
    version: int = 1
    rubric: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None

    def in_effect(self, day: date) -> bool:
        return in_effect(day, self.effective_from, self.effective_to)

    def state(self, state_id: str) -> State:
        return next(s for s in self.states if s.id == state_id)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def content_hash(self) -> str:
        """SHA-256 of the definition's canonical JSON (sorted keys): what an instance pins."""
        unstructured = converter.unstructure(self)
        for step in unstructured["steps"]:  # a field added later hashes only when set, so a
            for late in ("once_per_actor",):  # definition written before it pins as it did
                if step.get(late) is None:
                    step.pop(late, None)
        data = orjson.dumps(unstructured, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(data).hexdigest()


@final
@attrs.frozen(slots=True)
class StepExtension:
    """More for an existing step: guards, evidence, roles. Extensions only add."""

    step: str
    guards: tuple[Guard, ...] = ()
    evidence: tuple[EvidenceKind, ...] = ()
    roles: tuple[str, ...] = ()


@final
@attrs.frozen(slots=True)
class StepRemoval:
    """Remove a step that is not required, with the reason kept in the provenance."""

    step: str
    reason: str


@final
@attrs.frozen(slots=True)
class ProcessChanges:
    """What a district plugin (``process_extensions``) or an overlay (``processes``) changes in
    a procedure another supplier defines: roles, states and steps added, steps extended or
    removed. The result is checked whole again (reachability, absorbing terminal states)."""

    process: str
    roles: tuple[Role, ...] = ()
    states: tuple[State, ...] = ()
    steps: tuple[Step, ...] = ()
    extend: tuple[StepExtension, ...] = ()
    remove: tuple[StepRemoval, ...] = ()
