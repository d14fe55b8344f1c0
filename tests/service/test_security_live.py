"""The service on loopback as an attacker meets it (docs/security.md): personal data never in
its log, however the path encodes it; a client that goes away or never finishes its body
costs one line, never a traceback, and a bounded wait."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from starlette.requests import Request

from governance_core.service import Limits
from governance_core.service.context import read_body
from governance_core.service.problems import ProblemError
from governance_core.storage import SqlStore

ID_NUMBER = "370402198001011233"  # a valid check character: masked wherever it appears
MOBILE = "13812345678"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """A live `governance serve` on loopback: its address, a token, and its log file."""
    database = f"sqlite:///{tmp_path / 'live.db'}"
    store = SqlStore(database)
    _record, token = store.tokens.create("办理人", [], datetime.now())
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "server.log"
    with log.open("wb") as written:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "governance_core.cli",
                "serve",
                "--port",
                str(port),
                "--database",
                database,
            ],
            stdout=written,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    httpx.get(f"{base}/v1/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield base, token, log
        finally:
            process.terminate()
            process.wait(10)


@pytest.mark.parametrize(
    "subject",
    [
        ID_NUMBER,
        "".join(f"%{ord(c):02X}" for c in ID_NUMBER),  # every character percent-encoded
        quote(f"{MOBILE[:3]}-{MOBILE[3:7]}-{MOBILE[7:]}"),
        quote(f"ID{ID_NUMBER}"),
    ],
)
def test_the_access_log_masks_personal_data(server: tuple[str, str, Path], subject: str) -> None:
    base, token, log = server
    httpx.get(
        f"{base}/v1/instances?subject={subject}", headers={"Authorization": f"Bearer {token}"}
    )
    time.sleep(0.3)  # the log line is written after the answer
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "/v1/instances?subject=" in text
    for secret in (ID_NUMBER, MOBILE, subject.upper(), "1234-5678"):
        assert secret not in text, text
    assert "370402********1233" in text or "138****5678" in text


def test_a_client_that_goes_away_costs_one_line(server: tuple[str, str, Path]) -> None:
    base, token, log = server
    host, port = base.removeprefix("http://").split(":")
    for _ in range(3):
        with socket.create_connection((host, int(port))) as raw:
            raw.sendall(
                b"POST /v1/lists/x/evaluate?as_of=2024-01-01 HTTP/1.1\r\nHost: x\r\n"
                b"Authorization: Bearer " + token.encode() + b"\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n" + b"{" * 100
            )
    time.sleep(0.5)
    assert httpx.get(f"{base}/v1/health").status_code == 200  # still serving
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")


def test_a_body_that_never_finishes_is_408() -> None:
    async def receive() -> dict[str, object]:
        if not sent:
            sent.append(True)
            return {"type": "http.request", "body": b'{"people": [', "more_body": True}
        await asyncio.sleep(3600)  # the rest never comes
        raise AssertionError

    sent: list[bool] = []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "headers": [(b"content-type", b"application/json")],
    }
    request = Request(scope, receive)
    started = time.perf_counter()
    with pytest.raises(ProblemError) as refused:
        asyncio.run(read_body(request, Limits(timeout_seconds=0.2)))
    assert refused.value.status == 408 and time.perf_counter() - started < 5
