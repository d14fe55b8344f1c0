"""Deciding a recorded run again (jobs/replay.py, `governance replay`): under its own policy
set and inputs every decision comes out byte for byte the same (a property test over example
districts and runs); another policy set is refused with what differs named; other inputs show
the decisions that differ."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.example_district import example_district
from governance_core.jobs.main_job import finding_kinds
from governance_core.jobs.replay import ReplayError, replay_instance, replay_run
from governance_core.plugins import example_settings_file, read_settings
from governance_core.rules.cycles import Period
from governance_core.storage import SqlStore
from tests.rules.test_calendar import EXAMPLE_2027

pytestmark = pytest.mark.districts  # the example district's plugins decide

PERIOD = Period.parse("2024Q4")


def _engine(*overlays: Path) -> Engine:
    return Engine.load(read_settings(example_settings_file()), overlays=list(overlays))


def _district(engine: Engine, seed: int) -> object:
    return example_district(
        seed=seed, as_of=PERIOD.end, finding_kinds=finding_kinds(engine, PERIOD.end)
    )


def _recorded(folder: Path, seed: int) -> tuple[Engine, SqlStore]:
    engine = _engine()
    store = SqlStore(f"sqlite:///{folder / 'governance.db'}")
    run_period(engine, PERIOD, _district(engine, seed), store)  # type: ignore[arg-type]
    return engine, store


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.sampled_from([2024, 7, 31]), pick=st.integers(0, 10))
def test_a_run_decided_again_under_its_own_policy_set_is_byte_for_byte_the_same(
    tmp_path_factory: pytest.TempPathFactory, seed: int, pick: int
) -> None:
    engine, store = _recorded(tmp_path_factory.mktemp("r"), seed)
    runs = [r.run for r in store.decisions.runs()]
    run = runs[pick % len(runs)]
    found = replay_run(engine, store, run, PERIOD, _district(engine, seed))  # type: ignore[arg-type]
    assert found.identical and found.same == found.compared > 0


def test_another_policy_set_is_refused_with_what_differs(tmp_path: Path) -> None:
    store = _recorded(tmp_path, 2024)[1]
    (tmp_path / "calendar.yaml").write_text(EXAMPLE_2027, encoding="utf-8")
    changed = _engine(tmp_path / "calendar.yaml")
    run = "shizhong.cycle/quarterly_awards_bar/2024Q4"
    with pytest.raises(ReplayError) as caught:
        replay_run(changed, store, run, PERIOD, _district(changed, 2024))  # type: ignore[arg-type]
    assert "not the one loaded" in str(caught.value) and "calendar.yaml" in str(caught.value)


def test_other_inputs_show_the_decisions_that_differ(tmp_path: Path) -> None:
    engine, store = _recorded(tmp_path, 2024)
    run = "shizhong.cycle/quarterly_awards_bar/2024Q4"
    found = replay_run(engine, store, run, PERIOD, _district(engine, 7))  # type: ignore[arg-type]
    assert not found.identical and (found.differing or found.missing or found.new)
    with pytest.raises(ReplayError, match="no run 'nothing/2024Q4'"):
        replay_run(engine, store, "nothing/2024Q4", PERIOD, _district(engine, 7))  # type: ignore[arg-type]


def test_the_command(tmp_path: Path) -> None:
    _recorded(tmp_path, 2024)
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    run = "jiaozhou.cycle/annual_assessment/2024"
    same = CliRunner().invoke(app, ["replay", run, "--database", url])
    assert same.exit_code == 0 and "每一条都相同" in same.output
    other = CliRunner().invoke(app, ["replay", run, "--database", url, "--seed", "7"])
    assert other.exit_code == 1 and "相同" in other.output


def test_diff_against_a_run_names_its_policy_set(tmp_path: Path) -> None:
    _recorded(tmp_path, 2024)
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    run = "shizhong.cycle/exit_dismissal/2024Q4"
    roster = str(Engine.example_roster())
    config = str(example_settings_file())
    args = ["diff", "--roster", roster, "--as-of", "2024-12-31", "--run", run]
    args += ["--database", url, "--config", config, "-f", "json"]
    same = CliRunner().invoke(app, args)
    assert same.exit_code == 0, same.output
    change = orjson.loads(same.stdout)["policy_set"]
    assert change["differences"] == [] and change["recorded"] == [change["loaded"]]
    (tmp_path / "calendar.yaml").write_text(EXAMPLE_2027, encoding="utf-8")
    other = CliRunner().invoke(app, [*args, "--overlay", str(tmp_path / "calendar.yaml")])
    assert other.exit_code == 0, other.output
    assert any(
        "calendar.yaml" in d for d in orjson.loads(other.stdout)["policy_set"]["differences"]
    )


def test_an_instance_replays_and_names_the_policy_set_of_its_steps(tmp_path: Path) -> None:
    engine, store = _recorded(tmp_path, 2024)
    (instance, *_others) = list(store.instances())
    events = store.events(instance.id)
    assert {e.policy_set for e in events} == {engine.policies.manifest.digest}
    found = replay_instance(engine, store, instance.id)
    assert found.identical and found.state == instance.state and found.events == len(events)
    (tmp_path / "calendar.yaml").write_text(EXAMPLE_2027, encoding="utf-8")
    changed = replay_instance(_engine(tmp_path / "calendar.yaml"), store, instance.id)
    assert found.same and not changed.identical
    assert any("calendar.yaml" in d for d in changed.differences)
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    said = CliRunner().invoke(app, ["replay", instance.id, "--database", url])
    assert said.exit_code == 0 and instance.state in said.output
    with store.engine.begin() as c:  # an edited manifest no longer hashes to its digest
        c.exec_driver_sql("UPDATE policy_set_manifests SET body = json_set(body, '$.library', 'x')")
    assert store.policy_set(engine.policies.manifest.digest) is None
