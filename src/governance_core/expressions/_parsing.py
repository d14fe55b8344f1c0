"""An expression's text parsed by CPython, within bounds, before any name or type is checked.

The text is wrapped in brackets on lines of their own, so that it may span lines and start
indented (YAML block scalars); positions are shifted back by one line when reported. Its size,
nesting and brackets are checked here: the wrapper must not be closed from inside.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Callable
from typing import Final

from governance_core.messages import _

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_SOURCE_CHARS", "Locate", "char_column", "parse_wrapped"]

MAX_SOURCE_CHARS: Final = 2_000
MAX_DEPTH: Final = 32
MAX_NODES: Final = 400

# Maps a position inside the expression (1-based line, 0-based character column) to the
# position in the file that holds it (1-based line and column).
Locate = Callable[[int, int], tuple[int | None, int | None]]
# Reports a problem at (1-based line, 0-based column) of the expression, with a hint.
At = Callable[[int, int, str, str | None], None]


def _measure(tree: ast.AST) -> tuple[int, int]:
    """Node count and depth, iteratively (so a pathological tree cannot exhaust the stack)."""
    count, deepest = 0, 0
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return count, deepest


def char_column(source: str, line: int, byte_offset: int) -> int:
    """ast gives UTF-8 byte offsets; Chinese text needs the character column."""
    lines = source.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def _stray_bracket(source: str) -> tuple[int, int] | None:
    """(line, column) of a closing bracket with no opening one: wrapped in brackets for
    parsing, ``True) or (True`` would otherwise close the wrapper and parse as two."""
    depth = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
                if depth < 0:
                    return token.start
    except (tokenize.TokenError, SyntaxError):
        return None  # the parser has said what is wrong
    return None


def parse_wrapped(source: str, at: At) -> tuple[str, ast.Expression] | None:
    """The wrapped text and its tree; None, with every problem given to ``at``, when the
    text is empty, too long, not an expression, too deep or too large."""
    if not isinstance(source, str) or not source.strip():
        at(1, 0, _("the expression is empty"), 'write a condition such as count("x") >= 1')
        return None
    if len(source) > MAX_SOURCE_CHARS:
        at(
            1,
            0,
            _("the expression is {source:,} characters; the limit is {MAX_SOURCE_CHARS:,}").format(
                source=len(source), MAX_SOURCE_CHARS=MAX_SOURCE_CHARS
            ),
            "split it into several items or parameters",
        )
        return None
    wrapped = f"(\n{source}\n)"
    try:
        tree = ast.parse(wrapped, mode="eval")
    except SyntaxError as exc:
        lines = source.splitlines() or [""]
        line = max((exc.lineno or 2) - 1, 1)
        column = max((exc.offset or 1) - 1, 0)
        if line > len(lines):  # the error is at the end of the text: point there
            line, column = len(lines), len(lines[-1])
        at(line, column, _("syntax error: {msg}").format(msg=exc.msg), None)
        return None
    except (ValueError, RecursionError, MemoryError) as exc:
        at(
            1,
            0,
            _("cannot parse the expression: {value}").format(value=exc or type(exc).__name__),
            None,
        )
        return None
    stray = _stray_bracket(source)
    if stray is not None:
        at(*stray, _("this closing bracket has no opening bracket"), _("remove it"))
        return None
    count, depth = _measure(tree)
    if depth > MAX_DEPTH:
        at(
            1,
            0,
            _("the expression nests {depth} levels deep; the limit is {MAX_DEPTH}").format(
                depth=depth, MAX_DEPTH=MAX_DEPTH
            ),
            "split it",
        )
        return None
    if count > MAX_NODES:
        at(
            1,
            0,
            _("the expression has {count} parts; the limit is {MAX_NODES}").format(
                count=count, MAX_NODES=MAX_NODES
            ),
            "split it",
        )
        return None
    return wrapped, tree
