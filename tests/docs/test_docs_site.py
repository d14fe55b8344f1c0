"""The documentation site: every page in Chinese and English, in the navigation, and the
generated pages (the command-line reference, the districts' READMEs) current — regenerate with
the command in the failure."""

from __future__ import annotations

import importlib.util

import pytest

from governance_core.cli import app
from governance_core.cli._reference import PAGES, reference
from governance_core.messages import Language
from tests.support import ROOT

DOCS = ROOT / "docs"
CHINESE = sorted(
    p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if not p.name.endswith(".en.md")
)
ENGLISH = sorted(
    p.relative_to(DOCS).as_posix().removesuffix(".en.md") + ".md" for p in DOCS.rglob("*.en.md")
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_cli_reference_is_current(lang: Language) -> None:
    page = (ROOT / PAGES[lang]).read_text(encoding="utf-8")
    assert page == reference(app, lang), f"{PAGES[lang]} is stale: run scripts/cli_reference"


def test_every_page_is_in_both_languages() -> None:
    assert len(CHINESE) > 20
    assert sorted(set(CHINESE) - set(ENGLISH)) == [], "pages with no English (page.en.md)"
    assert sorted(set(ENGLISH) - set(CHINESE)) == [], "pages with no Chinese (page.md)"


def test_every_page_is_in_the_site_s_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    navs = nav.split("\n        - locale: en", 1)
    for section in navs:  # the Chinese navigation, then the English one
        assert [p for p in CHINESE if f": {p}\n" not in section] == []


def test_the_district_pages_are_the_contrib_readmes() -> None:
    spec = importlib.util.spec_from_file_location("pages", ROOT / "scripts" / "district_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = {p: p.read_text(encoding="utf-8") for p in (DOCS / "districts").glob("*.md")}
    assert written == module.pages(), "regenerate: .venv/bin/python scripts/district_pages.py"


def test_no_page_mentions_internal_work_items() -> None:
    """The site is for districts: it names no internal issue or work session."""
    import re

    internal = re.compile(
        r"\bissue \d+|\bthe issue's\b|\] issue\b|\bwork items?\b|"
        r"\b(?:this|last|next) session\b",
        re.IGNORECASE,
    )
    found = [
        f"{p.relative_to(ROOT)}: {m[0]}"
        for p in [ROOT / "README.md", *DOCS.rglob("*.md")]
        for m in internal.finditer(p.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_mermaid_is_bundled_so_diagrams_render_offline() -> None:
    import yaml

    root = ROOT
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert "javascripts/mermaid.min.js" in config["extra_javascript"]
    bundled = (root / "docs" / "javascripts" / "mermaid.min.js").read_text(encoding="utf-8")
    # the theme fetches Mermaid from a CDN only when this global is undefined
    assert bundled.rstrip().endswith(
        'globalThis["mermaid"] = globalThis.__esbuild_esm_mermaid_nm["mermaid"].default;'
    )


def test_chinese_headings_keep_their_words_in_anchors() -> None:
    from markdown import Markdown
    from pymdownx.slugs import slugify

    root = ROOT
    assert "pymdownx.slugs.slugify" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    page = Markdown(
        extensions=["toc"], extension_configs={"toc": {"slugify": slugify(case="lower")}}
    )
    assert 'id="procedures-程序"' in page.convert("## Procedures 程序")


def test_the_architecture_drawing_is_the_enforced_layers() -> None:
    spec = importlib.util.spec_from_file_location(
        "architecture_diagram", ROOT / "scripts" / "architecture_diagram.py"
    )
    assert spec is not None and spec.loader is not None
    drawing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(drawing)
    for page in drawing.PAGES:
        text = page.read_text(encoding="utf-8")
        assert drawing.written(text) == text, "regenerate: python scripts/architecture_diagram.py"
    assert "L7[storage]" in drawing.drawing()  # the reader of this test: a layer drawn


def test_registration_modules_name_no_kind() -> None:
    # a kind is one folder: where kinds are registered, hooked, titled and held, none is named
    # (overlays, mentions and the source index work on lists and gaps by design, so they may)
    kinds = (
        "criteria",
        "scoring",
        "points",
        "procedures",
        "cycles",
        "calendar",
        "gaps",
        "effects",
        "reminders",
    )
    registration = ("kinds.py", "policy_set.py", "_schema_titles.py", "schemas.py")
    modules = [ROOT / "src" / "governance_core" / "loading" / name for name in registration]
    modules.append(ROOT / "src" / "governance_core" / "plugins" / "hookspecs.py")
    named = [
        f"{path.relative_to(ROOT)} imports rules.{kind}"
        for path in modules
        for kind in kinds
        if f"governance_core.rules.{kind}" in path.read_text(encoding="utf-8")
    ]
    assert named == []
