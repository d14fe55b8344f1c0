"""The JSON Schemas of policy and overlay files (loading/schemas.py): every contrib policy
file and overlay validates against them, every record field has a schema, and `governance
schema` prints them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import orjson
import pytest
import yaml
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.cli._schema_app import SchemaKind, schema_for
from governance_core.loading.schemas import schema_of
from tests.support import ROOT

POLICIES = sorted(ROOT.glob("plugins_contrib/*/src/*/policies/*.yaml")) + sorted(
    (ROOT / "src" / "governance_core" / "procedures").glob("*.yaml")
)
EXAMPLE_OVERLAY = ROOT / "src" / "governance_core" / "examples" / "example-exit-review.yaml"
OVERLAYS = [*sorted(ROOT.glob("plugins_contrib/*/docs/example-overlay.yaml")), EXAMPLE_OVERLAY]
CASES = sorted(ROOT.glob("plugins_contrib/*/cases/*.yaml"))
KINDS = [k.value for k in SchemaKind]  # policy, overlay and case files


def _schema(kind: str) -> dict[str, Any]:
    return schema_for(SchemaKind(kind))


def _as_json(value: Any) -> Any:
    """YAML's data as JSON holds it (what an editor validates): dates as text, keys as text."""
    if isinstance(value, dict):
        return {str(k): _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _validate(kind: str, path: Path) -> None:
    data = _as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    validator = jsonschema.Draft202012Validator(_schema(kind))
    problems = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in validator.iter_errors(data)
    ]
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems[:10])


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: p.name)
def test_every_contrib_policy_file_validates(path: Path) -> None:
    _validate("policy", path)


@pytest.mark.parametrize("path", OVERLAYS, ids=lambda p: str(p.parent.parent.name))
def test_every_example_overlay_validates(path: Path) -> None:
    _validate("overlay", path)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_contrib_case_file_validates(path: Path) -> None:
    _validate("cases", path)


@pytest.mark.parametrize("kind", KINDS)
def test_the_schemas_are_valid_and_printed(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(_schema(kind))
    printed = CliRunner().invoke(app, ["schema", kind])
    assert printed.exit_code == 0, printed.output
    assert orjson.loads(printed.stdout) == _schema(kind)


def test_a_wrong_field_is_caught_by_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(schema_of("policy"))
    bad = {"lists": [{"id": "x", "titel": {"zh": "错", "en": "typo"}}]}
    assert any("titel" in e.message for e in validator.iter_errors(bad))


@pytest.mark.parametrize("kind", KINDS)
def test_the_published_schemas_are_current(kind: str) -> None:
    from governance_core.loading.schemas import published, schema_json

    assert published(kind).read_text(encoding="utf-8") == schema_json(_schema(kind)), (
        "regenerate: scripts/schemas"
    )


@pytest.mark.parametrize("path", [*POLICIES, *OVERLAYS, *CASES], ids=lambda p: p.name)
def test_every_file_names_its_schema_for_the_editor(path: Path) -> None:
    kind = "overlay" if path in OVERLAYS else "cases" if path in CASES else "policy"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    named = (path.parent / first.split("=", 1)[1]).resolve()
    assert named == (ROOT / "src" / "governance_core" / "schemas" / f"{kind}.schema.json")


@pytest.mark.parametrize("kind", KINDS)
def test_every_record_and_field_is_titled_in_chinese_and_english(kind: str) -> None:
    """An editor's hover text: 中文 then English, for every record and every field."""
    import re

    bilingual = re.compile(r"^[^\x00-\x7f].* [A-Za-z]")
    defs = _schema(kind)["$defs"]
    titles = [d["title"] for d in defs.values()]
    titles += [p["title"] for d in defs.values() for p in d["properties"].values()]
    assert len(titles) > 100
    assert [t for t in titles if not bilingual.match(t)] == []
