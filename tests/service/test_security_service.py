"""The service as a district exposes it (docs/security.md, "What a token may read and do"):
the roles × endpoints table read from the documentation and checked cell by cell, idempotency
keys bound to their request and their actor, version conflicts with and without a key, times
given by the caller bounded and recorded beside the service's, subjects the roster knows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from fastapi.testclient import TestClient

from governance_core import Engine
from governance_core.model import (
    EffectKind,
    ImposedEffect,
    Organisation,
    OrgLevel,
    Person,
    Post,
    Roster,
    converter,
)
from governance_core.rules.criteria.verdicts import ListVerdict
from governance_core.runtime import Actor
from governance_core.service import create_app
from governance_core.storage import SqlStore
from governance_core.storage.tokens import parse_grant
from tests.hostile.test_audit import PROCESS
from tests.support import ROOT, policy_yaml

JSON = {"Content-Type": "application/json"}  # the bodies sent are JSON
NOW = datetime(2024, 3, 1, 9)
ROSTER = Roster(
    organisations=(
        Organisation("d", "示例区", OrgLevel.DISTRICT),
        Organisation("t01", "一镇", OrgLevel.TOWN, "d"),
        Organisation("t02", "二镇", OrgLevel.TOWN, "d"),
        Organisation("v1", "一村", OrgLevel.VILLAGE, "t01"),
        Organisation("v2", "二村", OrgLevel.VILLAGE, "t02"),
    ),
    people=(Person("p1", "某甲"), Person("p2", "某乙"), Person("p3", "某丙")),
    posts=(
        Post("p1", "党组织书记", "v1", date(2020, 1, 1)),
        Post("p2", "党组织书记", "v2", date(2020, 1, 1)),
        # p3 left v1 before the service's date: roles in t01 no longer reach p3
        Post("p3", "党组织书记", "v1", date(2020, 1, 1), date(2024, 2, 1)),
    ),
)
LIST = "test.list"  # tests/support.py's list of one item


# test.warning, with its close taken by the committee by hand: the table's `fire` takes it
WARNING = PROCESS.replace(
    "        due: {kind: days, count: 30, automatic: true}\n", "        roles: [town_committee]\n"
)


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    folder = tmp_path_factory.mktemp("policy")
    (folder / "process.yaml").write_text(WARNING, encoding="utf-8")
    (folder / "list.yaml").write_text(policy_yaml(), encoding="utf-8")
    return Engine.load(policies=[folder / "process.yaml", folder / "list.yaml"])


def _service(engine: Engine, tmp_path: Path, **kwargs: Any) -> tuple[TestClient, SqlStore]:
    store = SqlStore(f"sqlite:///{tmp_path / 'service.db'}")
    app = create_app(engine, store, roster=ROSTER, clock=lambda: NOW, sweep_every=None, **kwargs)
    return TestClient(app), store


def _bearer(store: SqlStore, *roles: str, actor: str = "办理人") -> dict[str, str]:
    _record, text = store.tokens.create(actor, [parse_grant(r) for r in roles], NOW)
    return {"Authorization": f"Bearer {text}", "Accept-Language": "en", **JSON}


# --- the roles × endpoints table of docs/security.md ---------------------------------------


def _table(page: Path) -> tuple[list[str], dict[str, list[str]]]:
    """The table's tokens (its header) and each endpoint's row."""
    text = page.read_text(encoding="utf-8")
    rows = [
        [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("| ") and ("/v1/" in line or "town_committee@t01" in line)
    ]
    header, body = rows[0], rows[1:]
    return header[1:], {row[0]: row[1:] for row in body}


def test_the_table_is_the_same_in_both_languages() -> None:
    zh_tokens, zh_rows = _table(ROOT / "docs" / "security.md")
    en_tokens, en_rows = _table(ROOT / "docs" / "security.en.md")
    assert zh_tokens[1:] == en_tokens[1:] and zh_rows.keys() == en_rows.keys()
    empty = {"空": "empty"}
    assert {k: [empty.get(c, c) for c in v] for k, v in zh_rows.items()} == en_rows


TOKENS, ROWS = _table(ROOT / "docs" / "security.md")
CELLS = [
    pytest.param(endpoint, column, expected, id=f"{endpoint} × {TOKENS[column]}")
    for endpoint, row in ROWS.items()
    for column, expected in enumerate(row)
]


def _setting(engine: Engine, store: SqlStore) -> None:
    """An instance about p1 (warned once, so the outbox holds a row), and a recorded run."""
    runtime = engine.runtime(store)
    clerk = Actor("镇党委", frozenset({"town_committee"}))
    instance = runtime.start("test.warning", "p1", clerk, NOW, instance_id="w1")
    runtime.fire(instance, "warn", clerk, NOW)
    store.decisions.record_verdicts(_verdicts(engine), run="2024Q1")


def _verdicts(engine: Engine) -> list[ListVerdict]:
    return engine.evaluate(LIST, ROSTER.dossiers(NOW.date()), NOW.date())


def _ask(client: TestClient, endpoint: str, headers: dict[str, str]) -> Any:
    method, path = endpoint.split(" ", 1)
    path = (
        path.replace("/lists/{id}/evaluate", f"/lists/{LIST}/evaluate?as_of=2024-03-01")
        .replace("/instances/{id}", "/instances/w1")
        .replace("/policies/{id}", f"/policies/{LIST}")
        .replace("{process}", "test.warning")
        .replace("{run}", "2024Q1")
    )
    bodies = {
        "/v1/procedures/test.warning/instances": {"subject": "p1"},
        "/v1/instances/w1/fire": {"step": "close"},  # taken by town_committee (below)
        "/v1/procedures/test.warning/migrate": {"to": 1},
    }
    if "/evaluate" in path:
        return client.post(
            path, content=orjson.dumps(converter.unstructure(ROSTER)), headers=headers
        )
    if method == "POST":
        return client.post(path, json=bodies[path], headers=headers)
    return client.get(path, headers=headers)


@pytest.mark.parametrize(("endpoint", "column", "expected"), CELLS)
def test_every_cell_of_the_table(
    engine: Engine, tmp_path: Path, endpoint: str, column: int, expected: str
) -> None:
    client, store = _service(engine, tmp_path)
    _setting(engine, store)
    roles = [] if column == 0 else [TOKENS[column]]
    with client:
        response = _ask(client, endpoint, _bearer(store, *roles))
    if expected in ("空", "empty"):
        assert response.status_code == 200, response.text
        data = response.json()
        assert all(v == [] for k, v in data.items() if isinstance(v, list)), data
        return
    assert response.status_code == int(expected), response.text
    if response.status_code == 200 and endpoint.startswith("GET /v1/instances "):
        assert response.json()["instances"], "readable, so listed"
    if response.status_code == 404:  # not visible reads as never used: no existence leak
        assert "w1" in response.json()["detail"]


def test_no_token_is_401_everywhere_but_health(engine: Engine, tmp_path: Path) -> None:
    client, _store = _service(engine, tmp_path)
    with client:
        for endpoint in ROWS:
            assert _ask(client, endpoint, {}).status_code == 401, endpoint
        assert client.get("/v1/health").status_code == client.get("/v1/ready").status_code == 200


# --- idempotency keys -------------------------------------------------------------------


@pytest.fixture
def served(engine: Engine, tmp_path: Path) -> Iterator[tuple[TestClient, SqlStore]]:
    client, store = _service(engine, tmp_path)
    with client:
        yield client, store


def _start(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    path = "/v1/procedures/test.warning/instances"
    return client.post(path, json={"subject": "p1", **body}, headers=headers)


def test_a_key_with_another_request_is_422_naming_the_first(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    town = _bearer(store, "town_committee@t01", "town_committee@t02")
    keyed = {**town, "Idempotency-Key": "k1"}
    first = _start(client, keyed)
    assert first.status_code == 201
    again = _start(client, keyed)
    assert again.status_code == 201 and again.json()["instance"] == first.json()["instance"]
    for other in ({"subject": "p2"}, {"note": "另一件事"}):
        reused = _start(client, keyed, **other)
        assert reused.status_code == 422, reused.text
        assert "test.warning" in reused.json()["first_request"]
    moved = client.post("/v1/procedures/other/instances", json={"subject": "p1"}, headers=keyed)
    assert moved.status_code in (404, 422)  # another procedure: never the first instance
    assert len(list(store.instances())) == 1


def test_a_repeated_fire_with_other_evidence_is_not_a_repeat(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    town = _bearer(store, "town_committee@t01")
    instance = _start(client, town).json()["instance"]["id"]
    keyed = {**town, "Idempotency-Key": "f1"}
    path = f"/v1/instances/{instance}/fire"
    first = client.post(path, json={"step": "warn", "note": "第一次"}, headers=keyed)
    assert first.status_code == 200
    same = client.post(path, json={"step": "warn", "note": "第一次"}, headers=keyed)
    assert same.json()["repeated"] and same.json()["event"] == first.json()["event"]
    other = client.post(path, json={"step": "warn", "note": "另一份材料"}, headers=keyed)
    assert other.status_code == 422 and "first_request" in other.json()


def test_keys_are_per_actor(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    first = {**_bearer(store, "town_committee@t01", actor="甲"), "Idempotency-Key": "same"}
    second = {**_bearer(store, "town_committee@t01", actor="乙"), "Idempotency-Key": "same"}
    one, two = _start(client, first), _start(client, second)
    assert one.status_code == two.status_code == 201
    assert one.json()["instance"]["id"] != two.json()["instance"]["id"]
    # another token of the same actor is the same actor: the key is theirs
    again = {**_bearer(store, "town_committee@t01", actor="甲"), "Idempotency-Key": "same"}
    assert _start(client, again).json()["instance"] == one.json()["instance"]


@pytest.mark.parametrize("key", [None, "v-1"])
def test_a_stale_version_is_409_with_or_without_a_key(
    served: tuple[TestClient, SqlStore], key: str | None
) -> None:
    client, store = served
    town = _bearer(store, "town_committee@t01")
    instance = _start(client, town).json()["instance"]["id"]
    client.post(f"/v1/instances/{instance}/fire", json={"step": "warn"}, headers=town)
    headers = town if key is None else {**town, "Idempotency-Key": key}
    stale = client.post(
        f"/v1/instances/{instance}/fire", json={"step": "close", "version": 1}, headers=headers
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert len(store.events(instance)) == 2


# --- time ---------------------------------------------------------------------------------


def test_only_a_records_clerk_gives_a_time_and_never_ahead(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    town = _bearer(store, "town_committee@t01")
    yesterday = (NOW - timedelta(days=1)).isoformat()
    refused = _start(client, town, at=yesterday)
    assert refused.status_code == 403 and "records_clerk" in refused.json()["detail"]
    clerk = _bearer(store, "town_committee@t01", "records_clerk@t01")
    ahead = _start(client, clerk, at=(NOW + timedelta(hours=1)).isoformat())
    assert ahead.status_code == 422
    dated = _start(client, clerk, at=yesterday)
    assert dated.status_code == 201
    (event,) = dated.json()["events"]
    assert event["at"] == yesterday and event["recorded_at"] == NOW.isoformat()
    instance = dated.json()["instance"]["id"]
    before = client.post(
        f"/v1/instances/{instance}/fire",
        json={"step": "warn", "at": "2024-02-01T09:00"},
        headers=clerk,
    )
    assert before.status_code == 422 and before.json()["refusals"][0]["kind"] == "time"


def test_a_time_with_an_offset_is_the_services_time(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    clerk = _bearer(store, "town_committee@t01", "records_clerk@t01")
    given = datetime(2024, 2, 29, 9, tzinfo=datetime.now().astimezone().tzinfo)
    dated = _start(client, clerk, at=given.isoformat())
    assert dated.status_code == 201, dated.text
    assert dated.json()["events"][0]["at"] == "2024-02-29T09:00:00"  # local, as every event


def test_roles_count_as_held_at_the_services_time(served: tuple[TestClient, SqlStore]) -> None:
    """p3 left t01 before today: a clerk of t01 naming a day p3 was still there acts as of
    today, where t01's roles no longer reach p3."""
    client, store = served
    clerk = _bearer(store, "town_committee@t01", "records_clerk@t01")
    response = client.post(
        "/v1/procedures/test.warning/instances",
        json={"subject": "p3", "at": "2024-01-15T09:00"},
        headers=clerk,
    )
    assert response.status_code == 403


@pytest.mark.parametrize("subject", ["nobody", "p1\n", "p\x001", "p1\x1b[31m"])
def test_a_subject_the_roster_does_not_know_is_refused(
    served: tuple[TestClient, SqlStore], subject: str
) -> None:
    client, store = served
    everywhere = _bearer(store, "town_committee")
    response = _start(client, everywhere, subject=subject)
    assert response.status_code == 422, response.text
    assert list(store.instances()) == []


# --- a guard that reads an unknown value ---------------------------------------------------

# a secretary whose village's area (rural or urban) the roster does not say
AREALESS = Roster(
    organisations=(
        Organisation("d", "区", OrgLevel.DISTRICT),
        Organisation("t", "镇", OrgLevel.TOWN, "d"),
        Organisation("v", "村", OrgLevel.VILLAGE, "t"),
    ),
    people=(Person("s1", "某丁"),),
    posts=(Post("s1", "党组织书记", "v", date(2020, 1, 1)),),
)


@pytest.mark.districts
def test_allowed_shows_a_guard_reading_an_unknown_value(tmp_path: Path) -> None:
    """市中区's section-level treatment: the rural and urban extras are guarded by `when:
    holds_post_in(…)`, unknown for a post whose organisation has no area."""
    engine = Engine.load(plugins=["shizhong"])
    roster = Roster(
        organisations=(
            Organisation("t", "镇", OrgLevel.TOWN),
            Organisation("v", "村", OrgLevel.VILLAGE, "t"),
        ),
        people=(Person("s1", "某丁"),),
        posts=(Post("s1", "党组织书记", "v", date(2020, 1, 1)),),
    )
    store = SqlStore(f"sqlite:///{tmp_path / 'service.db'}")
    app = create_app(engine, store, roster=roster, clock=lambda: NOW, sweep_every=None)
    secretary = _bearer(store, "candidate")
    with TestClient(app) as client:
        started = client.post(
            "/v1/procedures/shizhong.section_level_treatment/instances",
            json={"subject": "s1"},
            headers=secretary,
        )
        assert started.status_code == 201, started.text
        instance = started.json()["instance"]["id"]
        allowed = client.get(f"/v1/instances/{instance}/allowed", headers=secretary)
    assert allowed.status_code == 200, allowed.text
    explained = [
        v["explanation"] for p in allowed.json() for v in p["verdicts"] if v["explanation"]
    ]
    assert any(e["value"] is None for e in explained)  # unknown is null in JSON
    assert all(r["kind"] for p in allowed.json() for r in p["refusals"])


@pytest.mark.districts
def test_the_command_line_shows_the_same(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from governance_core.cli import app

    roster = tmp_path / "roster.yaml"
    roster.write_text(
        yaml.safe_dump(
            converter.unstructure(AREALESS),
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    journal = str(tmp_path / "j.jsonl")
    runner = CliRunner()
    common = ["--plugin", "shizhong", "-j", journal]
    started = runner.invoke(
        app,
        [
            "process",
            "start",
            "shizhong.section_level_treatment",
            "s1",
            "--actor",
            "a",
            "--at",
            "2024-03-01T09:00",
            "--id",
            "t1",
            *common,
        ],
    )
    assert started.exit_code == 0, started.output
    shown = runner.invoke(
        app,
        [
            "process",
            "allowed",
            "t1",
            "--actor",
            "a",
            "--role",
            "candidate",
            "--at",
            "2024-03-02T09:00",
            "--roster",
            str(roster),
            "-f",
            "json",
            *common,
        ],
    )
    assert shown.exit_code == 0, shown.output
    assert re.search(r'"value": null', shown.output)


# --- bodies: content types, bounds ---------------------------------------------------------


@pytest.mark.parametrize("media", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_neither_json_nor_yaml_is_415(
    served: tuple[TestClient, SqlStore], media: str | None
) -> None:
    client, store = served
    headers = {k: v for k, v in _bearer(store).items() if k != "Content-Type"}
    if media is not None:
        headers["Content-Type"] = media
    path = f"/v1/lists/{LIST}/evaluate?as_of=2024-03-01"
    response = client.post(path, content=b'{"people": []}', headers=headers)
    assert response.status_code == 415, response.text
    assert "application/json" in response.json()["detail"]


def test_json_is_read_as_json_and_yaml_as_yaml(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    path = f"/v1/lists/{LIST}/evaluate?as_of=2024-03-01"
    yaml_only = b"people:\n  - {id: p1, name: \xe6\x9f\x90}\n"
    as_json = client.post(path, content=yaml_only, headers=_bearer(store))
    assert as_json.status_code == 422 and "malformed JSON" in as_json.json()["detail"]
    as_yaml = client.post(
        path, content=yaml_only, headers={**_bearer(store), "Content-Type": "application/yaml"}
    )
    assert as_yaml.status_code == 200, as_yaml.text
    nan = client.post(path, content=b'{"people": NaN}', headers=_bearer(store))
    assert nan.status_code == 422 and "NaN" in nan.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"people": [' + b",".join([b"1"] * 2000) + b"]}",  # counted before it is read
        b'{"people": [' + b",".join([b'{"id": "p"}'] * 600) + b"]}",  # counted once read
        b"people:\n" + b"".join(b"  - x\n" for _ in range(2000)),  # YAML: counted as read
        # YAML: what aliases repeat counts too (few events, many values)
        b"a: &x [" + b",".join([b"1"] * 300) + b"]\npeople: [*x, *x, *x, *x]\n",
    ],
)
def test_a_body_of_more_values_than_allowed_is_413(
    engine: Engine, tmp_path: Path, body: bytes
) -> None:
    from governance_core.service import Limits

    client, store = _service(engine, tmp_path, limits=Limits(max_values=1000))
    media = "application/json" if body.startswith(b"{") else "application/yaml"
    with client:
        response = client.post(
            f"/v1/lists/{LIST}/evaluate?as_of=2024-03-01",
            content=body,
            headers={**_bearer(store), "Content-Type": media},
        )
    assert response.status_code == 413 and "1,000" in response.json()["detail"]


def test_more_people_than_allowed_are_413_before_they_are_read(
    engine: Engine, tmp_path: Path
) -> None:
    from governance_core.service import Limits

    client, store = _service(engine, tmp_path, limits=Limits(max_people=10))
    people = [{"id": f"p{n}", "nom": "wrong"} for n in range(50)]  # wrong, and too many
    with client:
        response = client.post(
            f"/v1/lists/{LIST}/evaluate?as_of=2024-03-01",
            content=orjson.dumps({"people": people}),
            headers=_bearer(store),
        )
    assert response.status_code == 413 and "50" in response.json()["detail"]


def test_the_openapi_document_declares_the_token_and_typed_bodies(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, _store = served
    document = client.get("/openapi.json").json()
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    body = document["paths"]["/v1/lists/{list_id}/evaluate"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/json", "application/yaml"}
    roster = document["components"]["schemas"]["Roster"]
    assert {"people", "posts"} <= set(roster["properties"])
    assert document["paths"]["/v1/policies"]["get"]["security"] == [{"token": []}]


def test_a_procedure_about_a_matter_is_opened_by_a_role_held_everywhere(
    served: tuple[TestClient, SqlStore],
) -> None:
    """四议两公开 is about a village's matter, which no roster holds: it belongs nowhere, so
    only a role held everywhere opens it."""
    client, store = served
    path = "/v1/procedures/core.four_deliberations_two_disclosures/instances"
    opened = client.post(
        path, json={"subject": "修村道"}, headers=_bearer(store, "village_party_branch")
    )
    assert opened.status_code == 201, opened.text
    town = _bearer(store, "village_party_branch@t01")
    assert client.post(path, json={"subject": "修桥"}, headers=town).status_code == 403


# --- effects: only where the role is held ---------------------------------------------------


def test_effects_are_shown_only_where_auditor_is_held(engine: Engine, tmp_path: Path) -> None:
    client, store = _service(engine, tmp_path)
    bars = [
        ImposedEffect(f"q/bar/{p}", "t.bar", p, EffectKind.BAR, date(2024, 1, 1), bars="awards")
        for p in ("p1", "p2")
    ]
    store.effects.impose(bars)
    store.effects.lift("q/bar/p2", date(2024, 2, 1), by="镇党委", reason="复核")
    with client:
        here = client.get("/v1/effects", headers=_bearer(store, "auditor@t01")).json()
        everywhere = client.get("/v1/effects", headers=_bearer(store, "auditor")).json()
        every = client.get(
            "/v1/effects?all=true&person=p2", headers=_bearer(store, "auditor")
        ).json()
    assert here["as_of"] == "2024-03-01"  # the service's date
    assert [e["person"] for e in here["effects"]] == ["p1"]
    assert [e["person"] for e in everywhere["effects"]] == ["p1"]  # p2's was lifted
    (lifted,) = every["effects"]
    assert (lifted["lifted_on"], lifted["in_force"]) == ("2024-02-01", False)


DUTY_POLICY = """\
effects:
  - id: t.talk
    title: {zh: 诫勉谈话, en: Admonition}
    kind: duty
    subject: person
    imposed_by: [{list: test.list}]
    lasts: {until_lifted: true}
    due: {working_days: 3}
    done_by: {id: town_committee, title: {zh: 镇党委, en: Town committee}}
    citation: {document: 测试文件, article: 第二条, source: test.txt}
"""


def test_open_duties_are_tasks_of_the_role_that_carries_them_out(tmp_path: Path) -> None:
    (tmp_path / "process.yaml").write_text(WARNING, encoding="utf-8")
    (tmp_path / "list.yaml").write_text(policy_yaml(), encoding="utf-8")
    (tmp_path / "duty.yaml").write_text(DUTY_POLICY, encoding="utf-8")
    engine = Engine.load(
        policies=[tmp_path / n for n in ("process.yaml", "list.yaml", "duty.yaml")]
    )
    client, store = _service(engine, tmp_path)
    due = date(2024, 2, 27)  # before the service's date: overdue
    store.effects.impose(
        [
            ImposedEffect(
                "r/t.talk/p1", "t.talk", "p1", EffectKind.DUTY, date(2024, 2, 22), due=due
            ),
            ImposedEffect(
                "r/t.talk/p2", "t.talk", "p2", EffectKind.DUTY, date(2024, 2, 22), due=due
            ),
        ]
    )
    with client:
        mine = client.get("/v1/tasks", headers=_bearer(store, "town_committee@t01")).json()
        other = client.get("/v1/tasks", headers=_bearer(store, "auditor")).json()
    duties = [t for t in mine["tasks"] if t["kind"] == "duty"]
    assert [(t["effect"], t["overdue"], t["last_day"]) for t in duties] == [
        ("r/t.talk/p1", True, "2024-02-27")  # p2 is in t02: not this committee's
    ]
    assert "第二条" in duties[0]["citation"] and duties[0]["role"] == "town_committee"
    assert [t for t in other["tasks"] if t["kind"] == "duty"] == []
    store.effects.lift("r/t.talk/p1", date(2024, 2, 28), by="镇党委", reason="已谈话")
    with client:
        after = client.get("/v1/tasks", headers=_bearer(store, "town_committee@t01")).json()
    assert [t for t in after["tasks"] if t["kind"] == "duty"] == []  # done: the task closes


def test_an_administrator_migrates_over_http(tmp_path: Path) -> None:
    from tests.jobs.test_migration import _store

    v2, url = _store(tmp_path, ["noted", "warned"])
    engine = Engine.load(policies=[v2])
    store = SqlStore(url)
    app = create_app(engine, store, roster=ROSTER, clock=lambda: NOW, sweep_every=None)
    admin = _bearer(store, "administrator")
    with TestClient(app) as client:
        path = "/v1/procedures/test.warning/migrate"
        plan = client.post(path, json={"to": 2}, headers=admin).json()
        assert plan["dry_run"] and [m["instance"] for m in plan["moves"]] == ["w0"]
        assert client.post(path, json={"to": 2, "dry_run": False}, headers=admin).status_code == 422
        assert client.post(path, json={"to": 3}, headers=admin).status_code == 422
        town = _bearer(store, "town_committee@t01")
        assert client.post(path, json={"to": 2}, headers=town).status_code == 403
        body = {"to": 2, "dry_run": False, "reason": "第二版", "map": {"warned": "talked"}}
        done = client.post(path, json=body, headers=admin).json()
    assert [m["instance"] for m in done["moves"]] == ["w0", "w1"]
    assert store.load("w1").state == "talked"
