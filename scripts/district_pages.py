"""Write docs/districts/: each contrib plugin's README as a page of the site, in both languages
(the READMEs are written in Chinese and English already), links made to work on the site.
Run after changing a README:

    .venv/bin/python scripts/district_pages.py

tests/docs/test_docs_site.py fails when a committed page is not what this writes.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ROOT = Path(__file__).parent.parent
TARGET = ROOT / "docs" / "districts"
NOTE = {
    "zh": "> 本页即 `plugins_contrib/{name}/README.md`，由 `scripts/district_pages.py` 生成。",
    "en": "> This page is `plugins_contrib/{name}/README.md`, made by `scripts/district_pages.py`.",
}
_LINK = re.compile(r"\[([^\]]+)\]\(([^)#]+)(#[^)]*)?\)")


def _site_link(name: str, match: re.Match[str]) -> str:
    text, target, anchor = match[1], match[2], match[3] or ""
    if target.startswith(("http://", "https://")):
        return match[0]
    if target == "../../README.md":
        return f"[{text}](../index.md{anchor})"
    if target.startswith("../../docs/"):
        return f"[{text}](../{target.removeprefix('../../docs/')}{anchor})"
    return f"{text} (`plugins_contrib/{name}/{target}`)"  # a file of the plugin, not a page


def pages() -> dict[Path, str]:
    """Every page to write, by its path."""
    found: dict[Path, str] = {}
    for readme in sorted(ROOT.glob("plugins_contrib/*/README.md")):
        name = readme.parent.name
        body = _LINK.sub(functools.partial(_site_link, name), readme.read_text(encoding="utf-8"))
        title, _, rest = body.partition("\n")
        for lang, suffix in (("zh", ".md"), ("en", ".en.md")):
            note = NOTE[lang].format(name=name)
            found[TARGET / f"{name}{suffix}"] = f"{title}\n\n{note}\n{rest}"
    return found


if __name__ == "__main__":
    TARGET.mkdir(exist_ok=True)
    for path, text in pages().items():
        path.write_text(text, encoding="utf-8")
        print(path.relative_to(ROOT))
