"""运行 in the workbench, on the example district's recorded quarter: the runs for an
``auditor`` only, one run per town with each grade's rule and settledness, the grades against
the quotas, a person's place run after run, the effects the run imposed, and the workbook."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import openpyxl
import pytest
from fastapi.testclient import TestClient

from governance_core.service import create_app
from governance_core.storage import SqlStore
from tests.jobs.test_replay import PERIOD, _district, _engine
from tests.service.test_workbench import NOW, _sign_in, _token

pytestmark = pytest.mark.districts  # the example district's plugins decide

RUN = "shizhong.cycle/quarterly_lagging/2024Q4"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, SqlStore]]:
    from governance_core.jobs.cycle_run import run_period

    folder = tmp_path_factory.mktemp("runs")
    engine = _engine()
    store = SqlStore(f"sqlite:///{folder / 'governance.db'}")
    district = _district(engine, 2024)
    run_period(engine, PERIOD, district, store)  # type: ignore[arg-type]
    roster = district.roster  # type: ignore[attr-defined]
    app = create_app(engine, store, roster=roster, clock=lambda: NOW, sweep_every=None)
    with TestClient(app) as client:
        yield client, store


def test_runs_are_for_auditors(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    _sign_in(client, _token(store, "town_committee"))
    assert 'href="/runs"' not in client.get("/tasks").text
    assert client.get("/runs").status_code == 403
    _sign_in(client, _token(store, "auditor"))
    listed = client.get("/runs")
    assert listed.status_code == 200 and RUN in listed.text


def test_a_run_per_town_with_quotas_places_and_effects(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    _sign_in(client, _token(store, "auditor"))
    whole = client.get(f"/runs/{RUN}").text
    town = re.search(r'<option value="([^"]+)">\1</option>', whole)
    assert town, "no town to choose"
    page = client.get(f"/runs/{RUN}", params={"town": town[1]}).text
    assert "等次分布与名额" in page and "工作后进村" in page
    assert "决定规则" in page and "已确定" in page
    assert "本次运行施加的后果" in page  # the lagging village's label
    person = re.search(r'<option value="(s\d+)">', page)
    assert person
    placed = client.get(f"/runs/{RUN}", params={"town": town[1], "person": person[1]}).text
    assert "历次名次" in placed and RUN in placed
    assert client.get("/runs/no/such/run").status_code == 404


def test_the_run_downloads_as_a_workbook(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    _sign_in(client, _token(store, "auditor"))
    answer = client.get(f"/runs/{RUN}/workbook.xlsx")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    book = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True)
    assert len(book.sheetnames) >= 2
    first = book[book.sheetnames[0]]
    assert [c.value for c in next(first.iter_rows(max_row=1))][:2] == ["名次", "人员"]


def test_a_town_auditor_sees_only_its_town(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    roster = client.app.state.service.roster  # type: ignore[attr-defined]
    towns = [o.id for o in roster.organisations if o.level.value == "town"]
    _sign_in(client, _token(store, f"auditor@{towns[0]}"))
    page = client.get(f"/runs/{RUN}").text
    shown = re.findall(r'<option value="([^"]+)">\1</option>', page)
    assert len(shown) == 1  # one town's groups only


def test_a_ranking_prints_per_town_with_its_source(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    _sign_in(client, _token(store, "auditor"))
    notice = client.get(f"/notices/runs/{RUN}")
    assert notice.status_code == 200
    assert "依据：" in notice.text and "<caption>" in notice.text and "名次" in notice.text
    assert client.get("/notices/runs/no/such/run").status_code == 404


def test_a_persons_place_month_by_month_is_drawn(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    _sign_in(client, _token(store, "auditor"))
    month = "shizhong.cycle/monthly_ranking/2024-11"
    person = re.search(r'<option value="(s\d+)">', client.get(f"/runs/{month}").text)
    assert person
    page = client.get(f"/runs/{month}", params={"person": person[1]}).text
    assert page.count("shizhong.cycle/monthly_ranking/2024-1") >= 3  # October to December
    assert "<polyline" in page and page.count("<circle") == 3
