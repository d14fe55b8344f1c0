"""The HTTP service (docs/service.md): tokens, problems, policies and evaluation, through
FastAPI's test client on a SQLite store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from governance_core import Engine
from governance_core.service import Limits, create_app
from governance_core.storage import SqlStore
from governance_core.storage.tokens import parse_grant
from tests.support import ROOT

EXAMPLE = ROOT / "src" / "governance_core" / "examples" / "roster.yaml"
JSON = {"Content-Type": "application/json"}  # the bodies sent are JSON
NOW = datetime(2024, 7, 1, 9)


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    return SqlStore(f"sqlite:///{tmp_path / 'service.db'}")


@pytest.fixture
def client(store: SqlStore) -> Iterator[TestClient]:
    engine = Engine.load(plugins=["shizhong"])
    app = create_app(
        engine, store, limits=Limits(max_body_bytes=200_000, max_people=50), clock=lambda: NOW
    )
    with TestClient(app) as test_client:
        yield test_client


def _token(store: SqlStore, *roles: str, raw: bool = False) -> dict[str, str]:
    _record, text = store.tokens.create(
        "区委组织部", [parse_grant(r) for r in roles], NOW, raw_personal_data=raw
    )
    return {"Authorization": f"Bearer {text}", "Accept-Language": "en", **JSON}


def _roster_json() -> bytes:
    import yaml

    return orjson.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))


@pytest.mark.districts
def test_health_and_readiness_need_no_token(client: TestClient) -> None:
    assert client.get("/v1/health").json() == {"status": "ok"}
    ready = client.get("/v1/ready").json()
    assert ready["status"] == "ready" and ready["events"] == 0


@pytest.mark.districts
def test_openapi_is_3_1_and_lists_the_endpoints(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/v1/policies", "/v1/lists/{list_id}/evaluate", "/v1/check"} <= set(spec["paths"])


@pytest.mark.districts
@pytest.mark.parametrize("header", [None, "Bearer", "Bearer gov_x_y", "Basic abc"])
def test_no_or_a_bad_token_is_401_as_a_problem(client: TestClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/v1/policies", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["status"] == 401


@pytest.mark.districts
def test_a_revoked_or_expired_token_is_401(client: TestClient, store: SqlStore) -> None:
    record, text = store.tokens.create("a", [], NOW)
    store.tokens.revoke(record.id, NOW)
    assert (
        client.get("/v1/policies", headers={"Authorization": f"Bearer {text}"}).status_code == 401
    )
    _old, stale = store.tokens.create("a", [], NOW, expires_on=NOW.date())
    issued = datetime(2024, 6, 1)  # issued while it was valid; the service's day is past it
    _older, expired = store.tokens.create("a", [], issued, expires_on=date(2024, 6, 30))
    assert (
        client.get("/v1/policies", headers={"Authorization": f"Bearer {expired}"}).status_code
        == 401
    )
    # expires on 2024-07-01 itself: still valid that day
    assert (
        client.get("/v1/policies", headers={"Authorization": f"Bearer {stale}"}).status_code == 200
    )


@pytest.mark.districts
def test_policies_list_and_one_policy(client: TestClient, store: SqlStore) -> None:
    headers = _token(store, "district")
    found = client.get("/v1/policies", headers=headers).json()
    ids = [entry["list_id"] for entry in found["lists"]]
    assert "shizhong.exit_conditions" in ids
    one = client.get("/v1/policies/shizhong.exit_conditions", headers=headers).json()
    assert one["kind"] == "list" and one["completeness"]["declared"] == 9
    assert "已编码" in one["completeness_text"] or "9" in one["completeness_text"]
    missing = client.get("/v1/policies/shizhong.exit_conditons", headers=headers)
    assert missing.status_code == 404 and "shizhong.exit_conditions" in missing.json()["detail"]


@pytest.mark.districts
def test_evaluate_gives_the_command_line_s_shape(client: TestClient, store: SqlStore) -> None:
    headers = _token(store, "district")
    response = client.post(
        "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30",
        content=_roster_json(),
        headers=headers,
    )
    assert response.status_code == 200, response.text
    verdicts = response.json()
    assert {v["person_id"] for v in verdicts} >= {"p002"}
    assert all("summary" in v and all("reasons" in i for i in v["items"]) for v in verdicts)
    one = client.post(
        "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30&person=p002",
        content=_roster_json(),
        headers=headers,
    )
    assert [v["person_id"] for v in one.json()] == ["p002"]


@pytest.mark.districts
def test_a_bad_roster_is_a_located_problem(client: TestClient, store: SqlStore) -> None:
    headers = _token(store, "district")
    body = b'{"people": [{"id": "p1", "name": "\xe5\xbc\xa0", "birth_date": "1990-13-01"}]}'
    response = client.post(
        "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30",
        content=body,
        headers=headers,
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["title"] == "cannot be processed"
    (first,) = problem["problems"]
    assert first["file"] == "request body" and first["line"] == 1 and first["column"]
    malformed = client.post(
        "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30",
        content=b'{"people": [',
        headers=headers,
    )
    assert malformed.status_code == 422 and malformed.json()["problems"][0]["line"] is not None


@pytest.mark.districts
def test_limits_on_body_and_people(client: TestClient, store: SqlStore) -> None:
    headers = _token(store, "district")
    url = "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30"
    big = client.post(url, content=b" " * 300_000, headers=headers)
    assert big.status_code == 413
    people = [{"id": f"p{n}", "name": "某"} for n in range(60)]
    many = client.post(url, content=orjson.dumps({"people": people}), headers=headers)
    assert many.status_code == 413 and "50" in many.json()["detail"]


@pytest.mark.districts
def test_a_bad_query_is_422_with_its_location(client: TestClient, store: SqlStore) -> None:
    headers = _token(store, "district")
    response = client.post("/v1/lists/x/evaluate?as_of=yesterday", content=b"{}", headers=headers)
    assert response.status_code == 422
    assert response.json()["problems"][0]["location"] == ["query", "as_of"]


def test_tokens_from_the_command_line(tmp_path: Path, store: SqlStore) -> None:
    from typer.testing import CliRunner

    from governance_core.cli import app

    url = f"sqlite:///{tmp_path / 'service.db'}"
    runner = CliRunner()
    made = runner.invoke(
        app,
        [
            "token",
            "create",
            "王镇长",
            "--role",
            "town_committee@t01",
            "--role",
            "district",
            "--expires",
            "2999-12-31",
            "--database",
            url,
        ],
    )
    assert made.exit_code == 0, made.output
    text = made.stdout.splitlines()[0]
    found = store.tokens.verify(text, date(2024, 7, 1))
    assert found is not None and found.actor == "王镇长"
    assert [str(g) for g in found.grants] == ["town_committee@t01", "district"]
    listed = runner.invoke(app, ["token", "list", "--database", url, "-f", "json"])
    assert orjson.loads(listed.stdout)[0]["id"] == found.id and text not in listed.stdout
    assert runner.invoke(app, ["token", "revoke", found.id, "--database", url]).exit_code == 0
    assert store.tokens.verify(text, date(2024, 7, 1)) is None
    again = runner.invoke(app, ["token", "revoke", found.id, "--database", url])
    assert again.exit_code == 1 and "没有在用的令牌" in again.output
    bad = runner.invoke(app, ["token", "create", "a", "--role", "x@", "--database", url])
    assert bad.exit_code == 2
    past = runner.invoke(
        app, ["token", "create", "a", "--expires", "2020-01-01", "--database", url]
    )
    assert past.exit_code == 2 and "已经过去" in past.output


@pytest.mark.districts
@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_answers_on_loopback(tmp_path: Path, workers: str) -> None:
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "governance_core.cli",
            "serve",
            "--port",
            str(port),
            "--database",
            f"sqlite:///{tmp_path / 'served.db'}",
            "--plugin",
            "shizhong",
            "--workers",
            workers,
            "--roster",
            str(EXAMPLE),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(200):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the service did not answer in 20 s")
        assert response.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/v1/policies").status_code == 401
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.districts
def test_a_bug_is_one_line_never_a_traceback(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = Engine.load(plugins=["shizhong"])
    monkeypatch.setattr(Engine, "check", lambda self, day: 1 / 0)
    app = create_app(engine, store, clock=lambda: NOW, sweep_every=None)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/v1/check", headers=_token(store, "policy_staff"))
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"].startswith("internal error (ZeroDivisionError)")
    assert "Traceback" not in response.text


@pytest.mark.districts
def test_a_small_body_is_decided_without_a_hop_to_a_thread(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.concurrency import run_in_threadpool

    hops: list[object] = []

    async def counted(job: Callable[[], object]) -> object:
        hops.append(job)
        return await run_in_threadpool(job)

    monkeypatch.setattr("governance_core.service.context.run_in_threadpool", counted)
    engine = Engine.load(plugins=["shizhong"])
    answers = []
    for limits in (Limits(), Limits(inline_body_bytes=0)):
        app = create_app(engine, store, clock=lambda: NOW, sweep_every=None, limits=limits)
        with TestClient(app) as client:
            response = client.post(
                "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30",
                content=_roster_json(),
                headers=_token(store),
            )
        assert response.status_code == 200, response.text
        answers.append(response.json())
    assert answers[0] == answers[1] and answers[0]
    assert len(hops) == 1  # the second service only
    assert len(_roster_json()) <= Limits().inline_body_bytes


@pytest.mark.districts
def test_a_request_over_its_time_is_503(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def slow(*_args: object, **_kwargs: object) -> list[object]:
        time.sleep(0.5)
        return []

    engine = Engine.load(plugins=["shizhong"])
    monkeypatch.setattr(Engine, "evaluate", slow)
    limits = Limits(timeout_seconds=0.05, inline_body_bytes=0)  # even a small body: a thread
    app = create_app(engine, store, clock=lambda: NOW, sweep_every=None, limits=limits)
    with TestClient(app) as client:
        response = client.post(
            "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30",
            content=_roster_json(),
            headers=_token(store),
        )
    assert response.status_code == 503 and "0.05 s" in response.json()["detail"]


@pytest.mark.districts
def test_problems_are_in_chinese_unless_english_is_asked_for(
    client: TestClient, store: SqlStore
) -> None:
    chinese = {"Authorization": _token(store)["Authorization"]}  # no Accept-Language
    missing = client.get("/v1/policies/nothing.here", headers=chinese).json()
    assert missing["title"] == "未找到" and missing["detail"].startswith("没有编号为")
    bad = client.post("/v1/lists/x/evaluate?as_of=yesterday", content=b"{}", headers=chinese)
    problem = bad.json()
    assert problem["title"] == "无法处理" and problem["problems"][0]["message"].startswith("请以")
    unauthenticated = client.get("/v1/policies").json()
    assert unauthenticated["detail"].startswith("请提供令牌")
    english = client.get("/v1/policies/nothing.here", headers=_token(store)).json()
    assert english["title"] == "not found"
