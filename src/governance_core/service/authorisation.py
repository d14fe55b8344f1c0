"""Who may read and do what through the service: one policy for every route (and every page of
the workbench), decided here and nowhere else (docs/security.md, "What a token may read").

A token's actor holds grants: a role in an organisation (``town_committee@t01``: there and in
every organisation below it) or everywhere (``district``). Where a subject belongs is its
post's organisation and every one above it, on the service's own date.

- **An instance** (its history, what may be done on it, its deadlines) is read by whoever holds
  one of its procedure's roles, or ``auditor``, where its subject belongs. For anyone else it
  does not exist: the answer is 404, the same as for an id nobody used.
- **Starting** an instance needs one of the procedure's roles where the subject belongs, and,
  for a procedure about a person, a person the service's roster knows. A step's roles are checked by the runtime when it fires.
- **A time other than now** (``at``: a decision taken at yesterday's meeting, entered today)
  may be given by a ``records_clerk`` where the subject belongs, never more than
  :data:`SKEW` ahead of the service's clock; the event records the service's time beside it.
- **Runs** (recorded decisions), **effects**, **incidents** and **the outbox** need
  ``auditor``; each shows only the people and instances where the role is held (an
  incident about no one, a reminder's delivery, to any ``auditor``). **The audit chain** needs ``auditor`` held everywhere
  (it is the whole store's). **The analysis** (``/v1/check``) needs ``auditor`` or
  ``policy_staff``, anywhere.
- **A person's dossier** and the verdicts of the lists on it (the workbench's 核查 page) are
  read by whoever holds any role where the person belongs; for anyone else the person does
  not exist.
- **Migrating** running instances to a new version of their procedure needs
  ``administrator`` held everywhere.
- The policies themselves, and evaluating a roster or assessment the caller sends, need a valid
  token and no role.

Every answer is a :class:`~governance_core.errors.Refusal` or None; the service turns its kind
into a status (:func:`governance_core.service.problems.status_of`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime, timedelta
from typing import final

from governance_core.errors import Refusal, RefusalKind
from governance_core.messages import _
from governance_core.rules.procedures import ProcessDefinition, SubjectKind
from governance_core.runtime import Actor, ProcessInstance
from governance_core.storage.tokens import Grant

__all__ = [
    "ADMINISTRATOR",
    "AUDITOR",
    "POLICY_STAFF",
    "READERS",
    "RECORDS_CLERK",
    "SKEW",
    "Access",
    "Resource",
]

AUDITOR = "auditor"
"""Reads instances, runs and the outbox where held; the audit chain when held everywhere."""
POLICY_STAFF = "policy_staff"
"""Reads the analysis of the loaded policies (``/v1/check``)."""
ADMINISTRATOR = "administrator"
"""Migrates running instances to a new version of their procedure, held everywhere."""
RECORDS_CLERK = "records_clerk"
"""Enters a step or a start at a time other than now, where held."""
SKEW = timedelta(minutes=5)
"""How far ahead of the service's clock a given time may be (clocks of two machines)."""


class Resource(enum.Enum):
    """What the store holds beyond instances, each read by the roles :data:`READERS` names."""

    RUNS = "runs"
    EFFECTS = "effects"
    INCIDENTS = "incidents"
    OUTBOX = "outbox"
    AUDIT = "audit"
    CHECK = "check"


READERS: Mapping[Resource, frozenset[str]] = {
    Resource.RUNS: frozenset({AUDITOR}),
    Resource.EFFECTS: frozenset({AUDITOR}),
    Resource.INCIDENTS: frozenset({AUDITOR}),
    Resource.OUTBOX: frozenset({AUDITOR}),
    Resource.AUDIT: frozenset({AUDITOR}),
    Resource.CHECK: frozenset({AUDITOR, POLICY_STAFF}),
}
_EVERYWHERE = frozenset({Resource.AUDIT})  # the whole store's: a role held somewhere is not enough

Where = Callable[[str, date], Collection[str]]
"""Where a subject belongs on a day: its organisations and those above them."""


@final
class Access:
    """The policy for one caller: its actor and grants, on the service's date ``today``."""

    __slots__ = ("_grants", "_where", "actor", "authenticated", "raw_personal_data", "today")

    def __init__(
        self,
        actor: str,
        grants: Collection[Grant],
        where: Where,
        today: date,
        *,
        authenticated: str | None = None,
        raw_personal_data: bool = False,
    ) -> None:
        self.actor, self.authenticated, self.today = actor, authenticated, today
        self._grants, self._where = tuple(grants), where
        self.raw_personal_data = raw_personal_data  # answers show ID-card and mobile numbers

    def roles_where(self, subject: str) -> frozenset[str]:
        """The roles held everywhere, or where ``subject`` belongs today."""
        places = self._where(subject, self.today)
        return frozenset(
            g.role for g in self._grants if g.organisation is None or g.organisation in places
        )

    def acting(self, subject: str) -> Actor:
        """The caller as the runtime sees it acting on ``subject``: the roles held where it
        belongs today (never on a day the caller names)."""
        return Actor(self.actor, self.roles_where(subject), self.authenticated)

    def read_instance(
        self, instance: ProcessInstance, definition: ProcessDefinition
    ) -> Refusal | None:
        """None when the caller may read ``instance``; otherwise it does not exist for them."""
        roles = {r.id for r in definition.roles} | {AUDITOR}
        if roles & self.roles_where(instance.subject):
            return None
        message = _("no process instance {id!r} is stored").format(id=instance.id)
        return Refusal(RefusalKind.NOT_VISIBLE, message)

    def start(self, definition: ProcessDefinition, subject: str, known: bool) -> Refusal | None:
        """None when the caller may open ``definition`` about ``subject`` (a person the roster
        must know; a matter, project or claim is named by the caller, and is nowhere in the
        organisations, so only roles held everywhere open it)."""
        if definition.subject is SubjectKind.PERSON and not known:
            message = _(
                "{subject!r} is not in the service's roster: an instance is about a person it knows"
            )
            return Refusal(RefusalKind.INPUT, message.format(subject=subject))
        roles = {r.id for r in definition.roles}
        if roles & self.roles_where(subject):
            return None
        message = _(
            "{actor} holds none of the roles of {process} ({roles}) where {subject} belongs"
        )
        text = message.format(
            actor=self.actor, process=definition.id, roles=", ".join(sorted(roles)), subject=subject
        )
        return Refusal(RefusalKind.ROLE, text)

    def read(self, resource: Resource) -> Refusal | None:
        """None when the caller may read ``resource`` (somewhere: see :meth:`sees`)."""
        wanted = READERS[resource]
        held = {
            g.role for g in self._grants if resource not in _EVERYWHERE or g.organisation is None
        }
        if wanted & held:
            return None
        where = _(" held everywhere") if resource in _EVERYWHERE else ""
        message = _("reading {what} needs the role {roles}{where}; {actor} holds {held}")
        text = message.format(
            what=resource.value,
            roles=" / ".join(sorted(wanted)),
            where=where,
            actor=self.actor,
            held=", ".join(sorted(str(g) for g in self._grants)) or _("no role"),
        )
        return Refusal(RefusalKind.ROLE, text)

    def migrate(self) -> Refusal | None:
        """None when the caller may migrate instances: ``administrator`` held everywhere (a
        migration moves instances of every organisation)."""
        if any(g.role == ADMINISTRATOR and g.organisation is None for g in self._grants):
            return None
        message = _(
            "migrating instances needs the role {role} held everywhere; {actor} holds {held}"
        )
        text = message.format(
            role=ADMINISTRATOR,
            actor=self.actor,
            held=", ".join(sorted(str(g) for g in self._grants)) or _("no role"),
        )
        return Refusal(RefusalKind.ROLE, text)

    def read_person(self, person: str) -> Refusal | None:
        """None when the caller may read ``person``'s dossier: it holds a role where the
        person belongs today; otherwise the person does not exist for it."""
        if self.roles_where(person):
            return None
        message = _("no person {id!r} is in the service's roster").format(id=person)
        return Refusal(RefusalKind.NOT_VISIBLE, message)

    def sees(self, resource: Resource, subject: str) -> bool:
        """Whether the caller reads ``resource``'s records about ``subject``."""
        return bool(READERS[resource] & self.roles_where(subject))

    def dated(
        self, subject: str, at: datetime | None, now: datetime
    ) -> tuple[datetime, Refusal | None]:
        """The time an event is recorded at: now, or the caller's ``at`` when its role may
        give one and it is not ahead of now (an offset is turned into the service's time)."""
        if at is None:
            return now, None
        if at.tzinfo is not None:
            at = at.astimezone(now.tzinfo).replace(tzinfo=now.tzinfo)
        if RECORDS_CLERK not in self.roles_where(subject):
            message = _(
                "only a {role} where {subject} belongs gives a time: leave `at` out and the service dates it now"
            )
            return now, Refusal(
                RefusalKind.ROLE, message.format(role=RECORDS_CLERK, subject=subject)
            )
        if at > now + SKEW:
            message = _("{at} is ahead of the service's time ({now})")
            text = message.format(
                at=at.isoformat(timespec="minutes"), now=now.isoformat(timespec="minutes")
            )
            return now, Refusal(RefusalKind.TIME, text)
        return at, None
