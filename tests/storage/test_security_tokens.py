"""Tokens in the hash chain (docs/security.md): issuing, changing and revoking a token are
chained records; a token row edited or inserted in the database is refused at authentication,
by the live service too, and reported by `governance audit verify`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, text, update

from governance_core import Engine
from governance_core.errors import TokenError
from governance_core.service import create_app
from governance_core.storage import SqlStore
from governance_core.storage import _schema as schema
from governance_core.storage.audit import verify
from governance_core.storage.tokens import parse_grant

NOW = datetime(2024, 3, 1, 9)
TODAY = NOW.date()


@pytest.fixture
def store(tmp_path: Path) -> SqlStore:
    return SqlStore(f"sqlite:///{tmp_path / 'tokens.db'}")


def _issue(store: SqlStore, *roles: str) -> tuple[str, str]:
    record, secret = store.tokens.create("镇长", [parse_grant(r) for r in roles], NOW)
    return record.id, secret


def test_issue_change_and_revoke_are_chained(store: SqlStore) -> None:
    token_id, secret = _issue(store, "town_committee@t01")
    store.tokens.change(token_id, NOW, grants=[parse_grant("auditor")], raw_personal_data=True)
    found = store.tokens.verify(secret, TODAY)
    assert found is not None and [str(g) for g in found.grants] == ["auditor"]
    assert found.raw_personal_data
    assert store.tokens.revoke(token_id, NOW)
    assert store.tokens.verify(secret, TODAY) is None
    report = verify(store)
    assert report.ok, report.reason
    assert report.rows == 3  # issued, changed, revoked
    with pytest.raises(TokenError, match="no token"):
        store.tokens.change(token_id, NOW, raw_personal_data=False)  # revoked: not in use


def test_an_expiry_already_past_is_refused(store: SqlStore) -> None:
    with pytest.raises(TokenError, match="already past"):
        store.tokens.create("a", [], NOW, expires_on=date(2024, 2, 29))
    assert store.tokens.all() == []


def _raise_roles(store: SqlStore, token_id: str) -> None:
    with store.engine.begin() as c:
        c.execute(
            update(schema.tokens).where(schema.tokens.c.id == token_id).values(roles=["auditor"])
        )


def _show_personal_data(store: SqlStore, token_id: str) -> None:
    with store.engine.begin() as c:
        c.execute(
            update(schema.tokens)
            .where(schema.tokens.c.id == token_id)
            .values(raw_personal_data=True)
        )


def _unrevoke(store: SqlStore, token_id: str) -> None:
    store.tokens.revoke(token_id, NOW)
    with store.engine.begin() as c:
        c.execute(
            update(schema.tokens).where(schema.tokens.c.id == token_id).values(revoked_at=None)
        )


def _extend(store: SqlStore, token_id: str) -> None:
    with store.engine.begin() as c:
        c.execute(
            update(schema.tokens)
            .where(schema.tokens.c.id == token_id)
            .values(expires_on=date(2999, 1, 1), actor="另一个人")
        )


TAMPERS: dict[str, Callable[[SqlStore, str], None]] = {
    "roles raised": _raise_roles,
    "personal data turned on": _show_personal_data,
    "revocation undone": _unrevoke,
    "expiry and actor changed": _extend,
}


@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_an_edited_token_row_is_refused_and_reported(store: SqlStore, tamper: str) -> None:
    token_id, secret = _issue(store, "town_committee@t01")
    TAMPERS[tamper](store, token_id)
    assert store.tokens.verify(secret, TODAY) is None
    report = verify(store)
    assert not report.ok and token_id in (report.reason or "")


def test_a_token_inserted_with_a_known_secret_is_refused_by_the_live_service(
    store: SqlStore,
) -> None:
    _issue(store, "town_committee@t01")  # the chain holds a real token, and verifies
    secret = "known-secret"
    with store.engine.begin() as c:
        c.execute(
            insert(schema.tokens).values(
                id="deadbeefdeadbeef",
                secret_hash=hashlib.sha256(secret.encode()).hexdigest(),
                actor="攻击者",
                roles=["auditor"],
                raw_personal_data=True,
                created_at=NOW,
            )
        )
    text_token = f"gov_deadbeefdeadbeef_{secret}"
    assert store.tokens.verify(text_token, TODAY) is None
    app = create_app(Engine.from_files([]), store, clock=lambda: NOW, sweep_every=None)
    with TestClient(app) as client:
        answer = client.get("/v1/audit/head", headers={"Authorization": f"Bearer {text_token}"})
    assert answer.status_code == 401
    report = verify(store)
    assert not report.ok and "deadbeefdeadbeef" in (report.reason or "")


def test_a_deleted_token_row_is_reported(store: SqlStore) -> None:
    token_id, _secret = _issue(store)
    with store.engine.begin() as c:
        c.execute(text("DELETE FROM tokens"))
    report = verify(store)
    assert not report.ok and token_id in (report.reason or "")


def test_audit_verify_on_the_command_line_reports_it(store: SqlStore, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from governance_core.cli import app

    token_id, _secret = _issue(store, "town_committee@t01")
    _raise_roles(store, token_id)
    result = CliRunner().invoke(
        app, ["audit", "verify", "--database", f"sqlite:///{tmp_path / 'tokens.db'}"]
    )
    assert result.exit_code != 0 and token_id in result.output


def test_a_verified_token_is_kept_until_a_token_record_is_added_anywhere(
    store: SqlStore, tmp_path: Path
) -> None:
    # a request costs one look-up once its token is verified; a revocation made elsewhere
    # (another process's store on the same database) is honoured at the next request
    token_id, secret = _issue(store, "town_committee@t01")
    first = store.tokens.verify(secret, TODAY)
    assert first is not None
    _raise_roles(store, token_id)  # edited by hand after it was verified:
    kept = store.tokens.verify(secret, TODAY)  # what the chain said is what is used
    assert kept is not None and kept.grants == first.grants
    elsewhere = SqlStore(f"sqlite:///{tmp_path / 'tokens.db'}")
    _other_id, other_secret = _issue(elsewhere, "auditor")
    assert store.tokens.verify(secret, TODAY) is None  # now verified afresh: refused
    elsewhere.tokens.revoke(_other_id, NOW)
    assert store.tokens.verify(other_secret, TODAY) is None
    assert store.tokens.verify(secret + "x", TODAY) is None
