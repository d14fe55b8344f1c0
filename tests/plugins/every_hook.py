"""A plugin implementing every hook of GovernanceSpecs (tests/loading/test_hooks.py checks that it
does, so a new hook cannot be added without a test using it)."""

from __future__ import annotations

from collections.abc import Generator
from datetime import date
from pathlib import Path

from governance_core import Dossier
from governance_core.expressions import ExprFunction, ExprType, MissingFact
from governance_core.plugins import Delivery, Operation, hookimpl
from governance_core.rules.common import Citation, Title
from governance_core.rules.criteria.definition import CriteriaList, Criterion, Effect, HitPolicy
from governance_core.rules.parameters import Parameter, ParameterKind, ParameterValue

SOURCE = Citation("测试文件", "第二条", "tests/plugins/every_hook.py")
FILES = Path(__file__).parent / "files"
OBSERVED: list[tuple[str, str, int]] = []


@hookimpl
def governance_policy_files() -> list[Path]:
    return [FILES / "every_hook.yaml"]


@hookimpl
def governance_criteria_lists() -> list[CriteriaList]:
    item = Criterion(
        "many_households",
        Title("联系户数多", "Keeps in touch with many households"),
        SOURCE,
        "households() >= every_hook_min_households",
    )
    return [
        CriteriaList(
            "every_hook.records",
            Title("记录清单", "List from records"),
            SOURCE,
            1,
            Effect.ADVISORY,
            HitPolicy.ANY,
            (item,),
        )
    ]


@hookimpl
def governance_parameters() -> list[Parameter]:
    return [
        Parameter(
            "every_hook_min_households",
            Title("最少联系户数", "Minimum households"),
            ParameterKind.NUMBER,
            SOURCE,
            (ParameterValue(10, effective_from=date(2024, 1, 1)),),
        )
    ]


def _households(dossier: Dossier) -> int:
    if "联系户数" not in dossier.counts:
        raise MissingFact("count '联系户数'")
    return dossier.counts["联系户数"]


@hookimpl
def governance_expression_functions() -> list[ExprFunction]:
    return [
        ExprFunction(
            "households", "联系户数", (), ExprType.NUMBER, _households, "households in touch"
        )
    ]


@hookimpl
def governance_rubrics() -> None:
    return None


@hookimpl
def governance_grade_policies() -> list[object]:
    return []


@hookimpl
def governance_process_definitions() -> list[object]:
    return []


@hookimpl
def governance_process_extensions() -> None:
    return None


@hookimpl(wrapper=True)
def governance_observe(operation: Operation) -> Generator[None, object, object]:
    OBSERVED.append((operation.kind.value, operation.subject, operation.size))
    result = yield
    return result


DELIVERED: list[tuple[int, str]] = []


@hookimpl
def governance_deliver(delivery: Delivery) -> None:
    DELIVERED.append((delivery.id, delivery.consequence.zh))
