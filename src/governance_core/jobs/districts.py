"""A province of real districts (`governance province run DISTRICTS`): each district's own
book, plugins and settings, run as `governance run --roster` runs it, into its own store and
workbook, nothing shared, so that districts run one after another in this process or side by
side on Dask workers with the same digests (docs/province.md).

A district is a folder holding its settings (``governance.toml``: plugins, overlays,
policies) and one book (``.xlsx``: its roster, and the 评分/投票 sheets its steps read). A
district's failure is kept as its outcome, with the reason in words, and never stops the
others; a failure that is not a refusal of the district's own files (a store that cannot be
opened, a worker lost) is tried once more.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, final

import attrs

from governance_core.errors import ConfigError, GovernanceError, Problem, ProblemsError
from governance_core.files import os_reason
from governance_core.jobs.collection import kept_from_collection
from governance_core.jobs.district_inputs import read_district
from governance_core.jobs.province import WriteBook, decisions_digest, engine_for, run_into
from governance_core.messages import Language, _, in_language
from governance_core.rules.cycles import CYCLES, Period
from governance_core.storage import shown_url

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "DEFAULT_DATABASE",
    "SETTINGS",
    "District",
    "DistrictOutcome",
    "find_districts",
    "run_district",
    "run_districts",
    "store_url",
]

SETTINGS = "governance.toml"
"""The file that makes a folder a district: its settings."""

DEFAULT_DATABASE = "sqlite:///{output}/{district}/governance.db"
"""Where each district's store is kept unless told: a SQLite file per district."""

_TRIES = 2  # a failure that is not the district's own files is tried once more


@final
@attrs.frozen(slots=True)
class District:
    """A district of the province: its name (its folder's), settings and book."""

    name: str
    folder: Path
    settings: Path
    book: Path


@final
@attrs.frozen(slots=True)
class DistrictOutcome:
    """How one district's run ended: its digests when it ran (``head`` over every record its
    store holds, ``decisions`` over everything decided), or ``error`` in words when it did
    not. ``retry``: whether the failure may pass on another try (not the district's files)."""

    name: str
    ok: bool
    attempts: int = 1
    people: int = 0
    records: int = 0
    head: str = ""
    decisions: str = ""
    workbook: str = ""
    store: str = ""
    cpu_seconds: float = 0.0
    error: str = ""
    retry: bool = False


def _district(folder: Path, problems: list[Problem]) -> District | None:
    books = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$"))
    if len(books) != 1:
        problems.append(
            Problem(
                _("a district folder holds one book (.xlsx); {folder} holds {count}").format(
                    folder=folder.name, count=len(books)
                ),
                file=str(folder),
                hint=_("keep the district's roster and inputs in one book"),
            )
        )
        return None
    return District(folder.name, folder, folder / SETTINGS, books[0])


def find_districts(paths: Sequence[Path]) -> list[District]:
    """The districts ``paths`` name: each a district's folder (it holds ``governance.toml``)
    or a folder of districts' folders. ConfigError with every problem found, each located."""
    problems: list[Problem] = []
    found: list[District] = []
    for path in paths:
        if not path.is_dir():
            problems.append(Problem(_("no such folder"), file=str(path)))
            continue
        folders = (
            [path]
            if (path / SETTINGS).is_file()
            else sorted(p for p in path.iterdir() if (p / SETTINGS).is_file())
        )
        if not folders:
            problems.append(
                Problem(
                    _("no district here: no {settings} in it or in its folders").format(
                        settings=SETTINGS
                    ),
                    file=str(path),
                )
            )
        found += [d for folder in folders if (d := _district(folder, problems)) is not None]
    names = [d.name for d in found]
    problems += [
        Problem(_("two districts are named {name}").format(name=name), file=str(d.folder))
        for d in found
        if names.count(name := d.name) > 1
    ]
    if problems:
        raise ConfigError(problems)
    return found


def store_url(template: str, district: District, output: Path) -> str:
    """The store of ``district``: ``template`` with ``{district}`` (its name), ``{folder}``
    (its folder) and ``{output}`` (the run's output folder) filled in."""
    return template.format(district=district.name, folder=district.folder, output=output)


def _workbook(output: Path, district: District, period: Period) -> Path:
    return output / district.name / f"{district.name}-{period.label}.xlsx"


def run_district(
    district: District,
    period: Period,
    output: Path,
    database: str,
    lang: Language,
    write_book: WriteBook | None,
    attempt: int = 1,
) -> DistrictOutcome:
    """Run ``district`` over ``period``: its store at ``database`` (a template, see
    :func:`store_url`), its workbook in ``output``. Never raises: a failure is the outcome."""
    started = time.process_time()
    with in_language(lang):
        try:
            return _run(district, period, output, database, write_book, attempt, started)
        except ProblemsError as error:  # the district's own files or settings: not retried
            return DistrictOutcome(district.name, False, attempt, error=str(error))
        except GovernanceError as error:
            return DistrictOutcome(district.name, False, attempt, error=str(error), retry=True)
        except OSError as error:
            reason = _("{file}: {reason}").format(
                file=error.filename or district.folder, reason=os_reason(error)
            )
            return DistrictOutcome(district.name, False, attempt, error=reason, retry=True)
        except Exception as error:  # a fault of ours: said, and the other districts run on
            said = _("an unexpected error ({kind}); report it with the district's files").format(
                kind=type(error).__name__
            )
            return DistrictOutcome(district.name, False, attempt, error=said, retry=True)


def _run(
    district: District,
    period: Period,
    output: Path,
    database: str,
    write_book: WriteBook | None,
    attempt: int,
    started: float,
) -> DistrictOutcome:
    engine = engine_for(district.settings)
    steps = {s.id for c in engine.policies.of(CYCLES).cycles.values() for s in c.steps}
    if not steps:
        raise ConfigError(
            [Problem(_("no loaded plugin declares a cycle"), file=str(district.settings))]
        )
    data = read_district(district.book, [], steps)
    url = store_url(database, district, output)
    (output / district.name).mkdir(parents=True, exist_ok=True)
    workbook = _workbook(output, district, period)
    with kept_from_collection():  # the engine and the district's book, loaded
        report, head = run_into(engine, period, data, url)
        if write_book is not None:
            write_book(report, engine, workbook)
    people = len(data.roster.people) if data.roster is not None else 0
    return DistrictOutcome(
        district.name,
        True,
        attempt,
        people,
        report.records_written,
        head,
        decisions_digest(report),
        str(workbook) if write_book is not None else "",
        shown_url(url),
        time.process_time() - started,
    )


Done = Callable[[DistrictOutcome], None]
"""Told of each district's outcome as it comes (the command's progress bar)."""


def run_districts(
    districts: Sequence[District],
    period: Period,
    output: Path,
    *,
    database: str = DEFAULT_DATABASE,
    lang: Language = "zh",
    write_book: WriteBook | None = None,
    client: Client | None = None,
    done: Done | None = None,
) -> list[DistrictOutcome]:
    """Run every district, in this process or, with ``client``, on its Dask workers (each
    loads a district's engine once); the outcomes in the order of ``districts``, the same
    whichever way they ran."""

    def here(todo: Sequence[District], attempt: int) -> Iterator[DistrictOutcome]:
        for d in todo:
            yield run_district(d, period, output, database, lang, write_book, attempt)

    def on_dask(todo: Sequence[District], attempt: int) -> Iterator[DistrictOutcome]:
        assert client is not None
        return _on_dask(client, todo, period, output, database, lang, write_book, attempt)

    outcomes = _with_retry(districts, here if client is None else on_dask)
    by_name: dict[str, DistrictOutcome] = {}
    for outcome in outcomes:
        if done is not None and (outcome.ok or not outcome.retry or outcome.attempts >= _TRIES):
            done(outcome)
        by_name[outcome.name] = outcome
    return [by_name[d.name] for d in districts]


def _with_retry(
    districts: Sequence[District],
    attempt_all: Callable[[Sequence[District], int], Iterable[DistrictOutcome]],
) -> Iterator[DistrictOutcome]:
    """Each district's outcome; a failure that may pass on another try is tried again (the
    retried outcome replaces it)."""
    todo = list(districts)
    for attempt in range(1, _TRIES + 1):
        again: list[District] = []
        for outcome in attempt_all(todo, attempt):
            yield outcome
            if not outcome.ok and outcome.retry:
                again.append(next(d for d in todo if d.name == outcome.name))
        if not again:
            return
        todo = again


def _on_dask(
    client: Client,
    todo: Sequence[District],
    period: Period,
    output: Path,
    database: str,
    lang: Language,
    write_book: WriteBook | None,
    attempt: int,
) -> Iterator[DistrictOutcome]:
    from distributed import as_completed

    futures = {
        client.submit(
            run_district,
            d,
            period,
            output,
            database,
            lang,
            write_book,
            attempt,
            pure=False,  # a key of its own each time: a long-lived scheduler keeps no result
        ): d
        for d in todo
    }
    for future in as_completed(futures):  # type: ignore[no-untyped-call]
        district = futures[future]
        try:
            yield future.result()
        except Exception as error:  # a worker lost, or killed: said, and tried again
            with in_language(lang):
                said = _("the worker running it failed: {reason}").format(
                    reason=type(error).__name__
                )
            yield DistrictOutcome(district.name, False, attempt, error=said, retry=True)
