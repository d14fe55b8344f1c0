"""Benchmark: the memory and time the worst request bodies within the service's limits cost a
live server (`governance serve` on loopback, SQLite), each kind of body sent to a fresh
server so that its peak is its own.

Bodies are as large as the limit allows (8 MiB by default) and shaped to cost the most per
byte: a flat mapping of tiny keys, a list of tiny numbers, many small objects, one long string,
nesting as deep as allowed; as JSON (read by JSON's reader) and as YAML (from the parser's
events). Each is sent as a roster to `POST /v1/lists/{id}/evaluate`. Printed per body: its
status, the server's peak resident memory above its idle peak (VmHWM), that peak as a multiple
of the body's size, the time of the request, and the resident memory after it (VmRSS). The
target (docs/security.md): the peak at most 40× the body and at most 128 MiB (the worst ratio
is a body of tiny values just inside the bound on values, read whole and then refused).

Run: python benchmarks/service_bodies.py [--megabytes 8]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

TARGET = 40.0  # the peak as a multiple of the body
CEILING = 128  # MiB: the peak, whatever the body


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(field)


def _fill(size: int, piece: Callable[[int], str], start: str, end: str, sep: str) -> str:
    parts, total, n = [start], len(start) + len(end), 0
    while True:
        text = piece(n)
        if total + len(text) + len(sep) > size:
            break
        parts.append(text if n == 0 else sep + text)
        total += len(text) + len(sep)
        n += 1
    parts.append(end)
    return "".join(parts)


def bodies(size: int) -> dict[str, tuple[str, bytes]]:
    """Each hostile body of about ``size`` bytes, with its content type."""
    json_type, yaml_type = "application/json", "application/yaml"
    flat_json = _fill(size, lambda n: f'"k{n}":{n}', "{", "}", ",")
    flat_yaml = _fill(size, lambda n: f"k{n}: {n}", "", "\n", "\n")
    numbers = _fill(size, lambda n: "1", '{"people":[', "]}", ",")
    objects = _fill(size, lambda n: '{"id":"p"}', '{"people":[', "]}", ",")
    texts = _fill(size, lambda n: '"a"', '{"people":[', "]}", ",")
    # as many people as the bound on values (500,000) lets through: read and structured whole
    at_bound = "{" + ",".join(f'"k{n}":{n}' for n in range(249_000)) + "}"  # 498,000 values
    people = ",".join(f'{{"id":"p{n}","name":"x"}}' for n in range(95_000))
    wrong = ",".join(f'{{"id":"p{n}","nom":"x"}}' for n in range(95_000))
    deep = _fill(size, lambda n: "[" * 60 + "1" + "]" * 60, '{"people":[', "]}", ",")
    long_text = '{"people": "' + "x" * (size - 20) + '"}'
    return {
        "flat mapping (JSON)": (json_type, flat_json.encode()),
        "flat mapping (YAML)": (yaml_type, flat_yaml.encode()),
        "flat mapping at the bound (JSON)": (json_type, at_bound.encode()),
        "flat mapping at the bound (YAML)": (
            yaml_type,
            at_bound.strip("{}").replace(",", "\n").replace('"', "").replace(":", ": ").encode(),
        ),
        "list of numbers (JSON)": (json_type, numbers.encode()),
        "list of short texts (JSON)": (json_type, texts.encode()),
        "list of short texts (YAML)": (
            yaml_type,
            texts.replace('{"people":[', "people: [").replace("]}", "]").encode(),
        ),
        "many small objects (JSON)": (json_type, objects.encode()),
        "many small objects (YAML)": (yaml_type, objects.encode()),
        "one long string (JSON)": (json_type, long_text.encode()),
        "95,000 people (JSON)": (json_type, ('{"people":[' + people + "]}").encode()),
        "95,000 people, each wrong (JSON)": (json_type, ('{"people":[' + wrong + "]}").encode()),
        "95,000 people, each wrong (YAML)": (
            yaml_type,
            (
                "people:\n" + wrong.replace("},{", "}\n- {").replace('{"id"', '- {"id"', 1) + "\n"
            ).encode(),
        ),
        "nested 60 deep (JSON)": (json_type, deep.encode()),
    }


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    database = f"sqlite:///{folder / 'bench.db'}"
    env = {**os.environ, "GOVERNANCE_LANG": "en"}
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "governance_core.cli",
            "token",
            "create",
            "bench",
            "--database",
            database,
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    token = made.stdout.splitlines()[0]
    port = _free_port()
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
            "--plugin",
            "shizhong",
            "--workers",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{base}/v1/health", timeout=1)
            return server, base, token
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the server did not start")


def measure(kind: str, media: str, body: bytes) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        server, base, token = _serve(Path(folder))
        try:
            idle = _status(server.pid, "VmHWM")
            started = time.perf_counter()
            answer = httpx.post(
                f"{base}/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30",
                content=body,
                headers={"Authorization": f"Bearer {token}", "Content-Type": media},
                timeout=120,
            )
            seconds = time.perf_counter() - started
            peak = _status(server.pid, "VmHWM") - idle
            after = _status(server.pid, "VmRSS")
        finally:
            server.terminate()
            server.wait(10)
    return {
        "body": kind,
        "bytes": len(body),
        "status": answer.status_code,
        "peak_mib": round(peak / 2**20, 1),
        "ratio": round(peak / len(body), 1),
        "seconds": round(seconds, 2),
        "rss_after_mib": round(after / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=8.0)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one body of each reader, JSON's and YAML's, and the deepest (the test "
        "command's run: each body needs a server of its own)",
    )
    args = parser.parse_args()
    size = int(args.megabytes * 2**20) - 1024  # under the limit, headers aside
    quick = {"flat mapping (JSON)", "flat mapping (YAML)", "nested 60 deep (JSON)"}
    chosen = {
        kind: shaped for kind, shaped in bodies(size).items() if not args.quick or kind in quick
    }
    rows = [measure(kind, media, body) for kind, (media, body) in chosen.items()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    worst = max(float(str(r["ratio"])) for r in rows)
    highest = max(float(str(r["peak_mib"])) for r in rows)
    for r in rows:
        print(
            f" {r['body']:<28} {int(str(r['bytes'])) / 2**20:5.1f} MiB  {r['status']}  "
            f"peak +{r['peak_mib']} MiB ({r['ratio']}× the body)  {r['seconds']} s  "
            f"resident after {r['rss_after_mib']} MiB"
        )
    print(
        f" worst peak: {worst}× the body, highest {highest} MiB "
        f"(target ≤ {TARGET:g}× and ≤ {CEILING} MiB)"
    )


if __name__ == "__main__":
    main()
