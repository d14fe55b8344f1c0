"""Liveness and readiness, without a token: for a load balancer or an orchestrator."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from governance_core.errors import GovernanceError
from governance_core.messages import _
from governance_core.present.calendar import unpublished_text
from governance_core.rules.calendar import CALENDAR
from governance_core.service.context import ServiceDep
from governance_core.service.problems import PROBLEMS, ProblemError

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["health"], responses=PROBLEMS)


def _not_ready(reason: str) -> str:
    return _("the store cannot be read: {reason}").format(reason=reason)


@router.get("/health")
def health() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/ready", responses={503: {"description": "The store cannot be read"}})
def ready(running: ServiceDep) -> dict[str, Any]:
    """The store answers: the chain's head (how many events, the last hash). ``warnings``
    says, from 1 November, that next year's official calendar is not published (the service
    stays ready: deadlines in that year are counted provisionally)."""
    try:
        position, digest = running.store.head()
    except (GovernanceError, OSError, RuntimeError) as error:
        raise ProblemError(503, _not_ready(str(error))) from None
    except Exception as error:  # the database driver's own errors: not ready, in one line
        raise ProblemError(503, _not_ready(type(error).__name__)) from None
    calendar = running.engine.policies.of(CALENDAR)
    waiting = calendar.unpublished_next_year(running.clock().date())
    warnings = [unpublished_text(waiting)] if waiting is not None else []
    published = max(calendar.years, default=None)
    return {
        "status": "ready",
        "events": position,
        "head": digest,
        "calendar": {"published_through": published, "unpublished_next_year": waiting},
        "warnings": warnings,
    }
