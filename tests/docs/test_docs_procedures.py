"""docs/procedures.md shows every built-in and contrib procedure's diagram as it is now."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance_core import Engine
from governance_core.present.diagram import DiagramFormat, render_diagram
from governance_core.rules.procedures.kind import PROCEDURES
from tests.support import ROOT, by_supplier, installed

DOCS = [
    (ROOT / "docs" / page).read_text(encoding="utf-8")
    for page in ("procedures.md", "procedures.en.md")
]
FOUR = "core.four_deliberations_two_disclosures"
ENGINE = Engine.load(plugins=installed("shizhong", "jiaozhou", "jiaxiang", "yicheng"))


@pytest.mark.parametrize("process", by_supplier(ENGINE.policies.of(PROCEDURES)))
def test_every_procedure_is_drawn_in_the_docs(process: str) -> None:
    drawn = render_diagram(ENGINE.policies.of(PROCEDURES).find(process), DiagramFormat.MERMAID)
    for doc in DOCS:  # the Chinese page and the English one
        assert f"```mermaid\n{drawn}```" in doc, (
            f"docs/procedures*.md is out of date: paste `governance diagram {process}` under its "
            "heading"
        )


@pytest.mark.parametrize("process", by_supplier(ENGINE.policies.of(PROCEDURES)))
def test_every_procedure_has_its_svg(process: str) -> None:
    path = ROOT / "docs" / "diagrams" / f"{process}.svg"
    drawn = render_diagram(ENGINE.policies.of(PROCEDURES).find(process), DiagramFormat.SVG)
    assert path.read_text(encoding="utf-8") == drawn, (
        f"regenerate: governance diagram {process} -f svg --output {path.name}"
    )


@pytest.mark.parametrize("process", by_supplier(ENGINE.policies.of(PROCEDURES)))
def test_every_procedure_renders_to_a_picture(process: str, tmp_path: Path) -> None:
    """Graphviz lays out every drawing (no state hidden under a loop's label, no label
    clipped at the edge, as the hand-made layout had); the PNG is the artefact to look at."""
    import subprocess

    from governance_core.present.diagram import dot

    definition = ENGINE.policies.of(PROCEDURES).find(process)
    picture = tmp_path / f"{process}.png"
    subprocess.run(
        ["dot", "-Tpng", "-o", str(picture)],
        input=dot(definition).encode("utf-8"),
        check=True,
        timeout=60,
    )
    assert picture.read_bytes().startswith(b"\x89PNG")
    drawn = render_diagram(definition, DiagramFormat.SVG)
    for state in definition.states:
        assert f">{state.title.zh}</text>" in drawn  # each state's name, whole


def test_without_graphviz_svg_is_refused_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from governance_core.errors import ConfigError

    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(ConfigError, match="graphviz"):
        render_diagram(ENGINE.policies.of(PROCEDURES).find(FOUR), DiagramFormat.SVG)
