"""Draw the layers of docs/architecture.md from the import-linter contracts of pyproject.toml
(the ones the test command enforces), and write the drawing between the markers of both
pages. tests/docs/test_docs_site.py fails when a page's drawing is not what this writes."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "docs" / "architecture.md", ROOT / "docs" / "architecture.en.md"]
BEGIN, END = "<!-- layers: scripts/architecture_diagram.py -->", "<!-- /layers -->"


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _layers(container: str) -> list[list[str]]:
    """Each layer of the contract over ``container``, top first, as the modules on it."""
    (contract,) = [
        c for c in _contracts() if c["type"] == "layers" and c.get("containers") == [container]
    ]
    layers = contract["layers"]
    assert isinstance(layers, list)
    return [re.split(r"\s*[|:]\s*", str(layer)) for layer in layers]


def drawing() -> str:
    """The layers as a Mermaid flowchart: each layer a row, imports pointing down."""
    lines = ["```mermaid", "flowchart TD"]
    top = _layers("governance_core")
    kinds = _layers("governance_core.rules")
    for number, modules in enumerate(top):
        names = " · ".join(modules)
        lines.append(f"    L{number}[{names}]")
    for number in range(len(top) - 1):
        lines.append(f"    L{number} --> L{number + 1}")
    lines.append('    subgraph rules ["rules: one package per kind, over what they share"]')
    lines.append("        direction TB")
    for number, modules in enumerate(kinds):
        lines.append(f"        R{number}[{' · '.join(modules)}]")
    for number in range(len(kinds) - 1):
        lines.append(f"        R{number} --> R{number + 1}")
    lines.append("    end")
    rules_row = next(n for n, modules in enumerate(top) if "rules" in modules)
    lines.append(f"    L{rules_row} -.- rules")
    lines.append("```")
    return "\n".join(lines)


def written(page: str) -> str:
    """``page`` with its drawing replaced by the current one."""
    before, rest = page.split(BEGIN, 1)
    _old, after = rest.split(END, 1)
    return f"{before}{BEGIN}\n{drawing()}\n{END}{after}"


def main() -> int:
    for path in PAGES:
        path.write_text(written(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
