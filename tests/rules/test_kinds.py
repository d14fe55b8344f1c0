"""A kind of rule is its own package plus one registration line: prove it by registering a
kind these tests define (reminders that name a list), and loading files and overlays with it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, final

import attrs
import pytest

from governance_core import PolicyError
from governance_core.errors import Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.loading import kinds as registry
from governance_core.loading.assembly import load_policies
from governance_core.rules.common import Title
from governance_core.rules.kinds import Assembly, Section
from tests.support import policy_yaml


@final
@attrs.frozen(slots=True)
class Reminder:
    """A record of the tests' own kind: a reminder, some days before, about a list."""

    id: str
    title: Title
    list: str
    days_before: int


def _check(located: Located, base: DataPath, reminder: Reminder) -> tuple[Reminder, list[Problem]]:
    if reminder.days_before >= 1:
        return reminder, []
    problem = located.problem(
        (*base, "days_before"), "days_before must be at least 1", rule_id=reminder.id
    )
    return reminder, [problem]


REMINDERS_SECTION = Section("reminders", Reminder, check=_check)


@final
@attrs.frozen(slots=True)
class RemindersKind:
    name: str = "reminders"
    sections: tuple[Section[Any], ...] = (REMINDERS_SECTION,)
    overlay_sections: tuple[Section[Any], ...] = ()

    def assemble(self, assembly: Assembly) -> Mapping[str, Reminder]:
        lists = assembly.declared("lists")
        found = {}
        for reminder_id, (reminder, origin) in assembly.records(REMINDERS_SECTION).items():
            if reminder.list not in lists:
                assembly.problems.at(
                    origin, ("list",), f"no list {reminder.list!r}", reminder_id, None
                )
                continue
            found[reminder_id] = reminder
        return found


REMINDERS = RemindersKind()


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    # the one registration line, for the length of a test
    monkeypatch.setattr(registry, "KINDS", (*registry.KINDS, REMINDERS))


REMINDER = """\
reminders:
  - id: remind.list
    title: {{zh: 提醒, en: Reminder}}
    list: {list}
    days_before: {days}
"""


def test_a_registered_kind_reads_checks_and_assembles_its_section(
    registered: None, write: Callable[[str, str], Path]
) -> None:
    path = write(policy_yaml(extra=REMINDER.format(list="test.list", days=3)), "p.yaml")
    policies = load_policies([path])
    (reminder,) = policies.of(REMINDERS).values()
    assert reminder == Reminder("remind.list", Title("提醒", "Reminder"), "test.list", 3)
    assert policies.suppliers["reminders"]["remind.list"].name == str(path)
    assert len(policies.lists) == 1  # the other kinds as before


def test_its_problems_are_located_and_name_the_rule(
    registered: None, write: Callable[[str, str], Path]
) -> None:
    path = write(policy_yaml(extra=REMINDER.format(list="no.such", days=0)), "p.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([path])
    found = {(p.rule_id, p.line, p.message) for p in caught.value.problems}
    assert ("remind.list", 25, "days_before must be at least 1") in found


def test_a_reference_to_another_kind_is_checked_by_section_name(
    registered: None, write: Callable[[str, str], Path]
) -> None:
    path = write(policy_yaml(extra=REMINDER.format(list="no.such", days=2)), "p.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([path])
    (problem,) = caught.value.problems
    assert (problem.rule_id, problem.line, problem.message) == (
        "remind.list",
        24,
        "no list 'no.such'",
    )


def test_without_the_registration_the_section_is_unknown(
    write: Callable[[str, str], Path],
) -> None:
    path = write(policy_yaml(extra=REMINDER.format(list="test.list", days=3)), "p.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([path])
    (problem,) = caught.value.problems
    assert problem.message == "unknown field 'reminders'"
    assert problem.line == 21 and problem.hint is not None and "lists" in problem.hint
