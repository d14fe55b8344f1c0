"""Parts every rule shares: a bilingual title, a citation, effective dates, a supplier."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from typing import TypeVar, final

import attrs

from governance_core.errors import Problem, UnknownPolicyError
from governance_core.files import Located, did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _

__all__ = [
    "ById",
    "Citation",
    "Role",
    "Supplier",
    "SupplierKind",
    "Title",
    "find",
    "in_effect",
    "range_problems",
]

T = TypeVar("T")


@final
@attrs.frozen(slots=True)
class Title:
    """A rule's title: Chinese exactly as the source writes it, and English."""

    zh: str
    en: str

    def in_language(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@final
@attrs.frozen(slots=True)
class Role:
    """Who acts: an organ or an office (镇街党(工)委, 考核组, 市委组织部) that takes a procedure's
    step or carries out a duty. The application that uses the library authenticates actors and
    says which roles each holds."""

    id: str
    title: Title


@final
@attrs.frozen(slots=True)
class Citation:
    """Where a rule comes from: document title, article or paragraph, source file.

    ``note`` records what the source leaves unsaid and how the encoding handles it.
    """

    document: str
    article: str
    source: str
    note: str | None = None

    def __str__(self) -> str:
        return f"《{self.document}》{self.article} ({self.source})"


def in_effect(day: date, start: date | None, end: date | None) -> bool:
    """Whether ``day`` lies in the inclusive range [start, end]; None is open-ended."""
    return (start is None or start <= day) and (end is None or day <= end)


def range_problems(
    located: Located, path: DataPath, rule: str, start: date | None, end: date | None
) -> Iterator[Problem]:
    """A date range that ends before it starts."""
    if start is not None and end is not None and end < start:
        yield located.problem(
            (*path, "effective_to"),
            _("the date range ends ({end}) before it starts ({start})").format(
                end=end, start=start
            ),
            rule_id=rule,
            hint=_("swap the dates or fix the typo"),
        )


class SupplierKind(enum.Enum):
    """Where a rule came from."""

    BUILT_IN = "built-in"
    PLUGIN = "plugin"
    OVERLAY = "overlay"
    FILE = "file"
    PACKAGE = "package"  # a dependency's data: the chinese-calendar package's years


@final
@attrs.frozen(slots=True, order=True)
class Supplier:
    """Who supplied a rule, and which version: a plugin (its distribution's version), an
    overlay file (the version it declares), a policy file passed directly, or the library.
    Shown beside every item of a verdict."""

    kind: SupplierKind = attrs.field(order=lambda k: k.value)
    name: str
    version: str = ""

    def __str__(self) -> str:
        version = f" {self.version}" if self.version else ""
        return f"{self.kind.value} {self.name}{version}"

    def words(self) -> str:
        """As :meth:`__str__`, the kind in words of the language set (插件 shizhong 0.1.0)."""
        kinds = {
            SupplierKind.BUILT_IN: _("built-in"),
            SupplierKind.PLUGIN: _("plugin"),
            SupplierKind.OVERLAY: _("overlay"),
            SupplierKind.FILE: _("policy file"),
            SupplierKind.PACKAGE: _("package"),
        }
        version = f" {self.version}" if self.version else ""
        return f"{kinds[self.kind]} {self.name}{version}"


def find(kind: str, kinds: str, loaded: Mapping[str, T], wanted: str) -> T:
    """The loaded rule ``wanted`` of a kind; UnknownPolicyError with a "did you mean" (or the
    loaded ids) otherwise. ``kind`` and ``kinds`` are catalog words (marked with ``N_``)."""
    try:
        return loaded[wanted]
    except KeyError:
        hint = did_you_mean(wanted, loaded) or _("loaded {kinds}: {ids}").format(
            kinds=_(kinds), ids=", ".join(sorted(loaded)) or _("none")
        )
        raise UnknownPolicyError(_(kind), wanted, hint) from None


@final
class ById(Mapping[str, T]):
    """The rules of one kind by id, in id order, as a kind assembles them (``PolicySet.of(
    CRITERIA)``); :meth:`find` is the look-up that explains a miss."""

    __slots__ = ("_by_id", "_noun", "_nouns")

    def __init__(self, noun: str, nouns: str, by_id: Mapping[str, T]) -> None:
        self._noun, self._nouns = noun, nouns
        self._by_id = dict(sorted(by_id.items()))

    def __getitem__(self, rule_id: str) -> T:
        return self._by_id[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def find(self, rule_id: str) -> T:
        """The rule ``rule_id``; UnknownPolicyError with a "did you mean" otherwise."""
        return find(self._noun, self._nouns, self._by_id, rule_id)
