"""The documentation site's generated page stays current: the command-line reference is what
typer makes of the command as it is (regenerate with the command in the failure)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
REGENERATE = [
    sys.executable, "-m", "typer", "governance_core.cli.app", "utils", "docs",
    "--name", "governance", "--output",
]  # fmt: skip


def test_the_cli_reference_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "cli.md"
    subprocess.run([*REGENERATE, str(fresh)], check=True, capture_output=True, cwd=ROOT)
    assert fresh.read_text(encoding="utf-8") == (ROOT / "docs/cli.md").read_text(
        encoding="utf-8"
    ), "docs/cli.md is stale: run " + " ".join([*REGENERATE[1:], "docs/cli.md"])


def test_every_page_is_in_the_site_s_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert [p for p in pages if f": {p}" not in nav] == []


def test_mermaid_is_bundled_so_diagrams_render_offline() -> None:
    import yaml

    root = Path(__file__).parent.parent
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

    root = Path(__file__).parent.parent
    assert "pymdownx.slugs.slugify" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    page = Markdown(
        extensions=["toc"], extension_configs={"toc": {"slugify": slugify(case="lower")}}
    )
    assert 'id="procedures-程序"' in page.convert("## Procedures 程序")
