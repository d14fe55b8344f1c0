"""The JSON Schema of YAML case files (docs/testing.md), from the records they are read into,
published beside the policy and overlay schemas (``governance schema cases``)."""

from __future__ import annotations

from typing import Any

from governance_core.loading.schemas import file_schema
from governance_core.testing.case_files import CaseFile

__all__ = ["case_schema"]


def case_schema() -> dict[str, Any]:
    """The schema of a case file."""
    return file_schema("cases", CaseFile, "用例文件 A governance_core case file")
