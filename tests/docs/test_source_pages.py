"""docs/source-texts/: each source paragraph by paragraph, beside the records that encode or
explain its rule-bearing sentences, as scripts/source_pages.py writes it from the contrib
plugins and ../shared/sources (issue 35)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.support import ROOT

SCRIPT = ROOT / "scripts" / "source_pages.py"
SOURCES = ROOT.parent / "shared" / "sources"


@pytest.mark.districts
@pytest.mark.skipif(not SOURCES.is_dir(), reason="no ../shared/sources on this machine")
def test_the_source_pages_are_current() -> None:
    spec = importlib.util.spec_from_file_location("source_pages", SCRIPT)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = script.pages()
    assert len(written) == 10  # five sources, in both languages
    for path, text in written.items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name} is stale: run scripts/source_pages.py"
        )
    # 000 is accounted for to the last sentence: no "none yet" on its pages
    assert "| 尚无 |" not in (ROOT / "docs" / "source-texts" / "000.md").read_text(encoding="utf-8")
