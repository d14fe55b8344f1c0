"""Which rule-bearing sentences of the source documents no record encodes and no ``unencoded``
record explains (`governance sources --uncovered --texts FOLDER`, docs/sources.md).

The documents are the district's own input, not part of the package: they are read from a
folder, each matched to the citations by its file name (a citation's ``source``). Only the
documents the loaded policies cite are read.

**The recogniser.** A sentence (text between 。！？；, or a line) bears a rule when it says any
of:

- a number or an amount: digits, a percentage, or a Chinese numeral with a measure word
  (三个, 两名, 五次, 10分, 2万元);
- a cadence or a limit: 每月, 每季度, 每年, 每半年, 每周, 定期; 以内, 以上, 以下, 之前, 以前,
  日前, 不少于, 不超过, 不低于, 至少;
- an obligation or a bar: 不得, 不宜, 应当, 必须, 须, 严禁, 禁止, 一律;
- points and vetoes: 扣分, 加分, 计分, 扣N, 加N, 一票否决, 直接确定为;
- steps and deadlines: 第N步, 步骤, 程序, 期限, 截止, 时限.

Headings (lines that begin with ``#``) are titles, not rules, and a "sentence" without a
Chinese character (a page number, a date line) is none. A sentence is **covered** when the
words of it the loaded records keep are part of it (the passages a citation's note quotes,
and the Chinese title of every cited record, which records keep in the source's own words;
compared without spaces and punctuation; a quote that leaves words out with …… is the runs
of words either side), or the sentence is part of such words, or the two share a stretch of
ten characters in order (a rule's title that quotes a clause of a longer sentence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import final

import attrs

from governance_core.errors import Problem, ProblemsError
from governance_core.files.limits import MAX_FILE_BYTES
from governance_core.messages import _

__all__ = ["RULE_BEARING", "Coverage", "Kept", "Sentence", "rule_sentences", "uncovered"]

_NUMERAL = "[一二三四五六七八九十百千两半]+"
_MEASURE = "(?:个|名|人|次|项|分|年|月|日|天|周|种|条|类|票|户|元|万|%|％|岁|届|批)"
RULE_BEARING = re.compile(
    "|".join(
        [
            r"\d",
            rf"{_NUMERAL}{_MEASURE}",
            r"每(?:月|季度|季|年|半年|周|日|天)|定期",
            r"以内|以上|以下|之前|以前|日前|不少于|不超过|不低于|至少",
            r"不得|不宜|应当|必须|须|严禁|禁止|一律",
            r"扣分|加分|计分|扣\d|加\d|一票否决|直接确定为",
            rf"第{_NUMERAL}步|步骤|程序|期限|截止|时限",
        ]
    )
)
"""What makes a sentence bear a rule (the module says why each)."""

_SENTENCE_END = re.compile(r"[。！？；!?;]")
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
_NOT_WORDS = re.compile(r"[\s\W_]+", re.UNICODE)
_SHORTEST_QUOTE = 2  # a quote of one character covers nothing
_ELLIPSIS = re.compile(r"…+|\.{3,}")
_SHARED_RUN = 10  # characters in common, in order, that say a record keeps a sentence


@final
@attrs.frozen(slots=True)
class Sentence:
    """A rule-bearing sentence of a source: its file, the line it starts on, its words."""

    source: str
    line: int
    text: str


def rule_sentences(source: str, text: str) -> list[Sentence]:
    """Every rule-bearing sentence of ``text`` (the document ``source``), in order. A
    sentence repeated word for word (a summary paragraph restated) is listed once."""
    found: dict[str, Sentence] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        for part in _SENTENCE_END.split(line):
            sentence = part.strip()
            if _CHINESE.search(sentence) and RULE_BEARING.search(sentence):
                found.setdefault(_plain(sentence), Sentence(source, number, sentence))
    return list(found.values())


Kept = tuple[str, str]
"""Words a record keeps of a document, and the record's id."""


def _parts(kept: Iterable[Kept]) -> Iterator[Kept]:
    """Each run of words a record keeps: a quote that leaves words out ("……") is the
    passages either side of the gap, each covering its own sentence."""
    for words, record in kept:
        for part in _ELLIPSIS.split(words):
            plain = _plain(part)
            if len(plain) >= _SHORTEST_QUOTE:
                yield plain, record


def _plain(text: str) -> str:
    return _NOT_WORDS.sub("", text)


@final
class _Kept:
    """The words a document's records keep, ready to match: each run whole, and every
    stretch of :data:`_SHARED_RUN` characters of them, with the record that keeps it."""

    def __init__(self, runs: Sequence[Kept]) -> None:
        self.runs = runs
        self.stretches: dict[str, str] = {}
        for run, record in runs:
            for i in range(len(run) - _SHARED_RUN + 1):
                self.stretches.setdefault(run[i : i + _SHARED_RUN], record)

    def cover(self, sentence: Sentence) -> str | None:
        """The record that keeps ``sentence``'s words, or None."""
        plain = _plain(sentence.text)
        for run, record in self.runs:
            if run in plain or plain in run:
                return record
        for i in range(len(plain) - _SHARED_RUN + 1):
            shared = self.stretches.get(plain[i : i + _SHARED_RUN])
            if shared is not None:
                return shared
        return None


@final
@attrs.frozen(slots=True)
class Coverage:
    """What ``uncovered`` found: per document read, (rule-bearing sentences, covered); the
    sentences no record covers, in order; the cited documents the folder does not hold; and
    every rule-bearing sentence read with the record that covers it (None: none does)."""

    counts: dict[str, tuple[int, int]]
    uncovered: tuple[Sentence, ...]
    absent: tuple[str, ...]
    read: tuple[tuple[Sentence, str | None], ...] = ()


def uncovered(words: Mapping[str, Iterable[Kept]], folder: Path) -> Coverage:
    """The coverage of the documents of ``folder`` that ``words`` (by document: the words
    of it the records keep, with the record, as
    :func:`~governance_core.loading.source_index.cited_words` gives them) come from.
    ProblemsError when the folder is none, or a cited document in it cannot be read."""
    if not folder.is_dir():
        raise ProblemsError([Problem(_("not a folder"), str(folder))])
    by_source = {source: list(_parts(kept)) for source, kept in words.items()}
    problems: list[Problem] = []
    counts: dict[str, tuple[int, int]] = {}
    read: list[tuple[Sentence, str | None]] = []
    absent: list[str] = []
    for source in sorted(by_source):
        path = folder / source
        if not path.is_file():
            absent.append(source)
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError(path)
            text = path.read_text(encoding="utf-8")
        except (OSError, ValueError):
            problems.append(Problem(_("not a readable UTF-8 text of at most 64 MB"), str(path)))
            continue
        kept = _Kept(by_source[source])
        found = [(s, kept.cover(s)) for s in rule_sentences(source, text)]
        counts[source] = (len(found), sum(1 for _, record in found if record is not None))
        read += found
    if problems:
        raise ProblemsError(problems)
    left = tuple(s for s, record in read if record is None)
    return Coverage(counts, left, tuple(absent), tuple(read))
