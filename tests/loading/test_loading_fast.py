"""Files are read without positions first (files/yaml_tree.py): the data must be those the
located read gives, for every document either path accepts, and a problem must still be
located."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from governance_core.errors import ProblemsError, RosterError
from governance_core.files import yaml_tree
from governance_core.model import load_roster

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
_KEYS = st.text(max_size=6)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)
_DOCUMENTS = st.dictionaries(st.text(max_size=6), _VALUES, min_size=1, max_size=5)


def _both(text: str) -> tuple[Any, Any]:
    fast = yaml_tree.parse_yaml(text, "f.yaml").data
    walked = yaml_tree._located(text, "f.yaml", ProblemsError).data
    return fast, walked


@example({"": "\x85"}, False)  # YAML reads NEL as a line break: found by CI
@example({"a": "x\u2028y"}, False)
@given(_DOCUMENTS, st.booleans())
def test_json_reads_the_same_fast(document: dict[str, Any], ascii_only: bool) -> None:
    text = json.dumps(document, ensure_ascii=ascii_only)
    try:
        fast, walked = _both(text)
    except ProblemsError:
        return  # the walker refuses it (a control character, say): both paths say so
    assert fast == walked


@given(_DOCUMENTS)
def test_yaml_reads_the_same_fast(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        fast, walked = _both(text)
    except ProblemsError:
        return
    assert fast == walked


@pytest.mark.parametrize(
    "text",
    [
        "a: 2024-01-01\nb: 2024-01-01\nc: [2024-01-01, 7, 7, null, null]\n",
        "name: 1\nlist: [name, name, note]\nnote: name\n",  # texts that start like null
        "a: 2024-01-01\n2024-01-01: x\n",  # read before as a value, then a key: a problem
        "a: no\nb: no\nno: 1\n",
        "a: x\n<<: {b: y}\nc: <<\n",
    ],
)
def test_a_plain_scalar_read_before_reads_the_same(text: str) -> None:
    def read(how: Callable[[], Any]) -> Any:
        try:
            return how().data
        except ProblemsError as error:
            return error.problems

    fast = read(lambda: yaml_tree.parse_yaml(text, "f.yaml"))
    assert fast == read(lambda: yaml_tree._located(text, "f.yaml", ProblemsError))


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # a duplicate key
        "a: 1\na: 2\n",
        '{"a": 1e5}',  # a number in JSON, text in YAML 1.1
        '{"a": NaN}',
        "a: &x [1]\nb: *x\n",  # anchors: bounded by the walker
        "[" * 100 + "]" * 100,  # deeper than the bound
        "a: !!python/name:os.system x\n",
        "",
    ],
)
def test_what_only_the_walker_reads_is_walked(text: str) -> None:
    try:
        walked = yaml_tree._located(text, "f.yaml", ProblemsError)
    except ProblemsError as refused:  # the walker refuses it: so does a read, as located
        problems = refused.problems
        with pytest.raises(ProblemsError) as raised:
            yaml_tree.parse_yaml(text, "f.yaml")
        assert raised.value.problems == problems
        return
    fast = yaml_tree.parse_yaml(text, "f.yaml")
    assert fast.data == walked.data
    assert dict(fast.values) == dict(walked.values)


def test_a_problem_in_a_fast_read_roster_is_located(tmp_path: Path) -> None:
    rows = [{"id": f"p{n}", "name": f"某{n}"} for n in range(50)]
    rows[37]["birth_date"] = "not a date"
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps({"people": rows}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        load_roster(roster)
    (problem,) = raised.value.problems
    assert problem.file == str(roster) and problem.line == 1 and problem.column is not None
    assert "birth_date" in str(raised.value) or "出生" in str(raised.value)


@given(st.one_of(st.lists(_VALUES, max_size=6), _DOCUMENTS), st.booleans())
@example({"a": [], "b": {}}, True)
def test_a_json_text_of_more_values_than_allowed_is_refused(
    document: Any, ascii_only: bool
) -> None:
    """``most`` bounds a JSON text's values as value_count counts them, keys included, on
    both paths, however the text is written: the commas and brackets decide when the text
    cannot hold more, and the values read are counted when it may. (The bounds are
    cautious: a comma inside a text counts before anything is read.)"""
    for text in (json.dumps(document, ensure_ascii=ascii_only), json.dumps(document, indent=1)):
        for parse in (yaml_tree.parse_json, yaml_tree.parse_yaml):
            try:
                data = parse(text, "f.json").data
            except ProblemsError:
                continue  # refused (a control character, say): nothing to count
            count = yaml_tree.value_count(data, 10**9)
            assert parse(text, "f.json", most=10**9).data == data
            with pytest.raises(yaml_tree.TooManyValuesError):
                parse(text, "f.json", most=count - 1)
