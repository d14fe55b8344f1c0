"""YAML merge keys (``<<: *anchor``), read by every loader since case files may use them: a
merge that is not of mappings is located, and merges cannot multiply a file's values past the
bound on aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance_core.errors import PolicyError
from governance_core.files import load_yaml


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, PolicyError).data


def test_a_merge_gives_the_keys_the_mapping_leaves_out(tmp_path: Path) -> None:
    data = _load(tmp_path, "a: &x {p: 1, q: 2}\nb:\n  <<: *x\n  q: 3\nc: {<<: [*x, {r: 4}]}\n")
    assert data == {"a": {"p": 1, "q": 2}, "b": {"p": 1, "q": 3}, "c": {"p": 1, "q": 2, "r": 4}}


@pytest.mark.parametrize("merged", ["5", "[1, 2]", "'text'"])
def test_a_merge_of_something_else_is_located(tmp_path: Path, merged: str) -> None:
    with pytest.raises(PolicyError) as caught:
        _load(tmp_path, f"a:\n  <<: {merged}\n  b: 1\n")
    problems = caught.value.problems  # one for each merged thing that is not a mapping
    assert problems and all(p.line == 2 and "merge key" in p.message for p in problems)


def test_merges_cannot_multiply_a_file(tmp_path: Path) -> None:
    # each level merges the one before twice over: 2^30 values if nothing stopped it
    lines = ["l0: &l0 {a: 1, b: 2}"]
    for n in range(1, 31):
        lines.append(f"l{n}: &l{n} {{x: {{<<: *l{n - 1}}}, y: {{<<: *l{n - 1}}}}}")
    with pytest.raises(PolicyError) as caught:
        _load(tmp_path, "\n".join(lines) + "\n")
    assert "alias" in str(caught.value).lower()
