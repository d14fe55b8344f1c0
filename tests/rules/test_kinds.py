"""A kind of rule is its own package plus one entry point: prove it by registering, as an
installed distribution would, a kind these tests define (reminders that name a list, with a
hook that supplies them from Python), and loading files and plugins with it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
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
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.kinds import Assembly, SchemaTitles, Section, hookspec
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


REMINDERS_SECTION = Section("reminders", Reminder, check=_check, hook="governance_reminders")


class ReminderSpecs:
    """The hook of the reminders kind, specified in its own package as every kind's."""

    @hookspec
    def governance_reminders(self) -> Iterable[Reminder] | None:
        """Reminders built in Python."""


def _titles() -> SchemaTitles:
    fields = {"reminders": "Reminders", "days_before": "Days before"}
    return SchemaTitles({"Reminder": "Reminder"}, fields)


@final
@attrs.frozen(slots=True)
class RemindersKind:
    name: str = "reminders"
    sections: tuple[Section[Any], ...] = (REMINDERS_SECTION,)
    overlay_sections: tuple[Section[Any], ...] = ()
    titles: Callable[[], SchemaTitles] = _titles
    hookspecs: type | None = ReminderSpecs

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


def _install(folder: Path, monkeypatch: pytest.MonkeyPatch, *entries: str) -> None:
    """A distribution registering ``entries`` under governance_core.kinds, found on sys.path
    as pip would leave it, for the length of a test."""
    info = folder / "reminders_kind-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: reminders-kind\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[governance_core.kinds]\n" + "\n".join(entries) + "\n")
    monkeypatch.syspath_prepend(str(folder))
    registry.registered.cache_clear()


@pytest.fixture
def registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # the one registration line, in the distribution's own metadata
    _install(tmp_path, monkeypatch, "reminders = tests.rules.test_kinds:REMINDERS")
    yield
    registry.registered.cache_clear()


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
    assert len(policies.of(CRITERIA)) == 1  # the other kinds as before


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


def test_the_kind_s_hook_supplies_its_records_from_python(registered: None) -> None:
    from governance_core import Engine, PluginError
    from governance_core.plugins import hookimpl
    from governance_core.rules.common import Supplier, SupplierKind

    class District:
        @hookimpl
        def governance_reminders(self) -> list[Reminder]:
            return [Reminder("remind.py", Title("提醒", "Reminder"), "core.none", 2)]

    with pytest.raises(PluginError) as caught:  # its assembly checks what it names
        Engine.load(register=[(District(), Supplier(SupplierKind.PLUGIN, "d", "1"))])
    assert "plugin d 1: [remind.py] no list 'core.none'" in str(caught.value)


def test_its_titles_reach_the_published_schema(registered: None) -> None:
    from governance_core.loading.schemas import schema_of

    schema = schema_of("policy")
    assert schema["properties"]["reminders"]["items"]["$ref"] == "#/$defs/Reminder"
    assert "Days before" in str(schema["$defs"]["Reminder"])


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("broken = tests.rules.no_such_module:KIND", "cannot be loaded"),
        ("odd = tests.rules.test_kinds:Reminder", "is not a kind of rule: it lacks"),
        ("twice = tests.rules.test_kinds:CLAIMS_LISTS", "section 'lists' is held by kind"),
    ],
)
def test_a_kind_that_cannot_be_used_is_named(
    entry: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance_core import PluginError

    _install(tmp_path, monkeypatch, entry)
    try:
        with pytest.raises(PluginError) as caught:
            registry.registered()
    finally:
        registry.registered.cache_clear()
    (problem,) = caught.value.problems
    assert said in problem.message and "reminders-kind 1.0" in problem.message
    assert problem.rule_id == entry.split(" = ")[0]


# a kind that claims the criteria kind's section
CLAIMS_LISTS = attrs.evolve(
    REMINDERS, name="claims", sections=(attrs.evolve(REMINDERS_SECTION, name="lists"),)
)
