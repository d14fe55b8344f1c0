"""A province of example districts (jobs/province.py): results identical to those before the
speed work of issue [scale] — the differential test at 4× — and the same with worker
processes as in one.

tests/fixtures/province-4x.json holds, per district, the digest of every verdict, grade and
place decided (the same digests came from the code before that work, commit 917b29e) and the
chain's head over every record written, byte for byte. Regenerate it only for a change that
is meant to change results, and say so in the change."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from governance_core.jobs.province import province_seeds, run_example_province
from governance_core.plugins import example_settings_file
from governance_core.present.workbook import write_workbook
from governance_core.rules.cycles import Period
from tests.support import TESTS

pytestmark = pytest.mark.districts  # every test here reads a contrib plugin

EXPECTED = orjson.loads((TESTS / "fixtures" / "province-4x.json").read_bytes())
PERIOD = Period.parse(EXPECTED["period"])


def test_four_districts_decide_and_record_what_they_did_before(tmp_path: Path) -> None:
    results = run_example_province(
        example_settings_file(), PERIOD, province_seeds(4), tmp_path, write_book=write_workbook
    )
    found = [
        {"seed": r.seed, "records": r.records, "decisions": r.decisions, "head": r.head}
        for r in results
    ]
    assert found == EXPECTED["districts"]
    # each district keeps its own store and workbook
    assert sorted(p.name for p in tmp_path.glob("district-*.xlsx")) == [
        f"district-{seed}.xlsx" for seed in province_seeds(4)
    ]


def test_worker_processes_give_the_same_results(tmp_path: Path) -> None:
    seeds = province_seeds(2)
    (one := tmp_path / "one").mkdir()
    (two := tmp_path / "two").mkdir()
    alone = run_example_province(example_settings_file(), PERIOD, seeds, one)
    side_by_side = run_example_province(example_settings_file(), PERIOD, seeds, two, jobs=2)
    assert [(r.seed, r.head, r.decisions) for r in side_by_side] == [
        (r.seed, r.head, r.decisions) for r in alone
    ]
