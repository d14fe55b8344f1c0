"""JSON Schemas of the files people write, generated from the records the library reads them
into: a policy file, an overlay, a YAML case file (docs/policy-files.md). Published with the
package (``governance schema [KIND]`` prints one) for editors: a file whose first line is

    # yaml-language-server: $schema=<the schema's file>

gets completion, hover text and validation from yaml-language-server (VS Code's YAML
extension) as it is typed. A record field of a type the generator does not know is an error
here, not an empty schema, so that no field goes unchecked (tests/loading/test_schemas.py).

The schemas say what the records' types say; what the library checks beyond them (an
expression's names, a quota's shares, references between records) `governance check` says.
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from governance_core.loading._schema_titles import field_titles, record_titles
from governance_core.loading.kinds import overlay_sections, policy_sections
from governance_core.loading.overlays import OverlayHeader
from governance_core.loading.sources import file_form
from governance_core.messages import in_language

__all__ = ["SCHEMA_KINDS", "file_schema", "published", "schema_json", "schema_of", "schema_text"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_NUMBER = r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?(/\d+)?\s*$"  # "0.1", "343/4"
_DOCS = "https://github.com/governance-core/governance_core/blob/main/docs/policy-files.md"


def _bilingual(titles: Any) -> dict[str, str]:
    """``titles()`` as "中文 English" per key, for an editor's hover text."""
    with in_language("zh"):
        chinese = titles()
    with in_language("en"):
        english = titles()
    return {key: f"{chinese[key]} {english[key]}" for key in english}


class _Schemas:
    """JSON Schemas of attrs records, each record once under ``$defs``, every record and field
    titled in Chinese and English (a record or field without a title is an error)."""

    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}
        self.records = _bilingual(record_titles)
        self.fields = _bilingual(field_titles)

    def _title(self, titles: dict[str, str], name: str) -> str:
        if name not in titles:
            raise TypeError(
                f"no title for {name!r}: add one to its kind's titles.py or loading/_schema_titles.py"
            )
        return titles[name]

    def of(self, tp: Any) -> dict[str, Any]:
        origin = get_origin(tp)
        if tp is Any or tp is object:
            return {}
        if tp is type(None):
            return {"type": "null"}
        if origin in (Union, types.UnionType):
            return {"anyOf": [self.of(arg) for arg in get_args(tp)]}
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return {"enum": [m.value for m in tp]}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp in (float, Decimal, Fraction):  # a number, or its exact text ("0.1", "1/3")
            return {"anyOf": [{"type": "number"}, {"type": "string", "pattern": _NUMBER}]}
        if tp is str:
            return {"type": "string"}
        if tp is datetime:
            return {"type": "string", "format": "date-time"}
        if tp is date:
            return {"type": "string", "format": "date"}
        if origin in (tuple, list, set, frozenset) or tp in (tuple, list):
            items = [a for a in get_args(tp) if a is not Ellipsis]
            if origin is tuple and len(get_args(tp)) > 1 and Ellipsis not in get_args(tp):
                return {
                    "type": "array",
                    "prefixItems": [self.of(a) for a in items],
                    "minItems": len(items),
                    "maxItems": len(items),
                }
            return {"type": "array", "items": self.of(items[0]) if items else {}}
        if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
            _key, value = get_args(tp) or (str, Any)
            return {"type": "object", "additionalProperties": self.of(value)}
        if attrs.has(tp):
            return self._record(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")

    def _record(self, cls: type[Any]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a record that holds itself refers to itself
            hints = attrs.resolve_types(cls)
            properties, required = {}, []
            for field in attrs.fields(hints):
                if not field.init:
                    continue
                key = field.alias or field.name
                title = self.fields.get(f"{name}.{key}") or self._title(self.fields, key)
                properties[key] = {"title": title, **self.of(field.type)}
                if field.default is attrs.NOTHING:
                    required.append(key)
            doc = (cls.__doc__ or "").strip().split("\n\n")[0]
            self.defs[name] = {
                "type": "object",
                "title": self._title(self.records, name),
                "description": " ".join(doc.split()),
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}


def file_schema(kind: str, form: type[Any], title: str) -> dict[str, Any]:
    """The JSON Schema of a file read into the attrs record ``form`` (published as
    ``{kind}.schema.json``), ``title`` in Chinese and English."""
    schemas = _Schemas()
    schemas.of(form)
    root = schemas.defs.pop(form.__name__)
    return {
        "$schema": _DIALECT,
        "$id": f"governance_core/{kind}.schema.json",
        **root,
        "title": title,
        "description": f"{title}: see {_DOCS}",
        "$defs": schemas.defs,
    }


SCHEMA_KINDS = ("policy", "overlay")
"""The files a schema is published for."""


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of a ``policy`` file or an ``overlay`` file, as the loaded kinds of
    rule read them."""
    if kind == "policy":
        return file_schema(
            kind,
            file_form("PolicyFile", policy_sections()),
            "政策文件 A governance_core policy file",
        )
    if kind == "overlay":
        form = file_form("Overlay", overlay_sections(), overlay=attrs.field(type=OverlayHeader))
        return file_schema(kind, form, "覆盖文件 A governance_core overlay file")
    raise ValueError(f"no schema {kind!r}: one of {', '.join(SCHEMA_KINDS)}")


def schema_text(kind: str) -> str:
    """The schema of ``kind`` as its published file holds it."""
    return schema_json(schema_of(kind))


def schema_json(schema: dict[str, Any]) -> str:
    """A schema as the published files hold it (UTF-8 JSON, two-space indents)."""
    import orjson

    return orjson.dumps(schema, option=orjson.OPT_INDENT_2).decode() + "\n"


def published(kind: str) -> Path:
    """Where the package keeps the schema of ``kind`` (scripts/schemas writes it)."""
    return Path(__file__).parent.parent / "schemas" / f"{kind}.schema.json"
