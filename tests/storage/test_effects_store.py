"""Effects in the store (storage/effects.py): imposed once however often a decision is
recorded, lifted as an event of its own, read back as they stand, and refused when a row no
longer matches the chain."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from governance_core.model import EffectKind, ImposedEffect
from governance_core.storage import SqlStore, StoreError
from governance_core.storage.audit import verify
from governance_core.storage.effects import EffectError

BAR = ImposedEffect(
    "run/q/t.awards_bar/p3",
    "t.awards_bar",
    "p3",
    EffectKind.BAR,
    date(2024, 9, 30),
    ends=date(2026, 9, 29),
    bars="awards",
    decided_by="run/q",
)
TALK = ImposedEffect(
    "run/q/t.talk/p3", "t.talk", "p3", EffectKind.DUTY, date(2024, 9, 30), due=date(2024, 10, 12)
)


def test_an_effect_is_imposed_once(database: str) -> None:
    store = SqlStore(database)
    assert store.effects.impose([BAR, TALK]) == 2
    assert store.effects.impose([BAR, TALK]) == 0  # the same decision recorded again
    assert [r.effect for r in store.effects.effects()] == [BAR, TALK]
    assert verify(store).ok


def test_lifting_is_a_chained_event_and_ends_the_effect(database: str) -> None:
    store = SqlStore(database)
    store.effects.impose([BAR, TALK])
    head = store.head()
    lifted = store.effects.lift(TALK.id, date(2024, 10, 10), by="镇党委", reason="谈话已进行")
    assert lifted.effect.lifted_on == date(2024, 10, 10)
    assert (lifted.lifted_by, lifted.reason) == ("镇党委", "谈话已进行")
    assert store.head()[0] == head[0] + 1
    assert [r.effect.id for r in store.effects.effects(in_force_on=date(2024, 10, 10))] == [BAR.id]
    assert [r.effect.id for r in store.effects.effects(in_force_on=date(2024, 10, 9))] == [
        BAR.id,
        TALK.id,
    ]
    assert [r.effect.id for r in store.effects.effects(person_id="p9")] == []
    assert verify(store).ok


@pytest.mark.parametrize(
    ("effect_id", "day", "expected"),
    [
        ("nobody/nothing", date(2025, 1, 1), "no effect nobody/nothing is recorded"),
        (BAR.id, date(2024, 9, 1), "cannot be lifted on 2024-09-01"),
    ],
)
def test_what_cannot_be_lifted_is_refused(
    database: str, effect_id: str, day: date, expected: str
) -> None:
    store = SqlStore(database)
    store.effects.impose([BAR])
    head = store.head()
    with pytest.raises(EffectError, match=expected):
        store.effects.lift(effect_id, day, by="镇党委", reason="—")
    assert store.head() == head  # nothing written


def test_an_effect_is_lifted_once(database: str) -> None:
    store = SqlStore(database)
    store.effects.impose([BAR])
    store.effects.lift(BAR.id, date(2025, 1, 1), by="镇党委", reason="复核")
    with pytest.raises(EffectError, match="was lifted on 2025-01-01"):
        store.effects.lift(BAR.id, date(2025, 2, 1), by="镇党委", reason="again")


def test_an_edited_row_is_refused_and_reported(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path}/g.db")
    store.effects.impose([BAR])
    with store.engine.begin() as c:  # someone moves the bar onto another person
        c.execute(text("UPDATE effect_records SET person_id = 'p1'"))
    with pytest.raises(StoreError, match="does not match the chain"):
        store.effects.effects()
    assert not verify(store).ok
