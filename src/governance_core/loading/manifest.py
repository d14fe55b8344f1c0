"""What a policy set was made of, as a digest a decision can carry (docs/district-year.md,
"Deciding again"): every source and overlay by its supplier (a plugin and its version, a file,
an overlay and its version) and every record it supplied, each by the SHA-256 of its canonical
JSON. Two policy sets with the same digest decide alike; when the digests differ,
:func:`differences` names what changed — a plugin's version, a record added, removed or
changed (a list's item, a parameter's value) — in words."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import final

import attrs
import orjson

from governance_core._version import __version__
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.kinds import RecordSource

__all__ = ["Manifest", "differences", "digest_of", "manifest_of"]


def _hash(data: object) -> str:
    text = orjson.dumps(
        converter.unstructure(data), option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )
    return hashlib.sha256(text).hexdigest()


@final
@attrs.frozen(slots=True)
class Manifest:
    """Each supplier (``plugin shizhong 0.1.0``, ``overlay …``) with each record it supplied,
    ``section/id`` → its hash, and the library's version; ``digest`` hashes it all."""

    library: str
    suppliers: Mapping[str, Mapping[str, str]]
    digest: str


def manifest_of(sources: Sequence[RecordSource], overlays: Sequence[RecordSource]) -> Manifest:
    """The manifest of the sources and overlays a policy set is assembled from, in order."""
    suppliers: dict[str, dict[str, str]] = {}
    for n, source in enumerate([*sources, *overlays]):
        records: dict[str, str] = {}
        sections: Mapping[str, Sequence[object]] = getattr(source, "sections", {})
        for section in sorted(sections):
            for i, record in enumerate(sections[section]):
                key = getattr(record, "id", None) or getattr(record, "year", None) or i
                records[f"{section}/{key}"] = _hash(record)
        # a plugin supplies several files: each is known by its supplier and its file's name,
        # never by where it lies (the same policies decide alike on any machine)
        name = _base(source.located.file)
        suppliers[f"{n:03d} {_who(source.supplier)} {name}"] = records
    digest = _hash({"library": __version__, "suppliers": suppliers})
    return Manifest(__version__, suppliers, digest)


def digest_of(manifest: Manifest) -> str:
    """The digest ``manifest``'s content hashes to (its own ``digest`` field aside): a kept
    manifest that was edited no longer matches the digest steps name."""
    return _hash({"library": manifest.library, "suppliers": manifest.suppliers})


def _base(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _who(supplier: Supplier) -> str:
    """A supplier without the place it was read from: a file by its name, an overlay by its
    id (its name says where it lies), and the version."""
    name = supplier.name
    if supplier.kind is SupplierKind.FILE:
        name = _base(name)
    elif supplier.kind is SupplierKind.OVERLAY:
        name = name.split(" (", 1)[0]
    return " ".join(p for p in (supplier.kind.value, name, supplier.version) if p)


def differences(recorded: Manifest, loaded: Manifest) -> list[str]:
    """What differs between the policy set a decision recorded and the one loaded, in words."""
    found: list[str] = []
    if recorded.library != loaded.library:
        found.append(
            _("the library was {old}, is {new}").format(old=recorded.library, new=loaded.library)
        )
    before, after = _by_name(recorded), _by_name(loaded)
    for name in sorted(before.keys() - after.keys()):
        found.append(_("{supplier} is no longer loaded").format(supplier=name))
    for name in sorted(after.keys() - before.keys()):
        found.append(_("{supplier} is loaded, and was not").format(supplier=name))
    for name in sorted(before.keys() & after.keys()):
        old, new = before[name], after[name]
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        if changed:
            found.append(
                _("{supplier}: {count} records differ ({records})").format(
                    supplier=name, count=len(changed), records=", ".join(changed[:5])
                )
            )
    return found


def _by_name(manifest: Manifest) -> dict[str, Mapping[str, str]]:
    """Suppliers by name without their place in the order (a place is not a change)."""
    return {key.split(" ", 1)[1]: records for key, records in manifest.suppliers.items()}
