"""The audit covers what decides: edits of an instance's subject or process, of a pinned
definition, of the outbox and of deadlines all break verification; malformed rows are
reported at their position; an audit never creates or writes a database; heads are signed
with Ed25519 so that an auditor needs the public key only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, delete, insert, select, text, update
from typer.testing import CliRunner

from governance_core import Actor, Engine
from governance_core.cli import app
from governance_core.storage import SqlStore, StoreError
from governance_core.storage import _schema as schema
from governance_core.storage.audit import Head, verify
from governance_core.storage.signing import (
    generate_keys,
    sign_head_ed25519,
    verify_head_ed25519,
)

AT = datetime(2024, 3, 1, 9)
CLERK = Actor("镇党委", frozenset({"town_committee"}))

PROCESS = """\
processes:
  - id: test.warning
    title: {zh: 提醒谈话, en: A warning talk}
    citation: {document: 测试, article: 第一条, source: tests/hostile/test_audit.py}
    subject: person
    initial: noted
    roles:
      - {id: town_committee, title: {zh: 镇党委, en: Town committee}}
    states:
      - {id: noted, title: {zh: 已登记, en: Noted}}
      - {id: warned, title: {zh: 已谈话, en: Warned}}
      - {id: closed, title: {zh: 已结束, en: Closed}, terminal: true}
    steps:
      - id: warn
        title: {zh: 提醒谈话, en: Warn}
        sources: [noted]
        dest: warned
        roles: [town_committee]
        consequence: {zh: 年度考核不得评为优秀, en: Not excellent this year}
      - id: close
        title: {zh: 结束, en: Close}
        sources: [warned]
        dest: closed
        due: {kind: days, count: 30, automatic: true}
"""


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    policy = tmp_path / "process.yaml"
    policy.write_text(PROCESS, encoding="utf-8")
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    runtime = Engine.load(policies=[policy]).runtime(store)
    for n in (1, 2):
        instance = runtime.start("test.warning", f"p{n}", CLERK, AT, instance_id=f"w{n}")
        runtime.fire(instance, "warn", CLERK, AT)
    assert verify(store).ok
    return store


def _tampered(store: SqlStore, edit: Callable[[Connection], Any]) -> str:
    with store.engine.begin() as c:
        edit(c)
    report = verify(store)
    assert not report.ok and report.broken_at is not None
    return report.reason or ""


TAMPERING: dict[str, tuple[Callable[[Connection], Any], str]] = {
    "subject": (
        lambda c: c.execute(
            update(schema.instances).where(schema.instances.c.id == "w1").values(subject="p9")
        ),
        "subject",
    ),
    "process": (
        lambda c: c.execute(
            update(schema.instances)
            .where(schema.instances.c.id == "w1")
            .values(process="test.other")
        ),
        "process",
    ),
    "state": (
        lambda c: c.execute(
            update(schema.instances).where(schema.instances.c.id == "w2").values(state="closed")
        ),
        "state",
    ),
    "deadline moved": (
        lambda c: c.execute(
            update(schema.deadlines)
            .where(schema.deadlines.c.instance == "w1")
            .values(last_day=date(2099, 1, 1))
        ),
        "deadlines",
    ),
    "deadline deleted": (
        lambda c: c.execute(delete(schema.deadlines).where(schema.deadlines.c.instance == "w2")),
        "deadlines",
    ),
    "consequence edited": (
        lambda c: c.execute(
            update(schema.outbox)
            .where(schema.outbox.c.instance == "w1")
            .values(payload={"zh": "无", "en": "none"})
        ),
        "outbox",
    ),
    "consequence deleted": (
        lambda c: c.execute(delete(schema.outbox).where(schema.outbox.c.instance == "w2")),
        "outbox",
    ),
    "consequence forged": (
        lambda c: c.execute(
            insert(schema.outbox).values(
                instance="w1", sequence=1, kind="consequence", payload={"zh": "免职", "en": "x"}
            )
        ),
        "outbox",
    ),
    "definition edited": (
        lambda c: c.execute(
            update(schema.definitions).values(
                body=text("json_set(body, '$.steps[0].roles[0]', 'anyone')")
            )
        ),
        "definition",
    ),
}


@pytest.mark.parametrize("name", sorted(TAMPERING))
def test_an_edit_of_what_decides_breaks_the_audit(store: SqlStore, name: str) -> None:
    edit, named = TAMPERING[name]
    assert named in _tampered(store, edit)


MALFORMED: dict[str, Callable[[Connection], Any]] = {
    "invalid JSON": lambda c: c.execute(
        update(schema.events).where(schema.events.c.position == 2).values(body="{not json")
    ),
    "an empty object": lambda c: c.execute(
        update(schema.events).where(schema.events.c.position == 2).values(body="{}")
    ),
    "a blob": lambda c: c.execute(text("UPDATE events SET body = X'00FF10' WHERE position = 2")),
    "a state that is not JSON": lambda c: c.execute(
        update(schema.events).where(schema.events.c.position == 2).values(state="[")
    ),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_row_is_a_broken_position_not_a_crash(store: SqlStore, name: str) -> None:
    with store.engine.begin() as c:
        MALFORMED[name](c)
    report = verify(store)
    assert report.broken_at == 2 and report.reason


def test_a_dropped_table_is_reported_not_raised(store: SqlStore) -> None:
    with store.engine.begin() as c:
        c.execute(text("DROP TABLE outbox"))
    report = verify(store)
    assert not report.ok and "cannot be read" in (report.reason or "")


def test_an_audit_never_creates_or_migrates_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    with pytest.raises(StoreError, match="no database file"):
        SqlStore(f"sqlite:///{missing}", create=False)
    assert not missing.exists()
    result = CliRunner().invoke(app, ["audit", "verify", "--database", f"sqlite:///{missing}"])
    assert result.exit_code == 1 and "ok" not in result.output and not missing.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(StoreError, match="no store at schema revision"):
        SqlStore(f"sqlite:///{empty}", create=False)
    assert empty.stat().st_size == 0


def test_a_store_without_its_revision_is_refused(store: SqlStore) -> None:
    with store.engine.begin() as c:
        c.execute(text("DELETE FROM alembic_version"))
    url = str(store.engine.url)
    with pytest.raises(StoreError, match="no store at schema revision"):
        SqlStore(url, create=False)


def test_heads_are_signed_and_verified_with_ed25519(store: SqlStore, tmp_path: Path) -> None:
    private, public = tmp_path / "head.key", tmp_path / "head.pub"
    generate_keys(private, public)
    assert private.stat().st_mode & 0o077 == 0
    head = verify(store).head
    signature = sign_head_ed25519(head, private)
    assert verify_head_ed25519(head, signature, public)
    assert not verify_head_ed25519(Head(head.position + 1, head.hash), signature, public)
    assert not verify_head_ed25519(head, "not base64!", public)
    with pytest.raises(StoreError.__mro__[1], match="never overwritten"):
        generate_keys(private, tmp_path / "other.pub")


def test_the_command_line_signs_and_checks_a_head(store: SqlStore, tmp_path: Path) -> None:
    url = str(store.engine.url)
    runner = CliRunner()
    keys = ["--private-key", str(tmp_path / "k"), "--public-key", str(tmp_path / "k.pub")]
    assert runner.invoke(app, ["audit", "keygen", *keys]).exit_code == 0
    printed = runner.invoke(
        app, ["audit", "head", "--database", url, "--signing-key", str(tmp_path / "k")]
    )
    assert printed.exit_code == 0, printed.output
    head, signature = printed.output.split()[0], printed.output.split("ed25519=")[1].strip()
    check = [
        "audit",
        "verify",
        "--database",
        url,
        "--head",
        head,
        "--public-key",
        str(tmp_path / "k.pub"),
    ]
    assert runner.invoke(app, [*check, "--signature", signature]).exit_code == 0
    forged = signature[:-4] + ("AAAA" if not signature.endswith("AAAA") else "BBBB")
    refused = runner.invoke(app, [*check, "--signature", forged])
    assert refused.exit_code == 1 and "签名" in refused.output
    missing_key = runner.invoke(
        app, ["audit", "head", "--database", url, "--key-file", str(tmp_path / "none")]
    )
    assert missing_key.exit_code == 1 and "Traceback" not in missing_key.output


def test_the_deadlines_an_instance_had_are_what_the_chain_says(store: SqlStore) -> None:
    with store.engine.connect() as c:
        rows = c.execute(select(schema.deadlines.c.instance, schema.deadlines.c.last_day)).all()
    assert sorted(rows) == [("w1", date(2024, 3, 31)), ("w2", date(2024, 3, 31))]
