"""`governance province run DISTRICTS` (jobs/districts.py): a province of real districts, each
from its own folder into its own store and workbook; a failing district said and the others
run; the same digests in this process and on Dask workers (issue 36)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.errors import ConfigError
from governance_core.jobs.districts import District, find_districts, run_districts
from governance_core.rules.cycles import Period
from tests.support import ROOT

pytestmark = pytest.mark.districts  # the districts' settings load the 市中区 plugin

BOOK = ROOT / "src" / "governance_core" / "examples" / "sample-district.xlsx"
PERIOD = Period.parse("2024Q4")


def _district(parent: Path, name: str, *, book: bytes | None = None) -> Path:
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "governance.toml").write_text('plugins = ["shizhong"]\n', encoding="utf-8")
    if book is None:
        shutil.copy(BOOK, folder / "book.xlsx")
    else:
        (folder / "book.xlsx").write_bytes(book)
    return folder


def test_every_problem_with_the_districts_named_is_said_at_once(tmp_path: Path) -> None:
    _district(tmp_path / "p", "a")
    (tmp_path / "p" / "a" / "second.xlsx").write_bytes(b"")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError) as raised:
        find_districts([tmp_path / "p", tmp_path / "empty", tmp_path / "missing"])
    files = [p.file or "" for p in raised.value.problems]
    assert sorted(files) == sorted(str(tmp_path / f) for f in ("p/a", "empty", "missing"))


def test_a_failing_district_is_said_and_the_others_run(tmp_path: Path) -> None:
    province = tmp_path / "province"
    for name in ("a", "b"):
        _district(province, name)
    _district(province, "c", book=b"not a book")
    districts = find_districts([province])
    told: list[str] = []
    outcomes = run_districts(
        districts, PERIOD, tmp_path / "out", done=lambda o: told.append(o.name)
    )
    a, b, c = outcomes
    assert [o.name for o in outcomes] == ["a", "b", "c"] and sorted(told) == ["a", "b", "c"]
    assert a.ok and b.ok and a.records > 0 and (a.head, a.decisions) == (b.head, b.decisions)
    assert not c.ok and c.attempts == 1  # the district's own book: not tried again
    assert "book.xlsx" in c.error and "不是 .xlsx 工作簿" in c.error
    assert (tmp_path / "out" / "a" / "governance.db").is_file()
    # the same period again: the store writes nothing new and its head stays
    (again,) = run_districts(districts[:1], PERIOD, tmp_path / "out")
    assert again.records == 0 and again.head == a.head


def test_a_store_that_cannot_be_opened_is_tried_once_more_then_said(tmp_path: Path) -> None:
    districts = find_districts([_district(tmp_path, "a")])
    missing = "sqlite:///{output}/no-such-folder/{district}.db"
    (outcome,) = run_districts(districts, PERIOD, tmp_path / "out", database=missing)
    assert not outcome.ok and outcome.attempts == 2
    assert "no-such-folder" in outcome.error


def test_a_fault_of_ours_in_one_district_is_said_and_the_others_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from governance_core.jobs import province as module  # where a district's run is made

    real = module.run_period  # type: ignore[attr-defined]

    def failing(engine: Any, period: Period, data: Any, store: Any) -> Any:
        if str(store.engine.url.database).endswith("/b/governance.db"):
            raise RuntimeError("a bug")
        return real(engine, period, data, store)

    monkeypatch.setattr(module, "run_period", failing)
    found = find_districts([_district(tmp_path / "p", name) for name in ("a", "b")])
    a, b = run_districts(found, PERIOD, tmp_path / "out")
    assert a.ok and not b.ok and b.attempts == 2
    assert b.error == "意外错误（RuntimeError）；请连同该区县的文件一起报告"


def test_dask_workers_give_the_digests_this_process_gives(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    districts: list[District] = find_districts(
        [_district(tmp_path / "p", name) for name in ("a", "b", "c")]
    )
    here = run_districts(districts, PERIOD, tmp_path / "here")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, distributed.Client(cluster) as client:
        there = run_districts(districts, PERIOD, tmp_path / "there", client=client)
    assert [(o.name, o.head, o.decisions, o.records) for o in there] == [
        (o.name, o.head, o.decisions, o.records) for o in here
    ]


def test_the_command_says_each_district_and_fails_when_one_did(tmp_path: Path) -> None:
    _district(tmp_path / "p", "a")
    _district(tmp_path / "p", "b", book=b"")
    out = tmp_path / "out"
    asked = ["province", "run", str(tmp_path / "p"), "--period", "2024Q4", "--output", str(out)]
    shown = CliRunner().invoke(app, [*asked, "-f", "json"])
    assert shown.exit_code == 1
    data = json.loads(shown.stdout)
    assert [(d["district"], d["ok"]) for d in data["districts"]] == [("a", True), ("b", False)]
    assert Path(data["districts"][0]["workbook"]).is_file()
    table = CliRunner().invoke(app, asked)
    assert "完成" in table.stdout and "失败" in table.stdout and "b: " in table.stdout
    one_store = CliRunner().invoke(app, [*asked, "--database", "sqlite:///one.db"])
    assert one_store.exit_code == 2 and "{district}" in one_store.output


@pytest.mark.postgres
def test_each_district_into_its_own_postgresql_database(tmp_path: Path) -> None:
    # the store template's {district} names each district's database on the server the
    # test command starts; the digests are those of SQLite stores
    import os
    import uuid

    from sqlalchemy import create_engine, text

    server = os.environ.get("GOVERNANCE_TEST_POSTGRES")
    if not server:
        pytest.skip("GOVERNANCE_TEST_POSTGRES is not set; ./scripts/test starts a server")
    names = [f"d_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    districts = find_districts([_district(tmp_path / "p", name) for name in names])
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        for name in names:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        template = f"{server.rsplit('/', 1)[0]}/{{district}}"
        on_server = run_districts(districts, PERIOD, tmp_path / "pg", database=template)
        in_files = run_districts(districts, PERIOD, tmp_path / "files")
        assert all(o.ok for o in on_server), [o.error for o in on_server]
        assert [(o.head, o.decisions) for o in on_server] == [
            (o.head, o.decisions) for o in in_files
        ]
        assert all(
            name in o.store and "postgresql" in o.store
            for name, o in zip(names, on_server, strict=True)
        )
    finally:
        with admin.connect() as c:
            for name in names:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
