"""Procedures through the service: roles come from the token's actor and the organisation
the subject belongs to; idempotency keys; version conflicts; eight clients at once on SQLite
and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from governance_core import Engine
from governance_core.model import Organisation, OrgLevel, Person, Post, Roster
from governance_core.service import create_app
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from governance_core.storage.tokens import parse_grant
from tests.hostile.test_audit import PROCESS

NOW = datetime(2024, 3, 1, 9)
ROSTER = Roster(
    organisations=(
        Organisation("d", "示例区", OrgLevel.DISTRICT),
        Organisation("t01", "一镇", OrgLevel.TOWN, "d"),
        Organisation("t02", "二镇", OrgLevel.TOWN, "d"),
        Organisation("v1", "一村", OrgLevel.VILLAGE, "t01"),
    ),
    people=tuple(Person(f"p{n}", f"某{n}") for n in range(1, 9)),
    posts=tuple(Post(f"p{n}", "党组织书记", "v1", date(2020, 1, 1)) for n in range(1, 9)),
)


def _app(tmp_path: Path, url: str) -> tuple[TestClient, SqlStore]:
    policy = tmp_path / "process.yaml"
    policy.write_text(PROCESS, encoding="utf-8")
    store = SqlStore(url)
    app = create_app(Engine.load(policies=[policy]), store, roster=ROSTER, clock=lambda: NOW)
    return TestClient(app), store


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, SqlStore]]:
    client, store = _app(tmp_path, f"sqlite:///{tmp_path / 'service.db'}")
    with client:
        yield client, store


def _bearer(store: SqlStore, *roles: str) -> dict[str, str]:
    _record, text = store.tokens.create("镇党委书记", [parse_grant(r) for r in roles], NOW)
    return {"Authorization": f"Bearer {text}", "Accept-Language": "en"}


def _start(client: TestClient, headers: dict[str, str], subject: str = "p1") -> str:
    response = client.post(
        "/v1/procedures/test.warning/instances", json={"subject": subject}, headers=headers
    )
    assert response.status_code == 201, response.text
    return str(response.json()["instance"]["id"])


def test_a_role_counts_where_it_is_held(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    here, elsewhere = _bearer(store, "town_committee@t01"), _bearer(store, "town_committee@t02")
    refused = client.post(
        "/v1/procedures/test.warning/instances", json={"subject": "p1"}, headers=elsewhere
    )
    assert refused.status_code == 403 and "town_committee" in refused.json()["detail"]
    instance = _start(client, here)
    # another town's committee may not know the instance exists
    hidden = client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=elsewhere)
    assert hidden.status_code == 404
    # a role held here but not the step's: the runtime refuses it, as a role refusal
    auditor = _bearer(store, "auditor@t01")
    denied = client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=auditor)
    assert denied.status_code == 403 and "step 'warn' may be taken by town_committee" in denied.text
    assert denied.json()["refusals"][0]["kind"] == "role"
    allowed = client.get(f"/v1/instances/{instance}/allowed", headers=here).json()
    assert [p["step"] for p in allowed if p["allowed"]] == ["warn"]
    fired = client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=here)
    assert fired.status_code == 200 and fired.json()["instance"]["state"] == "warned"
    assert fired.json()["event"]["role"] == "town_committee"
    assert fired.json()["event"]["authenticated"].startswith("token:")  # who, and how
    everywhere = _bearer(store, "town_committee")  # held everywhere: a district officer
    assert client.get(f"/v1/instances/{instance}/allowed", headers=everywhere).status_code == 200


def test_an_idempotency_key_repeats_the_first_result(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    headers = _bearer(store, "town_committee@t01")
    instance = _start(client, headers)
    keyed = {**headers, "Idempotency-Key": "fire-1"}
    first = client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=keyed)
    again = client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=keyed)
    assert first.status_code == again.status_code == 200
    assert again.json()["repeated"] and again.json()["event"] == first.json()["event"]
    assert len(client.get(f"/v1/instances/{instance}", headers=headers).json()["events"]) == 2


def test_a_stale_version_is_409_with_the_current_one(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    headers = _bearer(store, "town_committee@t01")
    instance = _start(client, headers)
    client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=headers)
    stale = client.post(
        f"/v1/instances/{instance}/fire", json={"step": "warn", "version": 1}, headers=headers
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    refused = client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=headers)
    assert refused.status_code == 422 and refused.json()["reasons"]
    missing = client.post("/v1/instances/nothing/fire", json={"step": "warn"}, headers=headers)
    assert missing.status_code == 404


def test_search_by_process_state_subject_and_organisation(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    headers = _bearer(store, "town_committee@t01")
    _start(client, headers, "p1")
    _start(client, headers, "p2")

    def ids(query: str) -> list[str]:
        found = client.get(f"/v1/instances?{query}", headers=headers).json()["instances"]
        return sorted(i["subject"] for i in found)

    assert ids("process=test.warning") == ["p1", "p2"]
    assert ids("subject=p2") == ["p2"] and ids("state=warned") == []
    assert ids("organisation=t01") == ["p1", "p2"] and ids("organisation=t02") == []


def test_eight_clients_fire_the_same_instances(tmp_path: Path, database: str) -> None:
    client, store = _app(tmp_path, database)
    with client:
        headers = _bearer(store, "town_committee@t01")
        instances = [_start(client, headers, f"p{n}") for n in range(1, 9)]

        answers: list[str] = []

        def fire(instance: str) -> int:
            body = {"step": "warn", "version": 1}
            response = client.post(f"/v1/instances/{instance}/fire", json=body, headers=headers)
            answers.append(response.text[:300])
            return int(response.status_code)

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(fire, [i for i in instances for _ in range(8)]))
    for k in range(8):
        mine = statuses[8 * k : 8 * k + 8]
        assert sorted(mine) == [200] + [409] * 7, (mine, answers[:3])  # each transition once
    for instance in instances:
        assert [e.step for e in store.events(instance)] == ["start", "warn"]
    assert verify(store).ok


def test_tasks_list_what_waits_for_the_caller(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    here, elsewhere = _bearer(store, "town_committee@t01"), _bearer(store, "town_committee@t02")
    first = _start(client, here, "p1")
    _start(client, here, "p2")
    client.post(f"/v1/instances/{first}/fire", json={"step": "warn"}, headers=here)
    tasks = client.get("/v1/tasks", headers=here).json()["tasks"]
    # p1's instance waits for the automatic close (no role): only p2's warn is a task
    assert [(t["subject"], t["step"], t["role"]) for t in tasks] == [
        ("p2", "warn", "town_committee")
    ]
    assert client.get("/v1/tasks", headers=elsewhere).json()["tasks"] == []


def test_records_runs_outbox_and_audit(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    town = _bearer(store, "town_committee@t01")
    instance = _start(client, town)
    client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=town)
    for path in ("/v1/outbox", "/v1/audit/head", "/v1/audit/verify", "/v1/runs"):
        assert client.get(path, headers=town).status_code == 403  # auditor's
    headers = _bearer(store, "auditor")
    outbox = client.get("/v1/outbox", headers=headers).json()["outbox"]
    assert [row["kind"] for row in outbox] and outbox[0]["status"] == "pending"
    head = client.get("/v1/audit/head", headers=headers).json()
    assert head["position"] == store.head()[0] == 4  # two tokens issued, a start and a step
    checked = client.get("/v1/audit/verify", headers=headers).json()
    assert checked["ok"] and checked["replay_differs"] == []
    assert client.get("/v1/runs", headers=headers).json() == {"runs": []}
    assert client.get("/v1/runs/2024Q4", headers=headers).status_code == 404


def test_the_service_sweeps_due_steps_itself(tmp_path: Path) -> None:
    import time

    policy = tmp_path / "process.yaml"
    policy.write_text(PROCESS, encoding="utf-8")
    store = SqlStore(f"sqlite:///{tmp_path / 'service.db'}")
    later = datetime(2024, 5, 1, 9)  # the 30 days to close have passed
    app = create_app(
        Engine.load(policies=[policy]), store, roster=ROSTER, clock=lambda: later, sweep_every=0.05
    )
    with TestClient(app) as client:
        headers = _bearer(store, "town_committee@t01", "records_clerk@t01")  # dates the past
        body = {"subject": "p1", "at": NOW.isoformat()}
        created = client.post("/v1/procedures/test.warning/instances", json=body, headers=headers)
        instance = created.json()["instance"]["id"]
        client.post(
            f"/v1/instances/{instance}/fire",
            json={"step": "warn", "at": NOW.isoformat()},
            headers=headers,
        )
        for _ in range(100):
            if store.load(instance).state == "closed":
                break
            time.sleep(0.05)
    assert store.load(instance).state == "closed"
    assert [e.step for e in store.events(instance)] == ["start", "warn", "close"]


def test_governance_sweep_for_cron(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from governance_core.cli import app

    policy = tmp_path / "process.yaml"
    policy.write_text(PROCESS, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'cron.db'}"
    runtime = Engine.load(policies=[policy]).runtime(SqlStore(url))
    from governance_core import Actor

    clerk = Actor("镇党委", frozenset({"town_committee"}))
    runtime.fire(runtime.start("test.warning", "p1", clerk, NOW), "warn", clerk, NOW)
    command = ["sweep", "--until", "2024-05-01", "--database", url, "--policy", str(policy)]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0 and "已办理 1 个步骤" in first.output, first.output
    again = CliRunner().invoke(app, command)
    assert "已办理 0 个步骤" in again.output  # idempotent


def test_the_command_line_says_its_roles_were_claimed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from governance_core.cli import app

    policy = tmp_path / "process.yaml"
    policy.write_text(PROCESS, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'local.db'}"
    common = ["--policy", str(policy), "--database", url, "--actor", "镇党委", "-f", "json"]
    runner = CliRunner()
    started = runner.invoke(
        app,
        [
            "process",
            "start",
            "test.warning",
            "p1",
            "--id",
            "w1",
            "--at",
            "2024-03-01T09:00",
            *common,
        ],
    )
    assert started.exit_code == 0, started.output
    fired = runner.invoke(
        app,
        [
            "process",
            "fire",
            "w1",
            "warn",
            "--role",
            "town_committee",
            "--at",
            "2024-03-01T10:00",
            *common,
        ],
    )
    assert fired.exit_code == 0, fired.output
    events = SqlStore(url).events("w1")
    assert [e.authenticated for e in events] == ["command-line", "command-line"]


def test_eight_clients_on_loopback(tmp_path: Path, database: str) -> None:
    """The same race through a real server on 127.0.0.1: eight clients, eight connections."""
    import socket
    import subprocess
    import sys
    import time

    import httpx
    import yaml

    from governance_core.model import converter

    policy, roster = tmp_path / "process.yaml", tmp_path / "roster.yaml"
    policy.write_text(PROCESS, encoding="utf-8")
    roster.write_text(
        yaml.safe_dump(converter.unstructure(ROSTER), allow_unicode=True), encoding="utf-8"
    )
    store = SqlStore(database)
    headers = _bearer(store, "town_committee@t01", "records_clerk@t01")
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
            database,
            "--policy",
            str(policy),
            "--roster",
            str(roster),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        instances = []
        for n in range(1, 9):
            started = httpx.post(
                f"{base}/v1/procedures/test.warning/instances",
                json={"subject": f"p{n}", "at": NOW.isoformat()},
                headers=headers,
            )
            assert started.status_code == 201, started.text
            instances.append(started.json()["instance"]["id"])

        def client_fires(_client: int) -> list[int]:
            with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
                body = {"step": "warn", "version": 1, "at": NOW.isoformat()}
                return [
                    client.post(f"/v1/instances/{i}/fire", json=body).status_code for i in instances
                ]

        with ThreadPoolExecutor(8) as pool:
            by_client = list(pool.map(client_fires, range(8)))
    finally:
        server.terminate()
        server.wait(10)
    for k in range(8):
        assert sorted(statuses[k] for statuses in by_client) == [200] + [409] * 7
    for instance in instances:
        assert [e.step for e in store.events(instance)] == ["start", "warn"]
    assert verify(store).ok
