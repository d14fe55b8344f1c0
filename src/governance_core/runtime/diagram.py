"""Diagrams of a procedure, labelled in Chinese with the roles that take each step: Mermaid
(rendered by MkDocs Material), Graphviz DOT, and a self-contained SVG drawn here, so that no
Graphviz binary is needed.

The SVG layout is plain: states in rows by their distance from the initial state, steps as
straight arrows downwards and as arcs on the right for steps that go back, sideways or stay.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Iterator
from typing import final

import attrs

from governance_core.rules.procedures import ProcessDefinition, Step

__all__ = ["DiagramFormat", "render_diagram"]


class DiagramFormat(enum.Enum):
    MERMAID = "mermaid"
    DOT = "dot"
    SVG = "svg"


def _edge_label(definition: ProcessDefinition, step: Step) -> str:
    roles = {r.id: r.title.zh for r in definition.roles}
    who = "自动（到期）" if step.automatic else "、".join(roles.get(r, r) for r in step.roles)
    return f"{step.title.zh}〔{who}〕"


def _edges(definition: ProcessDefinition) -> Iterator[tuple[str, str, str]]:
    for step in definition.steps:
        for source in step.sources:
            yield source, step.dest or source, _edge_label(definition, step)


def mermaid(definition: ProcessDefinition) -> str:
    def clean(text: str) -> str:
        # characters Mermaid's state-diagram grammar reads as syntax
        return text.replace(":", "：").replace(";", "；").replace('"', "“")

    lines = ["stateDiagram-v2"]
    lines += [f'    state "{clean(s.title.zh)}" as {s.id}' for s in definition.states]
    lines.append(f"    [*] --> {definition.initial}")
    lines += [f"    {a} --> {b}: {clean(label)}" for a, b, label in _edges(definition)]
    lines += [f"    {s.id} --> [*]" for s in definition.states if s.terminal]
    return "\n".join(lines) + "\n"


def dot(definition: ProcessDefinition) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"digraph {quoted(definition.id)} {{",
        f"    label={quoted(definition.title.zh)}; labelloc=t; rankdir=TB;",
        '    node [shape=box, style=rounded, fontname="Noto Sans CJK SC"];',
        '    edge [fontname="Noto Sans CJK SC", fontsize=10];',
        '    __start [shape=point, label=""];',
        f"    __start -> {quoted(definition.initial)};",
    ]
    for s in definition.states:
        extra = ", peripheries=2" if s.terminal else ""
        lines.append(f"    {quoted(s.id)} [label={quoted(s.title.zh)}{extra}];")
    for a, b, label in _edges(definition):
        lines.append(f"    {quoted(a)} -> {quoted(b)} [label={quoted(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _text_width(text: str, size: float) -> float:
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


@final
@attrs.frozen(slots=True)
class _Box:
    x: float  # centre
    y: float  # top
    width: float


_FONT = 14.0
_EDGE_FONT = 11.0
_ROW = 110.0
_GAP = 40.0
_HEIGHT = 34.0


def _layout(definition: ProcessDefinition) -> dict[str, _Box]:
    depth = {definition.initial: 0}
    frontier = [definition.initial]
    while frontier:
        following = []
        for state in frontier:
            for step in definition.steps:
                if state in step.sources and step.dest is not None and step.dest not in depth:
                    depth[step.dest] = depth[state] + 1
                    following.append(step.dest)
        frontier = following
    rows: dict[int, list[str]] = {}
    for s in definition.states:
        rows.setdefault(depth.get(s.id, max(depth.values()) + 1), []).append(s.id)
    titles = {s.id: s.title.zh for s in definition.states}
    widths = {k: _text_width(v, _FONT) + 24 for k, v in titles.items()}
    span = max(sum(widths[s] for s in row) + _GAP * (len(row) - 1) for row in rows.values())
    boxes = {}
    for r, row in sorted(rows.items()):
        x = 40 + (span - sum(widths[s] for s in row) - _GAP * (len(row) - 1)) / 2
        for state in row:
            boxes[state] = _Box(x + widths[state] / 2, 70 + r * _ROW, widths[state])
            x += widths[state] + _GAP
    return boxes


def svg(definition: ProcessDefinition) -> str:
    boxes = _layout(definition)
    width = max(b.x + b.width / 2 for b in boxes.values()) + 260
    height = max(b.y for b in boxes.values()) + _HEIGHT + 50
    esc = html.escape
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="Noto Sans CJK SC, sans-serif">',
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' "
        "markerHeight='7' orient='auto-start-reverse'><path d='M0,0L10,5L0,10z'/></marker></defs>",
        f'<text x="20" y="28" font-size="16" font-weight="bold">{esc(definition.title.zh)}</text>',
    ]
    start = boxes[definition.initial]
    out.append(f'<circle cx="{start.x:.1f}" cy="{start.y - 22:.1f}" r="6"/>')
    out.append(_line(start.x, start.y - 16, start.x, start.y))
    labels = []
    for n, (a, b, label) in enumerate(_edges(definition)):
        src, dst = boxes[a], boxes[b]
        if dst.y > src.y:
            x1, y1, x2, y2 = src.x, src.y + _HEIGHT, dst.x, dst.y
            out.append(_line(x1, y1, x2, y2))
            lx, ly = (x1 + x2) / 2, (y1 + y2) / 2
        else:  # back, sideways or staying: an arc on the right
            x1, y1 = src.x + src.width / 2, src.y + _HEIGHT / 2
            x2, y2 = dst.x + dst.width / 2, dst.y + _HEIGHT / 2 + (6 if a == b else 0)
            bulge = 60 + 14 * (n % 4)
            out.append(
                f'<path d="M{x1:.1f},{y1 - 6:.1f} C{x1 + bulge:.1f},{y1 - 30:.1f} '
                f'{x2 + bulge:.1f},{y2 + 30:.1f} {x2:.1f},{y2:.1f}" fill="none" stroke="#555" '
                'marker-end="url(#arrow)"/>'
            )
            lx, ly = max(x1, x2) + bulge * 0.75, (y1 + y2) / 2
        w = _text_width(label, _EDGE_FONT) + 6
        labels.append(
            f'<rect x="{lx - w / 2:.1f}" y="{ly - 9:.1f}" width="{w:.1f}" height="15" '
            'fill="white" opacity="0.85"/>'
            f'<text x="{lx:.1f}" y="{ly + 3:.1f}" font-size="{_EDGE_FONT:.0f}" '
            f'text-anchor="middle">{esc(label)}</text>'
        )
    for s in definition.states:
        box = boxes[s.id]
        left = box.x - box.width / 2
        double = (
            f'<rect x="{left - 3:.1f}" y="{box.y - 3:.1f}" width="{box.width + 6:.1f}" '
            f'height="{_HEIGHT + 6:.0f}" rx="10" fill="none" stroke="#333"/>'
            if s.terminal
            else ""
        )
        out.append(
            f'{double}<rect x="{left:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" '
            f'height="{_HEIGHT:.0f}" rx="8" fill="#eef4fb" stroke="#333"/>'
            f'<text x="{box.x:.1f}" y="{box.y + 22:.1f}" font-size="{_FONT:.0f}" '
            f'text-anchor="middle">{esc(s.title.zh)}</text>'
        )
    out += labels
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#555" '
        'marker-end="url(#arrow)"/>'
    )


def render_diagram(definition: ProcessDefinition, form: DiagramFormat) -> str:
    """The procedure drawn in ``form``; the same definition always gives the same text."""
    renderers = {DiagramFormat.MERMAID: mermaid, DiagramFormat.DOT: dot, DiagramFormat.SVG: svg}
    return renderers[form](definition)
