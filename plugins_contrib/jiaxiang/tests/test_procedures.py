"""嘉祥's help project (either acceptance first, both needed) and the points claim, walked end
to end with every forbidden move tried."""

from __future__ import annotations

from datetime import datetime

import pytest

from governance_core import Engine
from governance_core.runtime.walk import Move, walk


def at(day: str) -> datetime:
    return datetime.fromisoformat(day + "T09:00")


BEFORE = [
    Move("apply", "village", at("2024-03-01")),
    Move("town_check", "town", at("2024-03-05")),
    Move("county_approve", "county", at("2024-03-10")),
    Move("file_with_city", "county", at("2024-03-12"), {"filing": "B-1"}),
    Move("establish", "county", at("2024-03-15")),
    Move("implement", "village", at("2024-06-30"), {"contract": "C-1"}),
]


@pytest.mark.parametrize(
    "acceptances",
    [
        [("town_accepts_first", "town"), ("county_accepts", "county")],
        [("county_accepts_first", "county"), ("town_accepts", "town")],
    ],
)
def test_the_help_project_in_either_order_of_acceptance(acceptances: list[tuple[str, str]]) -> None:
    runtime = Engine.load(plugins=["jiaxiang"]).runtime()
    path = [
        *BEFORE,
        *(Move(step, role, at("2024-07-10")) for step, role in acceptances),
        Move("confirm_rights", "county", at("2024-08-01"), {"registration": "R-1"}),
    ]
    instance, refused = walk(
        runtime, "jiaxiang.help_project", "后村：光伏", path, start=at("2024-02-20")
    )
    assert instance.state == "rights_confirmed" and refused > 100


@pytest.mark.parametrize(
    ("path", "end"),
    [
        (["member_approves", "committee_approves"], "approved"),
        (["member_approves", "committee_refuses"], "refused"),
        (["member_refuses"], "refused"),
    ],
)
def test_the_points_claim(path: list[str], end: str) -> None:
    runtime = Engine.load(plugins=["jiaxiang"]).runtime()
    roles = {"member": "linked_member", "committee": "evaluation_committee"}
    moves = [Move(step, roles[step.split("_")[0]], at("2024-04-02")) for step in path]
    instance, _ = walk(runtime, "jiaxiang.points_claim", "claim-7", moves, start=at("2024-04-01"))
    assert instance.state == end
