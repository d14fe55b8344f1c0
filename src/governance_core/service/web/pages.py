"""The workbench's pages, one router: signing in, 我的待办, 程序, 核查, 运行, 公示, 政策 and
审计 (docs/workbench.md)."""

from __future__ import annotations

from fastapi import APIRouter

from governance_core.service.web import (
    pages_audit,
    pages_checks,
    pages_instance,
    pages_notices,
    pages_policies,
    pages_runs,
    pages_session,
    pages_tasks,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
PAGES = (
    pages_session,
    pages_tasks,
    pages_instance,
    pages_checks,
    pages_runs,
    pages_notices,
    pages_policies,
    pages_audit,
)
for module in PAGES:
    router.include_router(module.router)
