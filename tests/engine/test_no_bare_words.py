"""What a user reads in a problem, a refusal or a hint comes from the message catalog: a test
that reads the code for sentences written outside ``_()`` (under ``--lang zh`` they would stay
English). Ids and numbers inside a translated sentence are fine; a separator is not a word."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.support import ROOT

SRC = ROOT / "src" / "governance_core"
# the message of each: (name called, index of the message among its positional arguments)
MESSAGES = {"Problem": 0, "Refusal": 1, "problem": 1, "at": 2, "_problem": 2}
# and the first argument of every exception of the library raised with a sentence
ERRORS = re.compile(r"^[A-Z]\w*Error$")
KEYWORDS = {"hint", "message"}
# Python's own, raised for a bug (never shown to a user: main() names it in one line)
BUILTIN_ERRORS = {
    "TypeError",
    "ValueError",
    "KeyError",
    "AssertionError",
    "RuntimeError",
    "NotImplementedError",
    "AttributeError",
    "LookupError",
    "IndexError",
    "OSError",
    "UnicodeDecodeError",
}
WORD = re.compile(r"[A-Za-z\u4e00-\u9fff]{2,}")


def _called(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _words_outside_catalog(node: ast.AST) -> bool:
    """Whether ``node``, a sentence or what fills one, holds a literal with words outside a
    ``_()`` call. A call's arguments and a subscript's key are ids (``row.get("person")``),
    not words; what a call is made on is looked at (``" and ".join(…)``)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and WORD.search(node.value) is not None
    if isinstance(node, ast.JoinedStr):
        return any(_words_outside_catalog(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return _words_outside_catalog(node.value)
    if isinstance(node, ast.Call):
        if _called(node) == "_":
            return False
        if _called(node) == "format":  # _("…{x}").format(x=…): what fills it
            fills = (*node.args, *(k.value for k in node.keywords))
            return _words_outside_catalog(node.func) or any(map(_words_outside_catalog, fills))
        return _words_outside_catalog(node.func)
    if isinstance(node, ast.Attribute | ast.Subscript):
        return _words_outside_catalog(node.value)
    if isinstance(node, ast.BoolOp | ast.IfExp | ast.BinOp):
        return any(_words_outside_catalog(child) for child in ast.iter_child_nodes(node))
    return False


def _bare_messages(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node) or ""
        if name in MESSAGES:
            index: int | None = MESSAGES[name]
        elif ERRORS.match(name) and name not in BUILTIN_ERRORS:
            index = 0  # the sentence an error is raised with (a list of problems is looked at
            # where each problem is made)
        else:
            continue
        said = [k.value for k in node.keywords if k.arg in KEYWORDS]
        if index is not None and len(node.args) > index:
            said.append(node.args[index])
        if name == "UnknownPolicyError":  # (kind, wanted, hint): the kind and the hint
            said = [*node.args[:1], *node.args[2:3]]
        if any(_words_outside_catalog(s) for s in said):
            found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_problems_refusals_and_hints_are_said_through_the_catalog() -> None:
    found = [spot for path in sorted(SRC.rglob("*.py")) for spot in _bare_messages(path)]
    assert found == [], f"{len(found)} sentences outside the catalog"


# where the rules, records and procedures are checked and run: every sentence there is a
# message; an f-string with words is one only if it is a key or code, listed with its reason
SENTENCE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")
NOT_SENTENCES = {
    "rules/scoring/_sheet.py": "the Python source of a rubric's compiled scorer",
    "rules/calendar/kind.py": "the ids of a year's calendar records (calendar.2026)",
    "loading/schemas.py": "the schema generator's own errors, raised for a bug in a record",
}


def _fstring_sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            if SENTENCE.search(text):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {text[:50]}")
    return found


def test_no_sentence_is_an_f_string_where_rules_are_checked_and_run() -> None:
    found = [
        spot
        for layer in ("model", "rules", "runtime", "loading")
        for path in sorted((SRC / layer).rglob("*.py"))
        if str(path.relative_to(SRC)) not in NOT_SENTENCES
        for spot in _fstring_sentences(path)
    ]
    assert found == []
