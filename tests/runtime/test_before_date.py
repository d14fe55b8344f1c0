"""A deadline before a date a parameter gives (due: {kind: before_date}): 市中区's first batch
is granted “七一”前. An instance in the state before that date is due the day before it; one
that entered the state on or after it has no such deadline; the wrong forms are located."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from governance_core import Actor, Engine, PolicyError
from governance_core.runtime import DueStatus
from tests.support import CITATION

Write = Callable[..., Path]
TOWN = Actor("镇党委", frozenset({"town"}))

POLICY = f"""\
parameters:
  - id: first_batch_by
    title: {{zh: 首批时限, en: First batch by}}
    kind: date
    citation: {CITATION}
    values: [{{value: 2023-07-01}}]
  - id: five
    title: {{zh: 五天, en: Five}}
    kind: number
    citation: {CITATION}
    values: [{{value: 5}}]
processes:
  - id: test.grant
    title: {{zh: 兑现, en: Grant}}
    citation: {CITATION}
    subject: person
    initial: open
    roles:
      - {{id: town, title: {{zh: 镇党委, en: Town committee}}}}
    states:
      - {{id: open, title: {{zh: 开始, en: Open}}}}
      - {{id: granted, title: {{zh: 兑现, en: Granted}}, terminal: true}}
    steps:
      - id: grant
        title: {{zh: 兑现待遇, en: Grant}}
        sources: [open]
        dest: granted
        roles: [town]
        due: {{kind: before_date, parameter: first_batch_by}}
"""


def test_due_the_day_before_the_date_and_none_for_a_later_batch(write: Write) -> None:
    runtime = Engine.from_files([write(POLICY)]).runtime()
    first = runtime.start("test.grant", "p1", TOWN, datetime(2023, 6, 1, 9))
    (due,) = runtime.due(date(2023, 7, 1))
    assert due.deadline.instance == first.id and due.deadline.last_day == date(2023, 6, 30)
    assert due.status is DueStatus.OVERDUE
    runtime.start("test.grant", "p2", TOWN, datetime(2023, 7, 1, 9))  # on the day: a later batch
    assert [d.deadline.instance for d in runtime.due(date(2023, 7, 1))] == [first.id]


@pytest.mark.parametrize(
    ("due", "said"),
    [
        ("{kind: before_date, count: 3}", "before_date takes a date parameter, and no count"),
        (
            "{kind: before_date, parameter: first_batch_by, automatic: true}",
            "a before_date deadline is not a timeout: drop automatic",
        ),
        ("{kind: before_date, parameter: five}", "parameter 'five' is not a date"),
    ],
)
def test_a_wrong_before_date_is_located(write: Write, due: str, said: str) -> None:
    text = POLICY.replace("{kind: before_date, parameter: first_batch_by}", due)
    with pytest.raises(PolicyError) as raised:
        Engine.from_files([write(text)])
    assert any(said in p.message and p.line is not None for p in raised.value.problems), [
        str(p) for p in raised.value.problems
    ]
