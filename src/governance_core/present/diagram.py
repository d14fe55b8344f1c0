"""Diagrams of a procedure, labelled in Chinese with the roles that take each step: Mermaid
(rendered by MkDocs Material), Graphviz DOT, and SVG laid out by Graphviz (its ``dot``
program: scripts/graphviz installs it with the CJK font the drawings name, so that every
machine lays them out alike)."""

from __future__ import annotations

import enum
import shutil
import subprocess
from collections.abc import Iterator

from governance_core.errors import ConfigError, Problem
from governance_core.messages import _
from governance_core.rules.procedures import ProcessDefinition, Step
from governance_core.runtime import machine_of, moves

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
    """The compiled machine's moves (the runtime's graph, not one drawn again from the steps),
    each labelled with its step's title and who takes it."""
    steps = {s.id: s for s in definition.steps}
    for source, step, dest in moves(machine_of(definition)):
        yield source, dest or source, _edge_label(definition, steps[step])


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


def dot(definition: ProcessDefinition, lit: str | None = None) -> str:
    """The procedure in Graphviz's DOT language; ``lit``: a state drawn filled (where an
    instance stands)."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"digraph {quoted(definition.id)} {{",
        f"    label={quoted(definition.title.zh)}; labelloc=t; rankdir=TB;",
        '    graph [fontname="WenQuanYi Micro Hei"];',
        '    node [shape=box, style=rounded, fontname="WenQuanYi Micro Hei"];',
        '    edge [fontname="WenQuanYi Micro Hei", fontsize=10];',
        '    __start [shape=point, label=""];',
        f"    __start -> {quoted(definition.initial)};",
    ]
    for s in definition.states:
        extra = ", peripheries=2" if s.terminal else ""
        if s.id == lit:
            extra += ', style="rounded,filled,bold", fillcolor="#ffe08a"'
        lines.append(f"    {quoted(s.id)} [label={quoted(s.title.zh)}{extra}];")
    for a, b, label in _edges(definition):
        lines.append(f"    {quoted(a)} -> {quoted(b)} [label={quoted(label)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(definition: ProcessDefinition, lit: str | None = None) -> str:
    """The DOT drawing laid out by Graphviz (``dot -Tsvg``): states, steps and their labels
    placed so that none overlaps or is clipped, which a hand-made layout did not manage."""
    dot_program = shutil.which("dot")
    if dot_program is None:
        raise ConfigError(
            [
                Problem(
                    _("drawing SVG needs Graphviz's dot, which is not installed"),
                    hint=_(
                        "install graphviz (Debian: apt install graphviz fonts-wqy-microhei), or "
                        "draw -f dot or -f mermaid"
                    ),
                )
            ]
        )
    try:
        done = subprocess.run(
            [dot_program, "-Tsvg"],
            input=dot(definition, lit).encode("utf-8"),
            capture_output=True,
            timeout=60,
            check=True,
        )
    except (subprocess.SubprocessError, OSError) as error:
        raise ConfigError(
            [
                Problem(
                    _("Graphviz could not draw {process}: {reason}").format(
                        process=definition.id, reason=str(error)[:200]
                    )
                )
            ]
        ) from None
    return done.stdout.decode("utf-8")


def render_diagram(definition: ProcessDefinition, form: DiagramFormat) -> str:
    """The procedure drawn in ``form``; the same definition always gives the same text."""
    renderers = {DiagramFormat.MERMAID: mermaid, DiagramFormat.DOT: dot, DiagramFormat.SVG: svg}
    return renderers[form](definition)
