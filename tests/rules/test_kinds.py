"""A kind of rule is its own package plus one entry point: prove it by registering, as an
installed distribution would, a kind these tests define (notices that name a list, with a
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
class Notice:
    """A record of the tests' own kind: a notice, some days before, about a list."""

    id: str
    title: Title
    list: str
    days_before: int


def _check(located: Located, base: DataPath, notice: Notice) -> tuple[Notice, list[Problem]]:
    if notice.days_before >= 1:
        return notice, []
    problem = located.problem(
        (*base, "days_before"), "days_before must be at least 1", rule_id=notice.id
    )
    return notice, [problem]


NOTICES_SECTION = Section("notices", Notice, check=_check, hook="governance_notices")


class NoticeSpecs:
    """The hook of the notices kind, specified in its own package as every kind's."""

    @hookspec
    def governance_notices(self) -> Iterable[Notice] | None:
        """Notices built in Python."""


def _titles() -> SchemaTitles:
    fields = {"notices": "Notices", "days_before": "Days before"}
    return SchemaTitles({"Notice": "Notice"}, fields)


@final
@attrs.frozen(slots=True)
class NoticesKind:
    name: str = "notices"
    sections: tuple[Section[Any], ...] = (NOTICES_SECTION,)
    overlay_sections: tuple[Section[Any], ...] = ()
    titles: Callable[[], SchemaTitles] = _titles
    hookspecs: type | None = NoticeSpecs

    def assemble(self, assembly: Assembly) -> Mapping[str, Notice]:
        lists = assembly.declared("lists")
        found = {}
        for notice_id, (notice, origin) in assembly.records(NOTICES_SECTION).items():
            if notice.list not in lists:
                assembly.problems.at(origin, ("list",), f"no list {notice.list!r}", notice_id, None)
                continue
            found[notice_id] = notice
        return found


NOTICES = NoticesKind()


def _install(folder: Path, monkeypatch: pytest.MonkeyPatch, *entries: str) -> None:
    """A distribution registering ``entries`` under governance_core.kinds, found on sys.path
    as pip would leave it, for the length of a test."""
    info = folder / "notices_kind-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: notices-kind\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[governance_core.kinds]\n" + "\n".join(entries) + "\n")
    monkeypatch.syspath_prepend(str(folder))
    registry.registered.cache_clear()


@pytest.fixture
def registered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # the one registration line, in the distribution's own metadata
    _install(tmp_path, monkeypatch, "notices = tests.rules.test_kinds:NOTICES")
    yield
    registry.registered.cache_clear()


NOTICE = """\
notices:
  - id: notice.list
    title: {{zh: 通知, en: Notice}}
    list: {list}
    days_before: {days}
"""


def test_a_registered_kind_reads_checks_and_assembles_its_section(
    registered: None, write: Callable[[str, str], Path]
) -> None:
    path = write(policy_yaml(extra=NOTICE.format(list="test.list", days=3)), "p.yaml")
    policies = load_policies([path])
    (notice,) = policies.of(NOTICES).values()
    assert notice == Notice("notice.list", Title("通知", "Notice"), "test.list", 3)
    assert policies.suppliers["notices"]["notice.list"].name == str(path)
    assert len(policies.of(CRITERIA)) == 1  # the other kinds as before


def test_its_problems_are_located_and_name_the_rule(
    registered: None, write: Callable[[str, str], Path]
) -> None:
    path = write(policy_yaml(extra=NOTICE.format(list="no.such", days=0)), "p.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([path])
    found = {(p.rule_id, p.line, p.message) for p in caught.value.problems}
    assert ("notice.list", 25, "days_before must be at least 1") in found


def test_a_reference_to_another_kind_is_checked_by_section_name(
    registered: None, write: Callable[[str, str], Path]
) -> None:
    path = write(policy_yaml(extra=NOTICE.format(list="no.such", days=2)), "p.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([path])
    (problem,) = caught.value.problems
    assert (problem.rule_id, problem.line, problem.message) == (
        "notice.list",
        24,
        "no list 'no.such'",
    )


def test_without_the_registration_the_section_is_unknown(
    write: Callable[[str, str], Path],
) -> None:
    path = write(policy_yaml(extra=NOTICE.format(list="test.list", days=3)), "p.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([path])
    (problem,) = caught.value.problems
    assert problem.message == "unknown field 'notices'"
    assert problem.line == 21 and problem.hint == "did you mean 'votes'?"  # the nearest section


def test_the_kind_s_hook_supplies_its_records_from_python(registered: None) -> None:
    from governance_core import Engine, PluginError
    from governance_core.plugins import hookimpl
    from governance_core.rules.common import Supplier, SupplierKind

    class District:
        @hookimpl
        def governance_notices(self) -> list[Notice]:
            return [Notice("notice.py", Title("通知", "Notice"), "core.none", 2)]

    with pytest.raises(PluginError) as caught:  # its assembly checks what it names
        Engine.load(register=[(District(), Supplier(SupplierKind.PLUGIN, "d", "1"))])
    assert "plugin d 1: [notice.py] no list 'core.none'" in str(caught.value)


def test_its_titles_reach_the_published_schema(registered: None) -> None:
    from governance_core.loading.schemas import schema_of

    schema = schema_of("policy")
    assert schema["properties"]["notices"]["items"]["$ref"] == "#/$defs/Notice"
    assert "Days before" in str(schema["$defs"]["Notice"])


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ("broken = tests.rules.no_such_module:KIND", "cannot be loaded"),
        ("odd = tests.rules.test_kinds:Notice", "is not a kind of rule: it lacks"),
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
    assert said in problem.message and "notices-kind 1.0" in problem.message
    assert problem.rule_id == entry.split(" = ")[0]


# a kind that claims the criteria kind's section
CLAIMS_LISTS = attrs.evolve(
    NOTICES, name="claims", sections=(attrs.evolve(NOTICES_SECTION, name="lists"),)
)
