"""The official working-day calendar as cited data (docs/calendar.md): the package's years,
years published by a policy file or an overlay (a later entry replaces an earlier one, with
provenance), located problems in hostile entries, and a year nobody has published counted on
weekends only, provisionally — never blocking a step — then recounted with a chained event
once the year is published.

The 2027 entries here are invented for the tests (marked 示例): the State Council's notice for
2027 is not encoded anywhere in this project until a district publishes it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from governance_core import Actor, Engine, PolicyError
from governance_core.rules.calendar import (
    CALENDAR,
    MAX_WORKING_DAYS,
    DayKind,
    OfficialCalendar,
    PublishedYear,
    package_years,
)
from governance_core.rules.common import Citation, Supplier, SupplierKind
from governance_core.rules.provenance import ChangeKind
from governance_core.runtime import RECOUNT, SWEEPER, DueStatus, Runtime
from governance_core.storage import SqlStore
from governance_core.storage.audit import replay_all, verify
from tests.support import CITATION, ROOT

Write = Callable[..., Path]

NOTICE = f"""\
parameters:
  - id: notice_days
    title: {{zh: 公示期, en: Notice period}}
    kind: number
    citation: {CITATION}
    values: [{{value: 5}}]
processes:
  - id: test.notice
    title: {{zh: 公示, en: Notice}}
    citation: {CITATION}
    subject: person
    initial: found
    roles:
      - {{id: town, title: {{zh: 镇党委, en: Town committee}}}}
    states:
      - {{id: found, title: {{zh: 发现, en: Found}}}}
      - {{id: notice, title: {{zh: 公示, en: Notice}}}}
      - {{id: done, title: {{zh: 完成, en: Done}}, terminal: true}}
    steps:
      - {{id: decide, title: {{zh: 集体研究, en: Collective study}}, sources: [found], dest: notice, roles: [town], required: true}}
      - id: notice_ends
        title: {{zh: 公示期满, en: Notice ends}}
        sources: [notice]
        dest: done
        required: true
        due: {{kind: working_days, parameter: notice_days, automatic: true}}
"""

EXAMPLE_2027 = """\
# A TEST EXAMPLE, NOT THE STATE COUNCIL'S NOTICE
overlay:
  id: test-calendar-2027
  title: {zh: （示例）2027年放假安排, en: (Example) the 2027 holidays}
  version: "test-1"
calendar:
  - year: 2027
    citation: {document: （示例）2027年部分节假日安排, article: 一, source: test}
    holidays: [2027-01-01..2027-01-03, 2027-01-04]
    workdays: [2027-01-09]
"""

TOWN = Actor("镇党委", frozenset({"town"}))
SUPPLIER = Supplier(SupplierKind.FILE, "test")


def published(year: int, holidays: set[date], workdays: set[date] = frozenset()) -> PublishedYear:  # type: ignore[assignment]
    return PublishedYear(
        year,
        frozenset(holidays),
        frozenset(workdays),
        Citation("（示例）", "一", "test"),
        SUPPLIER,
    )


def entry(body: str) -> str:
    return f"calendar:\n  - year: 2027\n    citation: {CITATION}\n{body}"


# --- the package's years ----------------------------------------------------------------


def test_the_package_years_are_the_default_and_cite_the_notice() -> None:
    engine = Engine.from_files([])
    calendar = engine.policies.of(CALENDAR)
    assert calendar.years == package_years()
    year = calendar.published(2026)
    assert year is not None and year.supplier.kind is SupplierKind.PACKAGE
    assert year.citation.document == "国务院办公厅关于2026年部分节假日安排的通知"
    # the National Day week of 2026: 1-7 October off, Saturday 10 October worked
    assert calendar.kind(date(2026, 10, 7)) is DayKind.HOLIDAY
    assert calendar.kind(date(2026, 10, 10)) is DayKind.MAKE_UP_WORKDAY
    assert calendar.is_workday(date(2026, 10, 10)) and not calendar.is_workday(date(2026, 10, 7))
    assert calendar.published(2027) is None and calendar.kind(date(2027, 1, 4)) is None


def test_a_year_not_published_is_counted_on_weekends_only_and_says_so() -> None:
    calendar = OfficialCalendar()
    # Monday 28 December 2026 + 5: Tue, Wed, Thu, Fri 1 January 2027 (not published), Mon 4
    counted = calendar.add_working_days(date(2026, 12, 28), 5)
    assert counted.day == date(2027, 1, 4) and counted.provisional_year == 2027
    inside = calendar.add_working_days(date(2026, 12, 1), 5)
    assert inside.day == date(2026, 12, 8) and inside.provisional_year is None


def test_a_count_longer_than_any_deadline_is_refused_not_walked() -> None:
    from governance_core.errors import CalendarError

    with pytest.raises(CalendarError, match=str(MAX_WORKING_DAYS)):
        OfficialCalendar().add_working_days(date(2026, 1, 1), 10**12)
    with pytest.raises(CalendarError):  # past the last date Python holds
        OfficialCalendar().add_working_days(date(9999, 12, 1), MAX_WORKING_DAYS)


# --- publishing a year ------------------------------------------------------------------


def test_a_policy_file_publishes_a_year_and_an_overlay_replaces_it(write: Write) -> None:
    policy = write(entry("    holidays: [2027-01-01]\n"), "policy.yaml")
    first = write(EXAMPLE_2027, "province.yaml")
    second = write(
        EXAMPLE_2027.replace("test-calendar-2027", "test-district-2027").replace(
            "[2027-01-09]", "[]"
        ),
        "district.yaml",
    )
    engine = Engine.from_files([policy])
    assert engine.policies.of(CALENDAR).published(2027) is not None
    assert engine.policies.of(CALENDAR).published(2027).holidays == {date(2027, 1, 1)}  # type: ignore[union-attr]
    layered = Engine.from_files([policy], overlays=[first, second])
    year = layered.policies.of(CALENDAR).published(2027)
    assert year is not None and year.supplier.name.startswith("test-district-2027")
    assert year.workdays == frozenset() and len(year.holidays) == 4
    assert year.place is not None and year.place.startswith(str(second))
    changes = [c for c in layered.policies.changes if c.rule_id == "calendar.2027"]
    assert [(c.kind, c.supplier.name) for c in changes] == [
        (ChangeKind.ADDED, str(policy)),
        (ChangeKind.REPLACED, f"test-calendar-2027 ({first})"),
        (ChangeKind.REPLACED, f"test-district-2027 ({second})"),
    ]


def test_an_entry_for_a_package_year_replaces_the_package(write: Write) -> None:
    text = "calendar:\n  - year: 2026\n    citation: " + CITATION + "\n    holidays: [2026-01-01]\n"
    engine = Engine.from_files([write(text)])
    year = engine.policies.of(CALENDAR).published(2026)
    assert year is not None and year.holidays == {date(2026, 1, 1)} and not year.workdays
    assert any(
        c.rule_id == "calendar.2026" and c.kind is ChangeKind.REPLACED
        for c in engine.policies.changes
    )


def test_the_model_entry_of_the_docs_changes_no_day_of_the_package() -> None:
    """docs/examples/calendar-2026.yaml writes 2026 out as the notice gives it, the model of
    an entry: it counts exactly as the package does."""
    model = ROOT / "docs" / "examples" / "calendar-2026.yaml"
    ours = Engine.from_files([], overlays=[model]).policies.of(CALENDAR)
    year, package = ours.published(2026), package_years()[2026]
    assert year is not None and year.supplier.kind is SupplierKind.OVERLAY
    assert (year.holidays, year.workdays) == (package.holidays, package.workdays)


def _problems(write: Write, text: str) -> str:
    with pytest.raises(PolicyError) as caught:
        Engine.from_files([write(text)])
    return str(caught.value)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("    holidays: [2027-02-11..2027-02-05]\n", "ends before it starts"),
        ("    holidays: [2028-01-01]\n", "not in 2027"),
        ("    holidays: [2000-01-01..2099-12-31]\n", "not in 2027"),  # a range over a century
        ("    holidays: [2027-02-05..2027-02-11, 2027-02-10]\n", "listed twice"),
        ("    holidays: [2027-02-06]\n    workdays: [2027-02-06]\n", "both a holiday"),
        ("    workdays: [2027-02-15]\n", "is a weekday"),
        ("    holidays: [soon]\n", "neither a date"),
    ],
)
def test_a_bad_entry_is_located(write: Write, body: str, expected: str) -> None:
    message = _problems(write, entry(body))
    assert expected in message
    assert "policy.yaml:" in message and "[calendar.2027]" in message


def test_a_day_that_does_not_exist_is_located_where_it_is_read(write: Write) -> None:
    assert "policy.yaml:4:16: 2027-13-01" in _problems(write, entry("    holidays: [2027-13-01]\n"))


def test_the_problem_names_the_line_and_column_of_the_bad_day(write: Write) -> None:
    text = entry("    holidays:\n      - 2027-01-01\n      - 2027-01-01\n")
    message = _problems(write, text)
    assert "policy.yaml:6:9" in message  # the second 2027-01-01


def test_a_year_twice_in_one_file_or_from_two_files_is_a_problem(write: Write) -> None:
    once = entry("    holidays: [2027-01-01]\n")
    twice = once + "  - year: 2027\n    citation: " + CITATION + "\n"
    assert "published twice in this file" in _problems(write, twice)
    with pytest.raises(PolicyError, match="published by two plugins"):
        Engine.from_files([write(once, "a.yaml"), write(once, "b.yaml")])


def test_ten_thousand_ranges_are_refused_within_the_bounds(write: Write) -> None:
    ranges = ", ".join(["2027-01-01..2027-12-31"] * 10_000)
    message = _problems(write, entry(f"    holidays: [{ranges}]\n"))
    assert "10000" in message and "366" in message


def test_the_calendar_problems_are_in_chinese_under_zh(write: Write) -> None:
    from governance_core.messages import in_language

    with in_language("zh"):
        message = _problems(write, entry("    workdays: [2027-02-15]\n"))
    assert "调休上班日只能是星期六或星期日" in message


# --- procedures across an unpublished year -------------------------------------------------


def _notice_runtime(write: Write, store: SqlStore, *overlays: Path) -> Runtime:
    engine = Engine.from_files([write(NOTICE, "notice.yaml")], overlays=list(overlays))
    return engine.runtime(store)


def test_a_step_at_the_year_end_is_taken_and_recounted_once_the_year_is_published(
    write: Write, tmp_path: Path
) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    runtime = _notice_runtime(write, store)
    instance = runtime.start("test.notice", "p1", TOWN, datetime(2026, 12, 20, 10))
    runtime.fire(instance, "decide", TOWN, datetime(2026, 12, 28, 10))  # never refused
    (deadline,) = store.deadlines()
    assert deadline.last_day == date(2027, 1, 4) and deadline.provisional_year == 2027
    # the provisional day passes, but the sweeper waits for the published calendar
    assert runtime.sweep(datetime(2027, 1, 8)) == []
    (due,) = runtime.due(date(2027, 1, 8))
    assert due.status is DueStatus.OVERDUE and due.deadline.provisional_year == 2027

    published = _notice_runtime(write, store, write(EXAMPLE_2027, "calendar-2027.yaml"))
    (recount,) = published.recount(datetime(2027, 1, 8, 9))
    assert recount.event.step == RECOUNT and recount.event.actor == SWEEPER.id
    assert recount.event.source == recount.event.dest == "notice"
    assert "2027-01-04" in (recount.event.note or "") and "2027-01-06" in (recount.event.note or "")
    (moved,) = store.deadlines()
    assert moved.last_day == date(2027, 1, 6) and moved.moved_from == date(2027, 1, 4)
    assert moved.provisional_year is None
    assert published.recount(datetime(2027, 1, 8, 10)) == []  # once
    report = verify(store)
    assert report.ok, report.reason
    assert replay_all(store) == []
    # now definite and past: the sweep ends the notice
    (swept,) = published.sweep(datetime(2027, 1, 8, 11))
    assert swept.event.step == "notice_ends" and swept.instance.state == "done"
    assert verify(store).ok


def test_the_sweep_recounts_before_it_sweeps(write: Write, tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    runtime = _notice_runtime(write, store)
    instance = runtime.start("test.notice", "p1", TOWN, datetime(2026, 12, 20, 10))
    runtime.fire(instance, "decide", TOWN, datetime(2026, 12, 28, 10))
    published = _notice_runtime(write, store, write(EXAMPLE_2027, "calendar-2027.yaml"))
    results = published.sweep(datetime(2027, 1, 8))
    assert [r.event.step for r in results] == [RECOUNT, "notice_ends"]
    assert verify(store).ok


def test_a_recount_that_keeps_the_day_confirms_it(write: Write, tmp_path: Path) -> None:
    """A 2027 with no day off in the count: the day stays, the deadline stops being
    provisional, and the event says so."""
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    runtime = _notice_runtime(write, store)
    instance = runtime.start("test.notice", "p1", TOWN, datetime(2026, 12, 20, 10))
    runtime.fire(instance, "decide", TOWN, datetime(2026, 12, 28, 10))
    quiet = EXAMPLE_2027.replace("[2027-01-01..2027-01-03, 2027-01-04]", "[2027-02-15]")
    published = _notice_runtime(write, store, write(quiet, "calendar-2027.yaml"))
    (recount,) = published.recount(datetime(2027, 1, 2))
    (kept,) = store.deadlines()
    assert kept.last_day == date(2027, 1, 4) and kept.moved_from is None
    assert kept.provisional_year is None and "confirmed" in (recount.event.note or "")


# --- properties ---------------------------------------------------------------------------

PUBLISHED = sorted(package_years())
STARTS = st.dates(date(PUBLISHED[0], 1, 1), date(PUBLISHED[-1] - 1, 12, 31))


@given(start=STARTS, count=st.integers(0, 200))
@settings(max_examples=300, deadline=None)
def test_counting_back_the_working_days_added_gives_the_count(start: date, count: int) -> None:
    calendar = OfficialCalendar()
    counted = calendar.add_working_days(start, count)
    assert counted.provisional_year is None
    assert calendar.working_days_between(start, counted.day) == count
    assert counted.day == start or calendar.is_workday(counted.day)


YEAR = 2030  # a year no notice publishes: the properties compare it with invented ones
DAYS_OF_YEAR = st.dates(date(YEAR, 1, 1), date(YEAR, 12, 31))


@given(
    start=st.dates(date(YEAR - 1, 12, 1), date(YEAR, 11, 30)),
    count=st.integers(0, 60),
    holidays=st.sets(DAYS_OF_YEAR, max_size=40),
)
@settings(max_examples=300, deadline=None)
def test_a_provisional_day_is_never_later_than_one_with_holidays_published(
    start: date, count: int, holidays: set[date]
) -> None:
    provisional = OfficialCalendar()
    real = OfficialCalendar({**package_years(), YEAR: published(YEAR, holidays)})
    assert provisional.add_working_days(start, count).day <= real.add_working_days(start, count).day


WEEKEND_DAYS = DAYS_OF_YEAR.filter(lambda d: d.weekday() >= 5)


@given(
    start=st.dates(date(YEAR - 1, 12, 1), date(YEAR, 11, 30)),
    count=st.integers(0, 60),
    holidays=st.sets(DAYS_OF_YEAR, max_size=40),
    workdays=st.sets(WEEKEND_DAYS, max_size=10),
)
@settings(max_examples=300, deadline=None)
def test_with_make_up_workdays_a_published_day_is_earlier_only_by_those_it_crosses(
    start: date, count: int, holidays: set[date], workdays: set[date]
) -> None:
    """Make-up working days can bring the published day before the provisional one; it is
    then earlier by at most as many working days as make-up days lie in the count."""
    workdays -= holidays
    provisional = OfficialCalendar().add_working_days(start, count).day
    real = OfficialCalendar({**package_years(), YEAR: published(YEAR, holidays, workdays)})
    day = real.add_working_days(start, count).day
    if day < provisional:
        crossed = sum(1 for w in workdays if start < w <= provisional)
        assert real.working_days_between(day, provisional) <= crossed


# --- the command line, the check and the service ----------------------------------------


def cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from governance_core.cli import app

    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, list(args))
    return result.exit_code, result.output


def test_governance_calendar_lists_a_year_with_its_source_or_says_it_is_unpublished(
    write: Write,
) -> None:
    code, out = cli("calendar", "--year", "2027")
    assert code == 0 and "2027年放假安排尚未公布" in out and "按双休日推算" in out
    code, out = cli("calendar", "--year", "2026")
    assert code == 0 and "2026-10-10" in out and "调休上班" in out and "软件包" in out
    code, out = cli("calendar")
    assert code == 0 and "2004" in out and "2026" in out
    overlay = write(EXAMPLE_2027, "calendar-2027.yaml")
    code, out = cli("calendar", "--year", "2027", "-f", "json", "--overlay", str(overlay))
    (year,) = orjson.loads(out)["years"]
    assert year["published"] and year["source"]["kind"] == "overlay"
    assert year["citation"]["document"] == "（示例）2027年部分节假日安排"
    assert {"day": "2027-01-09", "kind": "make_up_workday"} in year["days"]
    code, out = cli("calendar", "--year", "2027", "-f", "json")
    assert orjson.loads(out)["years"][0]["published"] is False


def test_the_command_line_walks_a_notice_across_the_year_end(write: Write, tmp_path: Path) -> None:
    policy, journal = str(write(NOTICE, "notice.yaml")), str(tmp_path / "j.jsonl")
    loading = ("-p", policy, "-j", journal)
    code, out = cli(
        "process",
        "start",
        "test.notice",
        "p1",
        "--actor",
        "a",
        "--id",
        "n1",
        "--at",
        "2026-12-20T10:00",
        *loading,
    )
    assert code == 0, out
    code, out = cli(
        "process",
        "fire",
        "n1",
        "decide",
        "--actor",
        "a",
        "--role",
        "town",
        "--at",
        "2026-12-28T10:00",
        *loading,
    )
    assert code == 0, out
    code, out = cli("process", "show", "n1", *loading)
    assert "2027-01-04（按双休日推算，待2027年放假安排公布后确定）" in out
    overlay = str(write(EXAMPLE_2027, "calendar-2027.yaml"))
    code, out = cli("calendar", "apply", "--at", "2027-01-02T08:00", "-o", overlay, *loading)
    assert code == 0 and "期限由2027-01-04改为2027-01-06" in out, out
    code, out = cli("process", "show", "n1", "-o", overlay, *loading)
    assert "重算期限" in out and "2027-01-06（原为2027-01-04）" in out
    code, out = cli("process", "show", "n1", "-o", overlay, "-f", "json", *loading)
    (deadline,) = orjson.loads(out)["deadlines"]
    assert deadline["last_day"] == "2027-01-06" and deadline["moved_from"] == "2027-01-04"


def test_check_warns_from_the_first_of_november_while_next_year_is_unpublished() -> None:
    def warned(day: str) -> list[str]:
        code, out = cli("check", "--as-of", day, "-f", "json")
        assert code == 0, out
        return [
            f["rule"] for f in orjson.loads(out)["findings"] if f["kind"] == "calendar_unpublished"
        ]

    assert warned("2026-10-31") == []
    assert warned("2026-11-01") == ["calendar.2027"]
    assert warned("2027-03-01") == ["calendar.2027"]  # the year itself, still unpublished
    code, _out = cli("check", "--as-of", "2026-11-01", "--fail-on", "warning", "-f", "json")
    assert code == 4


def test_the_service_is_ready_and_says_next_year_is_unpublished(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from governance_core.service import create_app

    store = SqlStore(f"sqlite:///{tmp_path / 'service.db'}")
    app = create_app(Engine.from_files([]), store, clock=lambda: datetime(2026, 12, 7, 9))
    with TestClient(app) as client:
        ready = client.get("/v1/ready", headers={"Accept-Language": "zh"}).json()
    assert ready["status"] == "ready"
    assert ready["calendar"] == {"published_through": 2026, "unpublished_next_year": 2027}
    assert "2027年放假安排尚未公布" in ready["warnings"][0]


@pytest.mark.districts
def test_the_run_workbook_marks_a_provisional_deadline(write: Write, tmp_path: Path) -> None:
    """The 市中区 quarterly results are due a number of working days after the quarter (a
    number the source does not publish: the test gives one): for 2026Q4 they fall in 2027,
    which no notice has published yet."""
    from openpyxl import load_workbook

    book = tmp_path / "q.xlsx"
    days = write(
        "overlay: {id: t, title: {zh: （示例）时限, en: (Example) deadline}, version: '1'}\n"
        "parameters:\n  - {parameter: shizhong_quarterly_results_deadline_working_days, "
        f"citation: {CITATION}, values: [{{value: 10}}]}}\n",
        "days.yaml",
    )
    code, out = cli(
        "run",
        "--plugin",
        "shizhong",
        "--period",
        "2026Q4",
        "--overlay",
        str(days),
        "--database",
        f"sqlite:///{tmp_path / 'g.db'}",
        "--output",
        str(book),
    )
    assert code == 0, out
    rows = load_workbook(book, read_only=True)["汇总"].iter_rows(values_only=True)
    assert any(
        "按双休日推算，待2027年放假安排公布后确定" in str(cell) for row in rows for cell in row
    )
