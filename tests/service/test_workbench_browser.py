"""The workbench in a real browser: Debian's headless Chromium driven by Playwright against
the service on loopback. Sign in, see the tasks, open an instance, read why a step is
refused, take an allowed one, see the history and the chain verify; the same with the
keyboard only; axe-core (WCAG 2.1 AA rules) finds no serious or critical violation on any
page. Screenshots of each page are kept in ``build/screenshots`` (the test run's artefacts).

Needs /usr/bin/chromium (``scripts/test browser`` installs it with Debian's packages) and
axe-core (installed by the same lane with npm into ``build/axe``); skipped without them."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from governance_core import Engine
from governance_core.service import create_app
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from tests.runtime.test_workflow import guarded_yaml
from tests.service.test_workbench import NOW, ROSTER, _token
from tests.support import ROOT

CHROMIUM = Path(os.environ.get("GOVERNANCE_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(os.environ.get("GOVERNANCE_AXE", ROOT / "build/axe/node_modules/axe-core/axe.min.js"))
SHOTS = Path(os.environ.get("GOVERNANCE_SCREENSHOTS", ROOT / "build/screenshots"))
# as the machine's notes say: no background networking on a closed network
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, for as long as the block runs."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, SqlStore]]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(guarded_yaml(), encoding="utf-8")
    store = SqlStore(f"sqlite:///{tmp_path / 'service.db'}")
    app = create_app(
        Engine.load(policies=[policy]), store, roster=ROSTER, clock=lambda: NOW, sweep_every=None
    )
    with _serving(app) as base:
        yield base, store


@pytest.fixture
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


def _start(store: SqlStore, subject: str) -> str:
    from governance_core.runtime import Actor

    runtime = Engine.load(policies=[_policy_of(store)]).runtime(store, roster=ROSTER)
    instance = runtime.start(
        "test.dismissal", subject, Actor("镇党委书记", frozenset({"town"})), NOW
    )
    return instance.id


def _policy_of(store: SqlStore) -> Path:
    return Path(str(store.engine.url.database)).parent / "policy.yaml"


def _shot(page: Any, name: str, *, whole: bool = True) -> None:
    """Keep a picture of the page: whole, or what the window shows (a long run's page)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=whole)


def _serious(page: Any) -> list[str]:
    """The serious and critical violations axe-core finds on the page (WCAG 2.1 A and AA)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return list(found)


def test_a_clerk_signs_in_reads_why_and_takes_a_step(
    site: tuple[str, SqlStore], browser: Any
) -> None:
    base, store = site
    refused, allowed = _start(store, "p1"), _start(store, "p2")
    token = _token(store, "town@t01")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{base}/signin")
    _shot(page, "signin")
    page.get_by_label("令牌").fill(token)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/tasks")
    assert page.get_by_role("heading", name="我的待办").is_visible()
    _shot(page, "tasks")
    page.get_by_role("link", name="集体研究").first.click()
    page.goto(f"{base}/instances/{refused}")
    assert page.get_by_text("现在不能办理").is_visible()
    assert page.get_by_text("涉黑涉恶").first.is_visible()
    _shot(page, "instance-refused")
    page.goto(f"{base}/instances/{allowed}")
    page.get_by_label("会议记录（文书编号）").fill("2024-03号")
    page.get_by_label(re.compile("我确认办理此步骤")).check()
    page.get_by_role("button", name="办理").click()
    page.wait_for_url(re.compile(r".*taken=decide"))
    assert page.get_by_role("status").inner_text().startswith("已办理步骤 集体研究")
    _shot(page, "instance-taken")
    assert [e.step for e in store.events(allowed)] == ["start", "decide"]
    assert verify(store).ok
    # nothing asked of any machine but the service
    assert requests and all(u.startswith(base) for u in requests), requests
    context.close()
    # the district's auditor sees the chain verify
    auditor = browser.new_context(locale="zh-CN").new_page()
    auditor.goto(f"{base}/signin")
    auditor.get_by_label("令牌").fill(_token(store, "auditor"))
    auditor.get_by_role("button", name="登录").click()
    auditor.wait_for_url(f"{base}/tasks")
    auditor.get_by_role("link", name="审计").click()
    assert auditor.get_by_role("status").inner_text().startswith("哈希链核对无误")
    _shot(auditor, "audit")


def test_the_same_with_the_keyboard_only(site: tuple[str, SqlStore], browser: Any) -> None:
    base, store = site
    allowed = _start(store, "p2")
    token = _token(store, "town@t01")
    page = browser.new_context(locale="zh-CN").new_page()

    def tab_to(selector: str) -> None:
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement.matches({selector!r})"):
                return
        raise AssertionError(f"Tab never reaches {selector}")

    page.goto(f"{base}/signin")
    tab_to("#token")
    page.keyboard.type(token)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/tasks")
    tab_to("table.tasks a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/instances/.*"))
    tab_to("input[name='evidence.minutes']")
    page.keyboard.type("2024-05号")
    tab_to("input[name='confirm']")
    page.keyboard.press("Space")
    tab_to("form.step button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*taken=decide"))
    assert [e.step for e in store.events(allowed)] == ["start", "decide"]


@pytest.mark.skipif(not AXE.exists(), reason=f"no axe-core at {AXE}")
def test_axe_finds_no_serious_violation_on_any_page(
    site: tuple[str, SqlStore], browser: Any
) -> None:
    base, store = site
    refused = _start(store, "p1")
    token = _token(store, "town@t01")
    # axe is injected as a script, which the pages' own policy rightly refuses
    page = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
    page.goto(f"{base}/signin")
    found = {"signin": _serious(page)}
    page.get_by_label("令牌").fill(token)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/tasks")
    pages = (
        ("tasks", "/tasks"),
        ("instance", f"/instances/{refused}"),
        ("policies", "/policies"),
        ("policy-list", "/policies/lists/test.exit"),
        ("check", "/check?person=p2"),
        ("notice", "/notices/procedures/test.dismissal/found"),
    )
    for name, path in pages:
        page.goto(base + path)
        _shot(page, name)
        found[name] = _serious(page)
    page.goto(f"{base}/tasks?lang=en")
    found["tasks-en"] = _serious(page)
    assert found == {name: [] for name in found}


@pytest.mark.districts  # the example district's plugins decide the run
@pytest.mark.skipif(not AXE.exists(), reason=f"no axe-core at {AXE}")
def test_axe_on_the_pages_of_a_recorded_run(tmp_path: Path, browser: Any) -> None:
    from governance_core.jobs.cycle_run import run_period
    from tests.jobs.test_replay import PERIOD, _district, _engine

    engine = _engine()
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    district = _district(engine, 2024)
    run_period(engine, PERIOD, district, store)  # type: ignore[arg-type]
    roster = district.roster  # type: ignore[attr-defined]
    app = create_app(engine, store, roster=roster, clock=lambda: NOW, sweep_every=None)
    with _serving(app) as base:
        page = browser.new_context(locale="zh-CN", bypass_csp=True).new_page()
        page.goto(f"{base}/signin")
        page.get_by_label("令牌").fill(_token(store, "auditor"))
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}/tasks")
        found = {}
        person = roster.people[0].id
        for name, path in (
            ("runs", "/runs"),
            ("run", f"/runs/shizhong.cycle/monthly_ranking/2024-11?person={person}"),
            ("check-example", f"/check?person={person}"),
            ("ranking", "/notices/runs/shizhong.cycle/monthly_ranking/2024-11"),
        ):
            page.goto(base + path)
            _shot(page, name, whole=False)
            found[name] = _serious(page)
        assert found == {name: [] for name in found}
