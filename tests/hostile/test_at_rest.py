"""Personal data at rest: with a key kept outside the database, the store and the journal
hold ID-card and mobile numbers only encrypted; records still link and are found by their
ids; the audit chain verifies with or without the key."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from governance_core import Actor, Engine
from governance_core.errors import ConfigError
from governance_core.files.protection import (
    KEY_FILE_VARIABLE,
    protect,
    read_key_file,
    reveal,
    use_personal_data_key,
)
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from governance_core.storage.journal import JournalStore
from tests.hostile.test_masking import ID

MOBILE = "13812345678"
FOUR = "core.four_deliberations_two_disclosures"
AT = datetime(2024, 3, 1, 9)
BRANCH = Actor(f"支书{MOBILE}", frozenset({"village_party_branch"}))


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "personal-data.key"
    path.write_bytes(os.urandom(64).hex().encode())
    monkeypatch.setenv(KEY_FILE_VARIABLE, str(path))
    yield path
    use_personal_data_key(None)


def _walk(store: SqlStore | JournalStore) -> None:
    runtime = Engine.load().runtime(store)
    instance = runtime.start(FOUR, f"修路 {ID}", BRANCH, AT, instance_id=f"m-{ID}")
    runtime.fire(instance, "propose", BRANCH, AT, evidence={"proposal": f"联系 {MOBILE}"})


def test_the_database_holds_no_personal_number(key_file: Path, tmp_path: Path) -> None:
    database = tmp_path / "governance.db"
    store = SqlStore(f"sqlite:///{database}")
    _walk(store)
    store.engine.dispose()
    dump = "\n".join(sqlite3.connect(database).iterdump())
    assert ID not in dump and MOBILE not in dump and "pd1~" in dump
    instance = store.load(f"m-{ID}")  # found by its id, read back whole
    assert instance.subject == f"修路 {ID}"
    assert store.events(instance.id)[1].evidence == (("proposal", f"联系 {MOBILE}"),)
    assert verify(store).ok
    use_personal_data_key(None)  # an auditor without the key verifies the same chain
    audited = verify(SqlStore(f"sqlite:///{database}", create=False))
    assert audited.ok and audited.head == verify(store).head


def test_the_journal_holds_no_personal_number(key_file: Path, tmp_path: Path) -> None:
    journal = tmp_path / "journal.jsonl"
    _walk(JournalStore(journal))
    text = journal.read_text(encoding="utf-8")
    assert ID not in text and MOBILE not in text
    assert JournalStore(journal).load(f"m-{ID}").subject == f"修路 {ID}"


def test_without_a_key_text_is_kept_as_it_is(tmp_path: Path) -> None:
    assert protect(f"x {ID}") == reveal(f"x {ID}") == f"x {ID}"


def test_the_same_number_is_the_same_token(key_file: Path) -> None:
    use_personal_data_key(read_key_file(key_file))
    assert protect(ID) == protect(ID) != ID and reveal(protect(f"a {ID} b")) == f"a {ID} b"


@pytest.mark.parametrize("content", [b"", b"short", b"z" * 200])
def test_a_bad_key_file_is_a_config_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(ConfigError):
        read_key_file(path)
