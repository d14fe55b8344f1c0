"""The workbench's pages (docs/workbench.md), server-side: signing in with a token and a
session cookie, CSRF on every form, 我的待办 and 程序 for each role (what they must and must
not show), a refused step explained item by item, a step taken once however often its form
is sent, a stale page told so, personal data masked, Chinese and English, and no address
outside the service in any page or asset."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from governance_core import Engine
from governance_core.model import Finding, Organisation, OrgLevel, Person, Post, Roster
from governance_core.service import create_app
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from governance_core.storage.tokens import parse_grant
from tests.runtime.test_workflow import guarded_yaml

NOW = datetime(2024, 3, 1, 9)
ROSTER = Roster(
    organisations=(
        Organisation("d", "示例区", OrgLevel.DISTRICT),
        Organisation("t01", "一镇", OrgLevel.TOWN, "d"),
        Organisation("t02", "二镇", OrgLevel.TOWN, "d"),
        Organisation("v1", "一村", OrgLevel.VILLAGE, "t01"),
        Organisation("v2", "二村", OrgLevel.VILLAGE, "t02"),
    ),
    people=(Person("p1", "王建国"), Person("p2", "李明"), Person("p3", "赵强")),
    posts=(
        Post("p1", "党组织书记", "v1", date(2020, 1, 1)),
        Post("p2", "党组织书记", "v1", date(2020, 1, 1)),
        Post("p3", "党组织书记", "v2", date(2020, 1, 1)),
    ),
    findings=(Finding("F1", "p2", "涉黑涉恶", date(2024, 2, 1), "镇纪委"),),
)
ID_CARD = "110101199003071233"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[TestClient, SqlStore]]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(guarded_yaml(), encoding="utf-8")
    store = SqlStore(f"sqlite:///{tmp_path / 'service.db'}")
    engine = Engine.load(policies=[policy])
    app = create_app(engine, store, roster=ROSTER, clock=lambda: NOW, sweep_every=None)
    with TestClient(app) as client:
        yield client, store


def _token(store: SqlStore, *roles: str, raw: bool = False, actor: str = "镇党委书记") -> str:
    _record, text = store.tokens.create(
        actor, [parse_grant(r) for r in roles], NOW, raw_personal_data=raw
    )
    return text


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found[1]


def _sign_in(client: TestClient, token: str) -> None:
    form = client.get("/signin")
    assert form.status_code == 200
    signed = client.post(
        "/signin",
        data={"login": _field(form.text, "login"), "token": token},
        follow_redirects=False,
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/tasks", signed.text
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def _start(client: TestClient, token: str, subject: str) -> str:
    answer = client.post(
        "/v1/procedures/test.dismissal/instances",
        json={"subject": subject},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["instance"]["id"])


def _take(client: TestClient, instance: str, page: str, **fields: str) -> httpx.Response:
    data = {
        "csrf": _field(page, "csrf"),
        "step": "decide",
        "version": _field(page, "version"),
        "key": _field(page, "key"),
        "confirm": "yes",
        **fields,
    }
    sent: httpx.Response = client.post(
        f"/instances/{instance}/steps", data=data, follow_redirects=False
    )
    return sent


def test_a_page_needs_a_session_and_a_bad_token_is_refused(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, _store = served
    for path in ("/", "/tasks", "/instances/x"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/signin"
    form = client.get("/signin")
    wrong = client.post("/signin", data={"login": _field(form.text, "login"), "token": "gov_x_y"})
    assert wrong.status_code == 401 and "令牌不存在、已吊销或已过期" in wrong.text


def test_sign_in_needs_the_forms_own_login_token(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    token = _token(store, "town@t01")
    client.get("/signin")
    forged = client.post("/signin", data={"login": "abc", "token": token}, follow_redirects=False)
    assert forged.status_code == 403
    assert client.get("/tasks", follow_redirects=False).status_code == 303  # not signed in


def test_my_tasks_shows_what_waits_where_the_role_is_held(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    here, there = _token(store, "town@t01"), _token(store, "town@t02", actor="二镇书记")
    mine = [_start(client, here, "p1"), _start(client, here, "p2")]
    theirs = _start(client, there, "p3")
    _sign_in(client, here)
    page = client.get("/tasks")
    assert page.status_code == 200
    assert "我的待办" in page.text and "集体研究" in page.text
    for instance in mine:
        assert instance in page.text
    assert theirs not in page.text and "p3" not in page.text
    assert "共 2 项，显示 2 项" in page.text
    only_town_two = client.get("/tasks", params={"town": "t02"})
    assert "共 2 项，显示 0 项" in only_town_two.text
    # the other town's instance does not exist for this session
    assert client.get(f"/instances/{theirs}").status_code == 404


def test_a_refused_step_says_why_item_by_item_and_an_allowed_one_is_taken_once(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    token = _token(store, "town@t01")
    refused, allowed = _start(client, token, "p1"), _start(client, token, "p2")
    _sign_in(client, token)
    page = client.get(f"/instances/{refused}").text
    assert "现在不能办理" in page
    assert "退出情形" in page and "涉黑涉恶" in page  # the list's verdict, item by item
    assert 'name="confirm"' not in page  # nothing to take here
    page = client.get(f"/instances/{allowed}").text
    assert 'name="evidence.minutes"' in page and "会议记录" in page
    taken = _take(client, allowed, page, **{"evidence.minutes": "2024-03号"})
    assert taken.status_code == 303 and "taken=decide" in taken.headers["location"]
    again = _take(client, allowed, page, **{"evidence.minutes": "2024-03号"})
    assert again.status_code == 303  # a double click: the first result, nothing twice
    history = client.get(f"/v1/instances/{allowed}", headers={"Authorization": f"Bearer {token}"})
    assert [e["step"] for e in history.json()["events"]] == ["start", "decide"]
    shown = client.get(taken.headers["location"]).text
    assert "已办理步骤 集体研究" in shown and "镇党委书记" in shown and "minutes=2024-03号" in shown
    assert verify(store).ok


def test_a_stale_page_is_told_so_and_a_missing_confirmation_takes_nothing(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    token = _token(store, "town@t01")
    instance = _start(client, token, "p2")
    _sign_in(client, token)
    page = client.get(f"/instances/{instance}").text
    unconfirmed = _take(client, instance, page, confirm="", **{"evidence.minutes": "1号"})
    assert unconfirmed.status_code == 422 and "请勾选确认" in unconfirmed.text
    stale = page.replace(_field(page, "key"), "anotherkeyfromanothertab")
    assert _take(client, instance, page, **{"evidence.minutes": "1号"}).status_code == 303
    conflict = _take(client, instance, stale, **{"evidence.minutes": "2号"})
    assert conflict.status_code == 409 and "现在是第 2 版" in conflict.text


def test_every_form_needs_the_sessions_csrf_token(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    token = _token(store, "town@t01")
    instance = _start(client, token, "p2")
    _sign_in(client, token)
    page = client.get(f"/instances/{instance}").text
    forged = page.replace(_field(page, "csrf"), "forgedforgedforged")
    answer = _take(client, instance, forged, **{"evidence.minutes": "1号"})
    assert answer.status_code == 403
    assert (
        client.get(
            f"/v1/instances/{instance}", headers={"Authorization": f"Bearer {token}"}
        ).json()["instance"]["version"]
        == 1
    )
    not_a_form = client.post(f"/instances/{instance}/steps", json={"step": "decide"})
    assert not_a_form.status_code == 415
    # signing out ends the session; a revoked token ends it too
    client.post("/signout", data={"csrf": _field(page, "csrf")})
    assert client.get("/tasks", follow_redirects=False).status_code == 303
    _sign_in(client, token)
    store.tokens.revoke(token.split("_")[1], NOW)
    assert client.get("/tasks", follow_redirects=False).status_code == 303


def test_personal_data_is_masked_unless_the_token_may_see_it(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    token, raw = _token(store, "town@t01"), _token(store, "town@t01", raw=True)
    instance = _start(client, token, "p2")
    _sign_in(client, token)
    page = client.get(f"/instances/{instance}").text
    _take(client, instance, page, note=f"身份证 {ID_CARD}", **{"evidence.minutes": "1号"})
    masked = client.get(f"/instances/{instance}").text
    assert ID_CARD not in masked and "110101" in masked
    _sign_in(client, raw)
    assert ID_CARD in client.get(f"/instances/{instance}").text


def test_pages_speak_english_when_asked_and_keep_it(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    token = _token(store, "town@t01")
    _sign_in(client, token)
    english = client.get("/tasks", params={"lang": "en"})
    assert "My tasks" in english.text and "我的待办" not in english.text
    assert "My tasks" in client.get("/tasks").text  # the choice is kept
    assert "我的待办" in client.get("/tasks", params={"lang": "zh"}).text


def test_no_page_or_asset_names_another_machine(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    token = _token(store, "town@t01")
    instance = _start(client, token, "p2")
    _sign_in(client, token)
    pages = [client.get(p) for p in ("/signin", "/tasks", f"/instances/{instance}", "/docs")]
    addresses: list[str] = []
    for answer in pages:
        assert answer.status_code == 200
        addresses += re.findall(r'(?:src|href|action)="([^"]+)"', answer.text)
        assert "Content-Security-Policy" in answer.headers or answer.url.path == "/docs"
    assert addresses and all(a.startswith(("/", "#")) for a in addresses), addresses
    style = client.get("/static/workbench.css")
    assert style.status_code == 200 and "http" not in style.text and "@import" not in style.text
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_the_policies_in_force_on_a_day_item_by_item(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    _sign_in(client, _token(store, "town@t01"))
    page = client.get("/policies", params={"on": "2024-03-01"})
    assert page.status_code == 200
    assert "退出情形" in page.text and "完整（1/1项）" in page.text and "免职" in page.text
    assert "/policies/analysis" not in page.text  # the analysis is for auditors and policy staff
    items = client.get("/policies/lists/test.exit", params={"on": "2024-03-01"})
    assert items.status_code == 200 and "has_finding(&#34;涉黑涉恶&#34;)" in items.text
    assert "启动程序" in items.text and "第一条" in items.text
    assert client.get("/policies/lists/test.exi").status_code == 404
    assert client.get("/policies", params={"on": "昨天"}).status_code == 422
    assert client.get("/policies/analysis").status_code == 403


def test_the_analysis_page_is_for_auditors(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    _sign_in(client, _token(store, "auditor"))
    assert "/policies/analysis" in client.get("/policies").text
    found = client.get("/policies/analysis")
    assert found.status_code == 200 and "分析发现的问题" in found.text


def test_a_persons_check_shows_the_dossier_and_each_verdict_item_by_item(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    _sign_in(client, _token(store, "town@t01"))
    page = client.get("/check")
    assert page.status_code == 200 and "王建国" in page.text and "赵强" not in page.text
    checked = client.get("/check", params={"person": "p2", "list": "test.exit"})
    assert checked.status_code == 200
    text = checked.text
    assert "李明 在 2024-03-01 的档案" in text and "一村 (v1)" in text  # the dossier and posts
    assert "涉黑涉恶" in text and "镇纪委" in text  # the finding read
    assert "退出情形" in text and "满足" in text and "第一条" in text  # the verdict, its article
    assert "没有来源提供" in text  # documents: unknown, not "none"
    # another town's person does not exist for this caller; a bad list or day is said so
    assert client.get("/check", params={"person": "p3"}).status_code == 404
    assert client.get("/check", params={"person": "p2", "list": "x"}).status_code == 404
    assert client.get("/check", params={"person": "p2", "on": "2024-13-01"}).status_code == 422


def test_a_procedures_notice_lists_who_is_in_the_state_with_its_dates(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    token = _token(store, "town@t01")
    instance = _start(client, token, "p2")
    _sign_in(client, token)
    page = client.get(f"/instances/{instance}").text
    _take(client, instance, page, **{"evidence.minutes": "1号"})
    notice = client.get("/notices/procedures/test.dismissal/notice")
    assert notice.status_code == 200
    text = notice.text
    assert "免职：公示" in text and "李明" in text and "一村 党组织书记" in text
    assert "2024-03-01" in text and "2024-03-08" in text  # 5 working days of notice
    assert "依据：" in text and "没有公布其格式" in text
    assert client.get("/notices/procedures/test.dismissal/nowhere").status_code == 404
    assert client.get("/notices/procedures/nothing/notice").status_code == 404
    # another town's committee sees nobody in it
    _sign_in(client, _token(store, "town@t02", actor="二镇书记"))
    assert "李明" not in client.get("/notices/procedures/test.dismissal/notice").text


def test_the_audit_page_verifies_the_chain_for_an_auditor_held_everywhere(
    served: tuple[TestClient, SqlStore],
) -> None:
    client, store = served
    _start(client, _token(store, "town@t01"), "p2")
    _sign_in(client, _token(store, "auditor@t01"))
    assert 'href="/audit"' not in client.get("/tasks").text
    assert client.get("/audit").status_code == 403
    _sign_in(client, _token(store, "auditor"))
    page = client.get("/audit")
    assert page.status_code == 200 and "哈希链核对无误" in page.text
    with store.engine.begin() as c:  # the procedure's pinned definition edited in the database
        c.exec_driver_sql(
            "UPDATE definitions SET body = json_set(body, '$.steps[0].roles[0]', 'anyone')"
        )
    broken = client.get("/audit")
    assert broken.status_code == 200 and "核对不通过" in broken.text


def test_a_session_is_known_to_every_worker_and_kept_hashed(
    served: tuple[TestClient, SqlStore], tmp_path: Path
) -> None:
    client, store = served
    _sign_in(client, _token(store, "town@t01"))
    cookie = client.cookies["governance_session"]
    # another worker: another application over the same database
    policy = tmp_path / "policy.yaml"
    other = create_app(
        Engine.load(policies=[policy]),
        SqlStore(str(store.engine.url)),
        roster=ROSTER,
        clock=lambda: NOW,
        sweep_every=None,
    )
    with TestClient(other) as second:
        second.cookies.set("governance_session", cookie)
        assert second.get("/tasks", follow_redirects=False).status_code == 200
    with store.engine.connect() as c:
        kept = [row[0] for row in c.exec_driver_sql("SELECT id_hash FROM web_sessions")]
    assert kept and cookie not in kept


def test_a_hostile_form_is_refused_whole(served: tuple[TestClient, SqlStore]) -> None:
    client, store = served
    token = _token(store, "town@t01")
    instance = _start(client, token, "p2")
    _sign_in(client, token)
    csrf = _field(client.get(f"/instances/{instance}").text, "csrf")
    url = f"/instances/{instance}/steps"
    form = {"content-type": "application/x-www-form-urlencoded"}
    huge = client.post(url, content=b"csrf=" + b"a" * 70_000, headers=form)
    assert huge.status_code == 413
    fields = "&".join(f"f{n}=1" for n in range(300))
    many = client.post(url, content=f"csrf={csrf}&{fields}".encode(), headers=form)
    assert many.status_code == 400
    not_utf8 = client.post(url, content=b"csrf=" + "张".encode("gbk"), headers=form)
    assert not_utf8.status_code == 400
    assert (
        client.get(
            f"/v1/instances/{instance}", headers={"Authorization": f"Bearer {token}"}
        ).json()["instance"]["version"]
        == 1
    )  # nothing taken
