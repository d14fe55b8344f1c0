"""The one exception tree of governance_core.

Every error the library raises on purpose is a :class:`GovernanceError`; anything else escaping
the public API is a bug. Errors about input files carry *every* problem found, each with its
location, so that a policy author fixes a file in one pass::

    GovernanceError
    ├── ProblemsError              one or more located problems (``.problems``)
    │   ├── PolicyError            a policy file (criteria lists, parameters) is invalid
    │   ├── ExpressionError        an expression failed to parse, validate or type-check
    │   ├── RosterError            a roster or record file is invalid
    │   ├── ScoringError           inputs of a rubric, vote or ranking are missing or invalid
    │   ├── LedgerError            a points-ledger operation was refused, or its file is invalid
    │   ├── ConfigError            governance.toml or [tool.governance] is invalid
    │   └── PluginError            a named plugin is missing, fails, or supplies invalid records
    ├── ParameterError             strict mode: a dated parameter has no value at the date
    ├── EvaluationError            an expression failed on a record (e.g. division by zero)
    ├── UnknownPolicyError         a list or parameter id that no loaded policy defines
    ├── TokenError                 a service token cannot be issued or changed as asked
    └── WorkflowError              a procedure step cannot be taken or recorded
        ├── StepRefusedError       role, state, evidence, date or a guard forbids the step
        │                          (``refusals``: each a Refusal of a RefusalKind)
        ├── RequestReusedError     a request id already used for another request
        ├── VersionConflictError   the instance changed since it was read; nothing written
        ├── UnknownInstanceError   no instance of that id is stored
        └── CalendarError          a working-day count too long to count

``ProblemsError`` mirrors cattrs' ExceptionGroup style but flattens it: a list of
:class:`Problem` records that render as ``file:line:column: [rule] message (hint)``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import final

import attrs

from governance_core.messages import _

__all__ = [
    "CalendarError",
    "ConfigError",
    "EvaluationError",
    "ExpressionError",
    "GovernanceError",
    "LedgerError",
    "ParameterError",
    "PluginError",
    "PolicyError",
    "Problem",
    "ProblemKind",
    "ProblemsError",
    "Refusal",
    "RefusalKind",
    "RequestReusedError",
    "RosterError",
    "ScoringError",
    "StepRefusedError",
    "TokenError",
    "UnknownInstanceError",
    "UnknownPolicyError",
    "VersionConflictError",
    "WorkflowError",
]


class ProblemKind(enum.StrEnum):
    """What sort of mistake a problem of a district's files is, for a clerk to fix them
    together: a summary with several kinds says them kind by kind."""

    LAYOUT = "layout"  # a sheet or column no reader takes, or one missing
    VALUE = "value"  # a cell that cannot be read as what its column holds
    REFERENCE = "reference"  # a person or organisation the roster does not hold
    UNUSED = "unused"  # rows no step reads


@final
@attrs.frozen(slots=True)
class Problem:
    """One thing wrong with an input, and where.

    ``line`` and ``column`` are 1-based; either is ``None`` when the input has no such position
    (a file that cannot be read). ``rule_id`` names the list, item or parameter concerned.
    ``hint`` says what to do ("did you mean 'effect'?"). ``kind``, where the reader knows it,
    says what sort of mistake it is (a problem at a cell is a VALUE one otherwise).
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    rule_id: str | None = None
    hint: str | None = None
    kind: ProblemKind | None = None

    def sort(self) -> ProblemKind | None:
        """Its kind, or VALUE for one at a cell of a table (a line and a column)."""
        if self.kind is None and self.line is not None and self.column is not None:
            return ProblemKind.VALUE
        return self.kind

    def location(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        rule = f" [{self.rule_id}]" if self.rule_id else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.location()}:{rule} {self.message}{hint}"


class RefusalKind(enum.Enum):
    """Why something asked of a procedure, or of the service, is refused: what a front end
    switches on (the service's status, the command's words), never the message's text."""

    NOT_VISIBLE = "not_visible"  # the caller may not know it exists (the service: 404)
    ROLE = "role"  # the caller holds no role that may do it here (403)
    STATE = "state"  # the instance is not in a state the step leaves
    AUTOMATIC = "automatic"  # only the sweeper takes it, and only once overdue
    TIME = "time"  # before the state was entered, in the future, or not the caller's to date
    NOT_IN_EFFECT = "not_in_effect"  # the procedure is not in effect on the day
    EVIDENCE = "evidence"  # a document missing, or of a kind the step does not take
    GUARD = "guard"  # a guard did not pass (its verdict says why)
    DEFINITION = "definition"  # no such step, or the instance runs under another definition
    CALENDAR = "calendar"  # an automatic step waits for a year's calendar
    INPUT = "input"  # what was asked cannot be done as given (no reason, an unknown subject)


@final
@attrs.frozen(slots=True)
class Refusal:
    """One reason something is refused: its kind, and the sentence a person reads (from the
    message catalog, in the language of the moment it was refused)."""

    kind: RefusalKind
    message: str

    def __str__(self) -> str:
        return self.message


class GovernanceError(Exception):
    """Root of every error governance_core raises on purpose."""


def _what(kind: str) -> str:
    """The words for what has problems, in the current language."""
    words = {
        "input": _("input"),
        "policy": _("policy"),
        "expression": _("expression"),
        "roster": _("roster"),
        "scoring inputs": _("scoring inputs"),
        "points ledger": _("points ledger"),
        "configuration": _("configuration"),
        "plugins": _("plugins"),
        "case file": _("case file"),
    }
    return words.get(kind, kind)


class ProblemsError(GovernanceError):
    """An input has one or more problems; ``problems`` lists them all, in file order."""

    what = "input"

    def __init__(self, problems: Iterable[Problem]) -> None:
        # two readers of one book (the roster's, the inputs') may find the same problem: once
        self.problems: tuple[Problem, ...] = tuple(
            sorted(
                dict.fromkeys(problems),
                key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.message),
            )
        )
        if not self.problems:
            raise ValueError(f"{type(self).__name__} needs at least one problem")
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        lines = [_("{count} problem(s) in {what}:").format(count=count, what=_what(self.what))]
        sorts = [p.sort() for p in self.problems]
        if len(set(sorts)) < 2:
            lines.extend(f"  {p}" for p in self.problems)
            return "\n".join(lines)
        for kind in [*ProblemKind, None]:  # kind by kind, each in file order
            found = [p for p, sort in zip(self.problems, sorts, strict=True) if sort is kind]
            if found:
                said = _("{kind} ({count}):").format(kind=_kind_words(kind), count=len(found))
                lines.append(f"  {said}")
                lines.extend(f"    {p}" for p in found)
        return "\n".join(lines)


def _kind_words(kind: ProblemKind | None) -> str:
    words = {
        ProblemKind.LAYOUT: _("sheets and columns"),
        ProblemKind.VALUE: _("cells"),
        ProblemKind.REFERENCE: _("people and places the roster does not hold"),
        ProblemKind.UNUSED: _("rows no step reads"),
    }
    return words[kind] if kind is not None else _("other problems")


class PolicyError(ProblemsError):
    """A policy file (criteria lists, dated parameters) could not be loaded."""

    what = "policy"


class ExpressionError(ProblemsError):
    """An expression failed to parse, validate or type-check."""

    what = "expression"


class RosterError(ProblemsError):
    """A roster or record file could not be loaded."""

    what = "roster"


class ScoringError(ProblemsError):
    """Inputs of a rubric, a vote or a ranking are missing or invalid; each problem names the
    person (in ``file``) and the rule."""

    what = "scoring inputs"


class LedgerError(ProblemsError):
    """A points-ledger operation was refused, or a ledger file has problems; nothing of the
    refused operation was recorded. ``field`` names the field of the claim or redemption
    at fault, when one is ("points", "member_review.by"), so a file reader can locate it."""

    what = "points ledger"

    def __init__(self, problems: Iterable[Problem], *, field: str = "") -> None:
        super().__init__(problems)
        self.field = field


class ConfigError(ProblemsError):
    """The configuration (``governance.toml`` or ``[tool.governance]``) is invalid."""

    what = "configuration"


class PluginError(ProblemsError):
    """A named plugin could not be used: not installed, wrong version, failed to import,
    raised inside a hook, or supplied invalid or conflicting records.

    Plugins fail closed: nothing is evaluated with a plugin that was named but not used, since
    a silently skipped disqualification list is a wrong decision. Every problem names the
    plugin and its version (in ``file``, as ``plugin NAME VERSION``).
    """

    what = "plugins"


class ParameterError(GovernanceError):
    """Strict mode: a parameter an expression needs has no value in effect at the date."""

    def __init__(self, parameter: str, as_of: object, rule_id: str | None = None) -> None:
        self.parameter = parameter
        self.as_of = as_of
        self.rule_id = rule_id
        where = _(" (needed by {rule_id})").format(rule_id=rule_id) if rule_id else ""
        super().__init__(
            _(
                "parameter {parameter!r} has no value in effect on {as_of}{where}; give it a "
                "value for that date in a policy file or overlay, or evaluate in lenient mode "
                "to get 'unknown' instead"
            ).format(parameter=parameter, as_of=as_of, where=where)
        )


class EvaluationError(GovernanceError):
    """An expression failed on a particular record; names the rule and the person."""

    def __init__(self, rule_id: str, subject: str, reason: str) -> None:
        self.rule_id = rule_id
        self.subject = subject
        self.reason = reason
        super().__init__(
            _("[{rule_id}] evaluating for {subject}: {reason}").format(
                rule_id=rule_id, subject=subject, reason=reason
            )
        )


class UnknownPolicyError(GovernanceError, LookupError):
    """A list or parameter id that no loaded policy defines."""

    def __init__(self, kind: str, wanted: str, hint: str | None = None) -> None:
        self.kind = kind
        self.wanted = wanted
        said = _("no {kind} {wanted!r} is loaded").format(kind=kind, wanted=wanted)
        super().__init__(f"{said}; {hint}" if hint else said)


class TokenError(GovernanceError):
    """A service token cannot be issued or changed as asked (an expiry already past, no such
    token in use)."""


class WorkflowError(GovernanceError):
    """A step of a procedure cannot be taken or recorded."""


class StepRefusedError(WorkflowError):
    """A fire was refused; nothing was recorded. ``refusals`` say why, each of a kind with a
    sentence naming the rule (the role required, the state, the evidence missing, the guard
    that failed); ``verdicts`` are the guards' explained verdicts (GuardVerdict records)."""

    def __init__(
        self,
        instance: str,
        step: str,
        refusals: Iterable[Refusal],
        verdicts: Iterable[object] = (),
    ) -> None:
        self.instance = instance
        self.step = step
        self.refusals: tuple[Refusal, ...] = tuple(refusals)
        self.verdicts: tuple[object, ...] = tuple(verdicts)
        listed = "".join(f"\n  - {r.message}" for r in self.refusals)
        super().__init__(
            _("step {step!r} of {instance} refused:").format(step=step, instance=instance) + listed
        )

    @property
    def reasons(self) -> tuple[str, ...]:
        """Each refusal's sentence."""
        return tuple(r.message for r in self.refusals)

    def kinds(self) -> frozenset[RefusalKind]:
        return frozenset(r.kind for r in self.refusals)


class RequestReusedError(WorkflowError):
    """An idempotency key (request id) already recorded for another request: the same key with
    another body, route or actor is a new request under an old name, and nothing is done."""

    def __init__(self, request_id: str, first: str) -> None:
        self.request_id = request_id
        self.first = first
        super().__init__(
            _(
                "the request id was first used for {first}; use a new one for another request"
            ).format(first=first)
        )


class VersionConflictError(WorkflowError):
    """Compare-and-swap failed: the instance is no longer at the version the caller read.
    Nothing was written; read the instance again and decide again."""

    def __init__(self, instance: str, expected: int, actual: int) -> None:
        self.instance = instance
        self.expected = expected
        self.actual = actual
        super().__init__(
            _(
                "{instance} is at version {actual}, not {expected}: someone else changed it; "
                "read it again before taking a step"
            ).format(instance=instance, actual=actual, expected=expected)
        )


class UnknownInstanceError(WorkflowError, LookupError):
    """No process instance of this id is stored."""

    def __init__(self, instance: str) -> None:
        self.instance = instance
        super().__init__(
            _("no procedure instance {instance!r} is stored").format(instance=instance)
        )


class CalendarError(WorkflowError):
    """A count of working days longer than the library counts (a hostile or mistyped
    parameter): a year not yet published is never an error, it is counted provisionally."""

    @classmethod
    def too_many(cls, count: int, limit: int) -> CalendarError:
        return cls(
            _("{count} working days is more than one deadline may count (at most {limit})").format(
                count=count, limit=limit
            )
        )
