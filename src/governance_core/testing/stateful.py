"""A hypothesis state machine over any procedure: random starts, and random fires of random
steps by random actors with random evidence on random days, against a SQL store.

After every rule it checks that

- a refused fire left the instance and its history as they were;
- an accepted fire was allowed: the instance was in one of the step's sources, the actor held
  one of its roles (or was the sweeper, for an automatic step that was overdue), every kind
  of evidence the step asks for was named, and every guard allowed it;
- an instance in a terminal state got there by the definition's own steps, each so allowed;
- the audit chain verifies, and replaying each instance's events against its pinned
  definition reproduces its state, version and day of entry.

Use it from a test module::

    from governance_core.testing.stateful import procedure_machine

    TestDismissal = procedure_machine(
        Engine.load(plugins=["shizhong"]).policies, "shizhong.exit_dismissal"
    ).TestCase
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import ClassVar, TypeVar

import attrs
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from governance_core.errors import RefusalKind, StepRefusedError
from governance_core.expressions import MissingFact
from governance_core.loading.mentions import Mentions, add_mentions
from governance_core.loading.policy_set import PolicySet
from governance_core.model import Dossier
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.procedures import Expect, Step
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.runtime import SWEEPER, Actor, Event, Runtime
from governance_core.runtime.replay import replay
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from governance_core.testing.derived import dossiers_from, dossiers_meeting
from governance_core.testing.strategies import AS_OF

__all__ = ["ProcedureMachine", "procedure_machine"]

T = TypeVar("T")


@functools.cache
def _template() -> Path:
    """A migrated, empty SQLite store, made once per process."""
    template = Path(tempfile.mkdtemp(prefix="governance-template-")) / "store.db"
    SqlStore(f"sqlite:///{template}").engine.dispose()
    return template


def _empty_database(folder: Path) -> str:
    """A migrated, empty SQLite store in ``folder``, copied from the template: running the
    migrations for every example would dominate the run."""
    target = folder / "store.db"
    shutil.copy(_template(), target)
    return f"sqlite:///{target}"


def _guard_mentions(policies: PolicySet, process_id: str, as_of: date) -> Mentions:
    """What the procedure's guards mention, so that drawn dossiers often pass or fail them."""
    definition = policies.of(PROCEDURES)[process_id]
    values = policies.values_on(as_of)
    found = Mentions()
    for step in definition.steps:
        for guard in step.guards:
            for text in (guard.expression, guard.when):
                if text:
                    add_mentions(found, text, values)
            if guard.list is not None:
                for item in policies.of(CRITERIA).find(guard.list).criteria.items:
                    add_mentions(found, item.expression, values)
    return found


def _mostly(usual: st.SearchStrategy[T], other: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``usual`` four times in five: fires that should pass, so that walks go deep; the rest
    try something that must be refused (and shrink towards it)."""
    return st.integers(0, 4).flatmap(lambda n: usual if n else other)


class ProcedureMachine(RuleBasedStateMachine):
    """What :func:`procedure_machine` returns: a state machine over one procedure."""

    steps_taken: ClassVar[set[str]]
    """Every step some run took, across the runs of this class: what the exploration reached."""


def procedure_machine(
    policies: PolicySet, process_id: str, *, as_of: date = AS_OF, max_days: int = 60
) -> type[ProcedureMachine]:
    """A state machine exploring ``process_id``; its ``TestCase`` runs under pytest."""
    definition = policies.of(PROCEDURES)[process_id]
    roles = sorted(r.id for r in definition.roles)
    steps = {s.id: s for s in definition.steps}
    terminal = {s.id for s in definition.states if s.terminal}
    mentioned = _guard_mentions(policies, process_id, as_of)
    subject_dossiers = dossiers_from(mentioned, as_of)
    wanted = sorted(
        {g.list for s in definition.steps for g in s.guards if g.list and g.expect is Expect.HIT}
    )
    if wanted:  # often a subject who meets every list a step asks for, so walks get past it
        subject_dossiers = _mostly(
            dossiers_meeting(policies, wanted, as_of=as_of), subject_dossiers
        )
    start_at = datetime.combine(as_of, time(9))
    taken: set[str] = set()

    class Machine(ProcedureMachine):
        instances = Bundle("instances")
        steps_taken = taken

        def __init__(self) -> None:
            super().__init__()
            self._folder = Path(tempfile.mkdtemp(prefix="governance-stateful-"))
            self.store = SqlStore(_empty_database(self._folder))
            self.subjects: dict[str, Dossier] = {}
            self.runtime = Runtime(policies, self.store, facts=self._facts)
            self.count = 0

        def teardown(self) -> None:
            self.store.engine.dispose()
            shutil.rmtree(self._folder, ignore_errors=True)

        def _facts(self, subject: str, day: date) -> Dossier | None:
            found = self.subjects.get(subject)
            return None if found is None else attrs.evolve(found, as_of=day)

        @precondition(lambda self: self.count < 3)  # a few instances, walked far
        @rule(target=instances, dossier=subject_dossiers)
        def start(self, dossier: Dossier) -> str:
            self.count += 1
            subject = f"s{self.count}"
            self.subjects[subject] = attrs.evolve(
                dossier, person=attrs.evolve(dossier.person, id=subject)
            )
            instance = self.runtime.start(process_id, subject, Actor("starter"), start_at)
            return instance.id

        @rule(instance_id=instances, data=st.data())
        def fire(self, instance_id: str, data: st.DataObject) -> None:
            """Mostly a step that leaves the current state, taken by a holder of its roles
            with its evidence; often anything else, which must be refused."""
            current = self.store.load(instance_id).state
            leaving = sorted(s.id for s in steps.values() if current in s.sources)
            anything = st.sampled_from(sorted(steps))
            step = data.draw(_mostly(st.sampled_from(leaving), anything) if leaving else anything)
            own = steps[step]
            some_roles = st.frozensets(st.sampled_from(roles)) if roles else st.just(frozenset())
            held = data.draw(_mostly(st.just(frozenset(own.roles[:1])), some_roles))
            automatic = own.due is not None and own.due.automatic
            sweeper = data.draw(_mostly(st.just(automatic), st.just(not automatic)))
            kinds = sorted(e.id for e in own.evidence)
            some_kinds = st.frozensets(st.sampled_from(kinds)) if kinds else st.just(frozenset())
            evidence = data.draw(_mostly(st.just(frozenset(kinds)), some_kinds))
            days = data.draw(st.integers(0, max_days))
            before = self.store.load(instance_id)
            was = (before.state, before.version)  # fire moves ``before`` in place
            history = self.store.events(instance_id)
            actor = SWEEPER if sweeper else Actor("actor", held)
            at = datetime.combine(before.entered_on + timedelta(days=days), time(10))
            documents = {kind: f"{kind}-doc" for kind in evidence}
            try:
                result = self.runtime.fire(before, step, actor, at, evidence=documents)
            except StepRefusedError as refused:
                refused_as = refused.kinds()
                after = self.store.load(instance_id)
                assert (after.state, after.version) == was, (
                    f"a refused {step} changed {instance_id}"
                )
                assert self.store.events(instance_id) == history
                # the refusal says why by kind, and the kinds are those the fire called for
                predicted = _predicted(own, was[0], actor, sweeper, evidence)
                assert refused_as and predicted <= refused_as, (
                    f"{step} refused as {sorted(k.value for k in refused_as)}; "
                    f"expected at least {sorted(k.value for k in predicted)}"
                )
                return
            except MissingFact:
                return  # a parameter without a value: reported by the engine, not a bug here
            _check_allowed(result.event, was[0], actor, sweeper)
            event(f"took {step}")  # shown by pytest --hypothesis-show-statistics
            taken.add(step)

        @invariant()
        def the_chain_verifies_and_replays(self) -> None:
            report = verify(self.store)
            assert report.ok, f"the audit chain breaks at {report.broken_at}: {report.reason}"
            for instance in self.store.instances():
                events = self.store.events(instance.id)
                replayed = replay(definition, events)
                stored = (instance.state, instance.version, instance.entered_on)
                assert replayed == stored, f"{instance.id}: stored {stored}, replayed {replayed}"
                if instance.state in terminal:
                    for e in events[1:]:
                        _check_recorded(e)

    def _predicted(
        step: Step, state: str, actor: Actor, sweeper: bool, evidence: frozenset[str]
    ) -> set[RefusalKind]:
        """The kinds of refusal a fire must carry, from what it was drawn with alone."""
        kinds = set()
        if state not in step.sources:
            kinds.add(RefusalKind.STATE)
        automatic = step.due is not None and step.due.automatic
        if automatic and not sweeper:
            kinds.add(RefusalKind.AUTOMATIC)
        if not automatic and actor.roles.isdisjoint(step.roles):
            kinds.add(RefusalKind.ROLE)
        if not automatic and {e.id for e in step.evidence} - evidence:
            kinds.add(RefusalKind.EVIDENCE)
        return kinds

    def _check_allowed(e: Event, source: str, actor: Actor, sweeper: bool) -> None:
        step = steps[e.step]
        assert source in step.sources and e.source == source, f"{e.step} was taken from {source}"
        if step.due is not None and step.due.automatic:
            assert sweeper, f"automatic {e.step} was taken by {actor.id}"
        else:
            assert not sweeper and actor.roles & set(step.roles), (
                f"{e.step} was taken by {actor.id} holding {sorted(actor.roles)}; "
                f"it needs one of {list(step.roles)}"
            )
        _check_recorded(e)

    def _check_recorded(e: Event) -> None:
        if e.step not in steps:  # start, migrate
            return
        step = steps[e.step]
        named = {kind for kind, _ in e.evidence}
        missing = [k.id for k in step.evidence if k.id not in named]
        assert not missing, f"{e.instance} {e.step} was taken without evidence {missing}"
        refused = [v.guard for v in e.verdicts if not v.allows]
        assert not refused, f"{e.instance} {e.step} was taken though guards {refused} refuse"
        assert len(e.verdicts) == len(step.guards), (
            f"{e.instance} {e.step} records {len(e.verdicts)} guard verdicts of "
            f"{len(step.guards)} guards"
        )

    Machine.__name__ = Machine.__qualname__ = "Procedure_" + process_id.replace(".", "_")
    return Machine
