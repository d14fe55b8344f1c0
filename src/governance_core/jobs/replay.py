"""Deciding a recorded run again (``governance replay``, docs/district-year.md): with the
policy set that decided it — refused, with what differs named, when the one loaded is not the
same — and the same inputs, the period is run again into a scratch store and each decision of
the run compared with the one recorded, byte for byte (its canonical JSON). An appeal (申诉)
can so be decided again offline, and a changed rule or input shows."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, final

import attrs
import orjson

from governance_core.engine import Engine
from governance_core.errors import GovernanceError
from governance_core.jobs.cycle_run import StepInputs, run_period
from governance_core.loading.manifest import Manifest, differences
from governance_core.messages import Language, _, in_language
from governance_core.rules.cycles import Period
from governance_core.runtime.replay import replay
from governance_core.storage import RecordedScoreSheet, RecordedVerdict, SqlStore

__all__ = [
    "InstanceReplayed",
    "PolicySetChange",
    "ReplayError",
    "Replayed",
    "policy_set_change",
    "replay_instance",
    "replay_run",
]


class ReplayError(GovernanceError):
    """A run that cannot be decided again here: not recorded, recorded before decisions named
    their policy set, or decided under a policy set other than the one loaded."""


@final
@attrs.frozen(slots=True)
class Replayed:
    """A run decided again: how many decisions it recorded, how many came out the same, and
    the keys of those that differ, were not decided again, or are new."""

    run: str
    policy_set: str
    compared: int
    same: int
    differing: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    new: tuple[str, ...] = ()

    @property
    def identical(self) -> bool:
        return not (self.differing or self.missing or self.new)


@final
@attrs.frozen(slots=True)
class PolicySetChange:
    """The policy set a recorded run was decided under, the one loaded, and what differs
    between them in words (nothing when they are the same)."""

    recorded: tuple[str, ...]
    loaded: str
    differences: tuple[str, ...] = ()


def policy_set_change(engine: Engine, store: SqlStore, run: str) -> PolicySetChange:
    """How the policy set loaded differs from the one(s) ``run``'s decisions name."""
    digests = sorted(
        {str(r.body.get("policy_set")) for r in _recorded(store, run) if r.body.get("policy_set")}
    )
    loaded = engine.policies.manifest
    return PolicySetChange(tuple(digests), loaded.digest, _differing(store, digests, loaded))


def _differing(store: SqlStore, digests: Iterable[str], loaded: Manifest) -> tuple[str, ...]:
    """What differs, in words, between the policy sets of ``digests`` and the one loaded."""
    said: list[str] = []
    for digest in digests:
        if digest == loaded.digest:
            continue
        manifest = store.policy_set(digest)
        found = differences(manifest, loaded) if manifest else [_("its manifest is not recorded")]
        said += found or [_("the same sources, loaded in another order")]
    return tuple(said)


def _keyed(records: Iterable[RecordedVerdict | RecordedScoreSheet]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for r in records:
        what = r.list_id if isinstance(r, RecordedVerdict) else r.policy_id
        key = f"{what}/{r.person_id}/{r.as_of.isoformat()}"
        found[key] = orjson.dumps(r.body, option=orjson.OPT_SORT_KEYS)
    return found


def _recorded(store: SqlStore, run: str) -> list[Any]:
    return [
        *store.decisions.recorded_verdicts(run=run),
        *store.decisions.recorded_score_sheets(run=run),
    ]


def replay_run(
    engine: Engine, store: SqlStore, run: str, period: Period, inputs: StepInputs
) -> Replayed:
    """Decide ``run`` (a step's occurrence, as ``governance runs list`` names it) again over
    ``period`` and ``inputs`` with ``engine``'s policy set, which must be the one recorded;
    ReplayError otherwise. Writes nothing to ``store``."""
    recorded = _recorded(store, run)
    if not recorded:
        raise ReplayError(_("no run {run!r} is recorded").format(run=run))
    digests = {r.body.get("policy_set") for r in recorded}  # and the language of their words
    if None in digests:
        raise ReplayError(
            _(
                "{run} was recorded before decisions named their policy set: it cannot be checked"
            ).format(run=run)
        )
    change = policy_set_change(engine, store, run)
    if change.differences:
        raise ReplayError(
            _(
                "{run} was decided under policy set {recorded}, not the one loaded ({loaded}): "
                "{what}"
            ).format(
                run=run,
                recorded=", ".join(d[:12] for d in change.recorded),
                loaded=change.loaded[:12],
                what="；".join(change.differences),
            )
        )
    languages = {r.body.get("language") for r in recorded}
    lang: Language = "zh" if languages == {"zh"} else "en"
    with tempfile.TemporaryDirectory() as folder, in_language(lang):
        scratch = SqlStore(f"sqlite:///{Path(folder) / 'replay.db'}", synchronous="NORMAL")
        run_period(engine, period, inputs, scratch)
        again = _keyed(_recorded(scratch, run))
        scratch.engine.dispose()
    before = _keyed(recorded)
    same = sum(1 for k, body in before.items() if again.get(k) == body)
    return Replayed(
        run,
        change.loaded,
        len(before),
        same,
        tuple(sorted(k for k in before.keys() & again.keys() if before[k] != again[k])),
        tuple(sorted(before.keys() - again.keys())),
        tuple(sorted(again.keys() - before.keys())),
    )


@final
@attrs.frozen(slots=True)
class InstanceReplayed:
    """An instance's history replayed under the definition it is pinned to: the state,
    version and entry day it leads to, whether they are the ones stored, and how the policy
    sets its steps name differ from the one loaded (nothing when they are the same)."""

    instance: str
    events: int
    state: str
    version: int
    same: bool
    policy_sets: tuple[str, ...]
    differences: tuple[str, ...] = ()

    @property
    def identical(self) -> bool:
        return self.same and not self.differences


def replay_instance(engine: Engine, store: SqlStore, instance_id: str) -> InstanceReplayed:
    """Replay an instance's steps under its pinned definition and compare what they lead to
    with what is stored; name what differs between the policy sets its steps were taken
    under and the one loaded. WorkflowError when a step is not one the definition allows."""
    instance = store.load(instance_id)
    events = store.events(instance_id)
    state, version, entered = replay(store.definition(instance.definition_hash), events)
    same = (state, version, entered) == (instance.state, instance.version, instance.entered_on)
    digests = sorted({e.policy_set for e in events if e.policy_set is not None})
    said = _differing(store, digests, engine.policies.manifest)
    return InstanceReplayed(instance_id, len(events), state, version, same, tuple(digests), said)
