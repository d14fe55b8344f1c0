"""Benchmark: the HTTP service on loopback against the same calls made in-process.

Starts `governance serve` (uvicorn, one worker) on a free port of 127.0.0.1 over a fresh
SQLite store, with the example roster and the 市中区 plugin, and makes a fixed number of
requests one after another from one client with a kept-alive connection, interleaved in
rounds with the same work done by the library in this process:

- evaluate one person: POST /v1/lists/shizhong.exit_conditions/evaluate?person=… with the
  example roster as the body — in-process: read the same bytes as a roster, evaluate the list
  for that person, write the verdicts as JSON;
- fire: POST /v1/instances/…/fire (四议两公开's first step) — in-process: ``Runtime.fire``
  on another SQLite store;
- tasks: GET /v1/tasks over the open instances — in-process: the same listing.

Prints p50 and p99 latency and requests per second for each, and the ratio of HTTP to
in-process time (target for evaluate: at most 3×). Then the server's CPU per evaluate request
(read from /proc) against a do-nothing FastAPI endpoint given the same body under the same
uvicorn (benchmarks/noop_service.py): the service's own cost, the CPU it spends beyond the
evaluation done in-process, over the do-nothing endpoint's (target ≤ 1.5×).
Run: python benchmarks/service.py [--requests 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import httpx
import orjson
import yaml

from governance_core import Actor, Engine, Runtime
from governance_core.files.yaml_tree import parse_yaml
from governance_core.model.roster_file import roster_from
from governance_core.present.shapes import dumps, verdicts_data
from governance_core.storage import SqlStore
from governance_core.storage.tokens import parse_grant

ROSTER = Path(__file__).parents[1] / "src" / "governance_core" / "examples" / "roster.yaml"
AS_OF = date(2024, 6, 30)
LIST = "shizhong.exit_conditions"
FOUR = "core.four_deliberations_two_disclosures"
BRANCH = "village_party_branch"
AT = datetime(2024, 3, 1, 9)


def _percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _timed(call: Callable[[int], object], n: int) -> list[float]:
    times = []
    for k in range(n):
        started = time.perf_counter()
        call(k)
        times.append(time.perf_counter() - started)
    return times


def _fires(
    client: httpx.Client, local: Runtime, branch: Actor, n: int
) -> tuple[list[float], list[float]]:
    """The first step of 四议两公开 on ``n`` new instances, over HTTP and in-process (the
    instances are opened beforehand, untimed)."""
    remote = [
        client.post(
            f"/v1/procedures/{FOUR}/instances", json={"subject": f"事项{k}", "at": AT.isoformat()}
        ).json()["instance"]["id"]
        for k in range(n)
    ]
    mine = [local.start(FOUR, f"事项{k}", branch, AT) for k in range(n)]
    fire = {"step": "propose", "evidence": {"proposal": "P"}, "at": AT.isoformat()}
    over_http = _timed(lambda k: client.post(f"/v1/instances/{remote[k]}/fire", json=fire), n)
    in_process = _timed(
        lambda k: local.fire(mine[k], "propose", branch, AT, evidence={"proposal": "P"}), n
    )
    return over_http, in_process


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answering(server: subprocess.Popen[bytes], health: str) -> None:
    """Wait until ``server`` answers ``health`` (30 s at most)."""
    for _ in range(300):
        try:
            httpx.get(health, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"nothing answered {health} in 30 s")


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str, SqlStore]:
    port = _free_port()
    url = f"sqlite:///{folder / 'served.db'}"
    store = SqlStore(url)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "governance_core.cli",
            "serve",
            "--port",
            str(port),
            "--database",
            url,
            "--plugin",
            "shizhong",
            "--roster",
            str(ROSTER),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _answering(server, f"{base}/v1/health")
    return server, base, store


def _cpu_seconds(pid: int) -> float:
    """The CPU seconds (user and system) process ``pid`` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _noop_server() -> tuple[subprocess.Popen[bytes], str]:
    """benchmarks/noop_service.py under uvicorn, one worker, on a free loopback port."""
    port = _free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "noop_service:app", "--port", str(port)),
            *("--log-level", "warning", "--app-dir", str(Path(__file__).parent)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    _answering(server, f"{base}/health")
    return server, base


def _server_cpu_per_request(pid: int, call: Callable[[int], object], n: int) -> float:
    """The CPU seconds process ``pid`` spends per ``call``: made ``n`` times, and on until
    it has used 50 clock ticks (the kernel counts CPU in ticks of 10 ms: a few cheap
    requests would read as none), at most 100 × ``n`` times."""
    ticks = 50 / os.sysconf("SC_CLK_TCK")
    before, k = _cpu_seconds(pid), 0
    while k < n or (_cpu_seconds(pid) - before < ticks and k < 100 * n):
        call(k)
        k += 1
    return (_cpu_seconds(pid) - before) / k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n = args.requests
    body = orjson.dumps(yaml.safe_load(ROSTER.read_text(encoding="utf-8")))
    engine = Engine.load(plugins=["shizhong"])
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        server, base, store = _serve(folder)
        try:
            # a records clerk: the instances and steps are dated AT, as the local runtime's
            grants = [parse_grant(BRANCH), parse_grant("records_clerk")]
            _record, token = store.tokens.create("bench", grants, AT)
            client = httpx.Client(
                base_url=base,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            local = engine.runtime(SqlStore(f"sqlite:///{folder / 'local.db'}"))
            branch = Actor("bench", frozenset({BRANCH}))
            evaluate_url = f"/v1/lists/{LIST}/evaluate?as_of={AS_OF}&person=p002"

            def http_evaluate(_k: int) -> object:
                response = client.post(evaluate_url, content=body)
                assert response.status_code == 200, response.text
                return response.content

            def local_evaluate(_k: int) -> object:
                roster = roster_from(parse_yaml(body.decode(), "body"))
                people = [d for d in roster.dossiers(AS_OF) if d.person.id == "p002"]
                return dumps(verdicts_data(engine.evaluate(LIST, people, AS_OF), "zh"))

            noop, noop_base = _noop_server()
            bare = httpx.Client(base_url=noop_base, headers={"Content-Type": "application/json"})
            served_cpu: list[float] = []
            noop_cpu: list[float] = []
            local_cpu: list[float] = []

            def bare_call(_k: int) -> object:
                return bare.post("/noop", content=body).content

            results: dict[str, tuple[list[float], list[float]]] = {}
            for _ in range(args.rounds):  # interleaved: a busy machine slows both alike
                served_cpu.append(_server_cpu_per_request(server.pid, http_evaluate, n))
                noop_cpu.append(_server_cpu_per_request(noop.pid, bare_call, n))
                started = time.process_time()
                for k in range(n):
                    local_evaluate(k)
                local_cpu.append((time.process_time() - started) / n)
                ours, floor = results.setdefault("evaluate", ([], []))
                ours += _timed(http_evaluate, n)
                floor += _timed(local_evaluate, n)
                ours, floor = results.setdefault("fire", ([], []))
                taken = _fires(client, local, branch, n)
                ours += taken[0]
                floor += taken[1]
                ours, floor = results.setdefault("tasks", ([], []))
                ours += _timed(lambda _k: client.get("/v1/tasks"), max(n // 20, 5))
                floor += _timed(
                    lambda _k: [local.allowed(i, branch, AT) for i in local.store.instances()],
                    max(n // 20, 5),
                )
            noop.terminate()
            noop.wait(10)
        finally:
            server.terminate()
            server.wait(10)
    served, nothing, work = (statistics.median(x) for x in (served_cpu, noop_cpu, local_cpu))
    # a server whose CPU still read as nothing gives no ratio (inf), rather than a division
    own = [
        max(s - w, 0.0) / b if b else math.inf
        for s, w, b in zip(served_cpu, local_cpu, noop_cpu, strict=True)
    ]
    print(
        f"evaluate, server CPU per request: {served * 1e3:.2f} ms; a do-nothing FastAPI endpoint "
        f"given the same body: {nothing * 1e3:.2f} ms; the evaluation itself in-process: "
        f"{work * 1e3:.2f} ms"
    )
    print(
        f"  the service's own cost (server CPU − the evaluation) / the do-nothing endpoint: "
        f"median {statistics.median(own):.2f}× (min {min(own):.2f}, max {max(own):.2f}); "
        f"today's target ≤ 1.5×"
    )
    for name, (ours, floor) in results.items():
        ratio = statistics.median(ours) / statistics.median(floor)
        target = " (target ≤ 3×)" if name == "evaluate" else ""
        print(
            f"{name:>8}: HTTP p50 {_percentile(ours, 0.5) * 1e3:7.2f} ms, p99 "
            f"{_percentile(ours, 0.99) * 1e3:7.2f} ms, {len(ours) / sum(ours):7.0f} req/s; "
            f"in-process p50 {_percentile(floor, 0.5) * 1e3:7.2f} ms; HTTP / in-process "
            f"{ratio:.2f}×{target}"
        )


if __name__ == "__main__":
    main()
