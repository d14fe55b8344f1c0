"""docs/procedures.md shows every built-in and contrib procedure's diagram as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance_core import Engine
from governance_core.runtime.diagram import DiagramFormat, render_diagram

DOC = (Path(__file__).parent.parent / "docs" / "procedures.md").read_text(encoding="utf-8")
ENGINE = Engine.load(plugins=["shizhong", "jiaozhou", "jiaxiang", "yicheng"])


@pytest.mark.parametrize("process", sorted(ENGINE.policies.processes))
def test_every_procedure_is_drawn_in_the_docs(process: str) -> None:
    drawn = render_diagram(ENGINE.policies.process(process), DiagramFormat.MERMAID)
    assert f"```mermaid\n{drawn}```" in DOC, (
        f"docs/procedures.md is out of date: paste `governance diagram {process}` under its heading"
    )


@pytest.mark.parametrize("process", sorted(ENGINE.policies.processes))
def test_every_procedure_has_its_svg(process: str) -> None:
    path = Path(__file__).parent.parent / "docs" / "diagrams" / f"{process}.svg"
    drawn = render_diagram(ENGINE.policies.process(process), DiagramFormat.SVG)
    assert path.read_text(encoding="utf-8") == drawn, (
        f"regenerate: governance diagram {process} -f svg --output {path.name}"
    )
