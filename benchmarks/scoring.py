"""Benchmark: score and grade 100,000 first secretaries in 16 groups under 胶州's rules.

Prints, in one run on the same data: the time per person of merely structuring the entries
from plain dicts with cattrs (the floor: what reading the input costs anyway), of building
them with plain constructors (the floor under cattrs), and of structuring plus the whole
assessment (35-rule score sheet, satisfaction vote, score × satisfaction, grades with quotas
and vetoes per group), the three interleaved in each repeat. Target: the whole assessment
within 5x the floor.
Needs the jiaozhou plugin (installed by ./scripts/test).
Run: python benchmarks/scoring.py [--people N]
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import date
from typing import Any

from governance_core import Engine
from governance_core.model import converter
from governance_core.rules.scoring import Ballots, Entry

AS_OF = date(2024, 12, 31)
UNITS = ("镇街", "市直部门")
ATTENDANCE = ("脱产", "非脱产")
RANKS = ("党政正职", "非党政正职领导干部", "正股级", "副股级及以下")


def entry(i: int, rng: random.Random) -> dict[str, Any]:
    """One secretary's inputs as plain data, as an assessment file would hold them."""
    inputs: dict[str, Any] = {
        "team_study_organised": rng.random() > 0.1,
        "team_conflict_deduction": rng.choice([0, 0, 0, 2, 5]),
        "party_training_held": rng.random() > 0.1,
        "study_tours": rng.randrange(3),
        "new_leader_for_lagging_village": rng.random() > 0.95,
        "development_plan": rng.random() > 0.1,
        "annual_work_plan": rng.random() > 0.1,
        "irregular_decisions": rng.choice([0, 0, 0, 1]),
        "democratic_days_missed": rng.randrange(4),
        "membership_review": rng.random() > 0.5,
        "credit_rating_system": rng.random() > 0.5,
        "office_equipment": rng.random() > 0.5,
        "venue_investment_yuan": rng.randrange(0, 100_000, 500),
        "service_agency_point": rng.random() > 0.5,
        "field_research_deduction": rng.choice([0, 0, 1, 4]),
        "research_report_submitted": rng.random() > 0.1,
        "work_meetings_missed": rng.randrange(3),
        "meetings_missed": rng.randrange(3),
        "heart_to_heart_deduction": rng.choice([0, 0, 3]),
        "open_to_interviews_deduction": rng.choice([0, 0, 1]),
        "paired_households_missing": rng.choice([0, 0, 0, 1]),
        "paired_households_visited": rng.random() > 0.1,
        "student_aid": rng.random() > 0.7,
        "jobs_found": rng.randrange(3),
        "poverty_projects": rng.randrange(2),
        "relief_applications": rng.randrange(3),
        "discipline_breaches": rng.choice([0, 0, 0, 0, 1]),
        "serious_discipline_breaches": 0,
        "verified_complaints": rng.choice([0, 0, 0, 1]),
        "serious_verified_complaints": 0,
        "funds_obtained_yuan": rng.randrange(0, 300_000, 1000),
        "policy_funds_yuan": rng.randrange(0, 100_000, 1000),
        "projects_introduced": rng.sample(["一类", "二类", "三类", "四类"], rng.randrange(3)),
        "demonstration_bases": rng.randrange(2),
        "organisation_grade": {"from": rng.choice("ABCD"), "to": rng.choice("ABCD")},
    }
    eligible = rng.randrange(30, 90)
    cast = rng.randrange(eligible * 2 // 3, eligible + 1)
    very = rng.randrange(cast + 1)
    satisfied = rng.randrange(cast - very + 1)
    return {
        "person": f"s{i:06d}",
        "name": f"书记{i}",
        "groups": {
            "unit": rng.choice(UNITS),
            "attendance": rng.choice(ATTENDANCE),
            "rank_class": rng.choice(RANKS),
        },
        "inputs": inputs,
        "ballots": {
            "eligible": eligible,
            "cast": {"很满意": very, "满意": satisfied, "基本满意": cast - very - satisfied},
        },
    }


def timed(run: Any, *, collect: bool) -> float:
    """One run's seconds, after a full collection; with ``collect=False`` the garbage
    collector is paused during it, as timeit does, so that the cost measured is the work
    itself and not when Python's collector happens to walk the (large) heap."""
    gc.collect()
    if not collect:
        gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rng = random.Random(7)
    raw = [entry(i, rng) for i in range(args.people)]
    engine = Engine.load(plugins=["jiaozhou"])

    def structure() -> list[Entry]:
        return converter.structure(raw, list[Entry])

    def construct() -> list[Entry]:
        return [
            Entry(
                r["person"],
                r["name"],
                r["groups"],
                r["inputs"],
                Ballots(r["ballots"]["eligible"], r["ballots"]["cast"]),
            )
            for r in raw
        ]

    def assess() -> Any:
        return engine.assess("jiaozhou.first_secretary_grades", structure(), AS_OF)

    groups = len(assess().groups())
    print(
        f"{args.people:,} first secretaries in {groups} groups (best of {args.repeat}, interleaved)"
    )
    for collect, label in ((False, "collector paused, as timeit"), (True, "collector running")):
        times: dict[str, list[float]] = {"floor": [], "plain": [], "whole": []}
        for _ in range(args.repeat):  # interleaved: a busy machine slows all three alike
            times["floor"].append(timed(structure, collect=collect))
            times["plain"].append(timed(construct, collect=collect))
            times["whole"].append(timed(assess, collect=collect))
        floor, plain, whole = (min(times[k]) for k in ("floor", "plain", "whole"))
        ratio = whole / floor
        print(f"  {label}:")
        print(f"    plain constructors        {plain / args.people * 1e6:8.1f} µs/person")
        print(f"    structuring only (floor)  {floor / args.people * 1e6:8.1f} µs/person")
        print(f"    structure + assess        {whole / args.people * 1e6:8.1f} µs/person")
        print(
            f"    assess / floor = {ratio:.1f}x  (target <= 5x: {'met' if ratio <= 5 else 'NOT met'}); "
            f"assess / plain constructors = {whole / plain:.1f}x"
        )


if __name__ == "__main__":
    main()
