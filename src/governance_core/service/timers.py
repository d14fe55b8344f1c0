"""The service's timer: due automatic steps are taken by the service itself, every so often,
without anyone running a sweep, and then the outbox is delivered (docs/delivery.md). A sweep
is idempotent (each request id names the instance, its version and the step), so several
workers or replicas sweeping one PostgreSQL store take each step once; delivery claims each
row under a lease, so they deliver it once per attempt. A failure is said in the log and
tried again next time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from governance_core.jobs.delivery import deliver_due
from governance_core.jobs.incidents import open_blocked
from governance_core.jobs.reminders import remind
from governance_core.service.context import Service

__all__ = ["sweeping"]

log = logging.getLogger("governance_core.service")


async def _sweep_forever(running: Service, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            now = running.clock()
            sweep = await run_in_threadpool(running.runtime.swept, now)
            await run_in_threadpool(open_blocked, running.store, sweep.blocked, now)
            swept = sweep.taken
        except Exception as error:  # the next sweep tries again; the log says why in one line
            log.warning("sweep failed: %s: %s", type(error).__name__, str(error)[:200])
            continue
        for result in swept:
            log.info(
                "swept %s %s → %s", result.event.instance, result.event.step, result.event.dest
            )
        try:
            reminded = await run_in_threadpool(
                remind, running.engine, running.store, running.clock().date()
            )
        except Exception as error:  # the next round tries again
            log.warning("reminders failed: %s: %s", type(error).__name__, str(error)[:200])
        else:
            for reminder in reminded:
                log.info("reminder %s sent to the outbox", reminder.id)
        await _deliver(running)


async def _deliver(running: Service) -> None:
    if not running.channels and not running.engine.plugins.delivers():
        return
    try:
        report = await run_in_threadpool(
            deliver_due, running.engine, running.store, running.clock(), channels=running.channels
        )
    except Exception as error:  # the next round tries again
        log.warning("delivery failed: %s: %s", type(error).__name__, str(error)[:200])
        return
    for row, reason in report.failed:
        log.warning("outbox row %s not delivered (retried later): %s", row, reason[:200])
    for row in report.dead:
        log.warning("outbox row %s dead after its last attempt", row)


def sweeping(every: float | None) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that sweeps every ``every`` seconds while the service runs (None: never)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = None
        if every:
            task = asyncio.create_task(_sweep_forever(app.state.service, every))
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task

    return lifespan
