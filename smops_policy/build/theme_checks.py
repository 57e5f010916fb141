"""What a language build needs of the theme: interface text in each Site language, and which of
the theme's own files it publishes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from smops_policy.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

    from smops_policy.model import Site

__all__ = ["theme_file_needed", "theme_language_problems"]


def theme_language_problems(theme_dirs: list[str], sites: Iterable[Site]) -> list[Problem]:
    """A Site language the theme has no interface text for: mkdocs-material reads its labels (search,
    navigation, "skip to content") from `partials/languages/<lang>.html`, and fails without one."""

    def known(lang: str) -> bool:
        return any((Path(folder) / "partials" / "languages" / f"{lang}.html").is_file() for folder in theme_dirs)

    problems = []
    for site in sites:
        for lang in site.languages:
            if not known(lang):
                problems.append(
                    Problem(
                        "policies/sites.yml",
                        f"Site {site.id!r}: mkdocs-material has no interface text in {lang!r}",
                        line=site.languages_line,
                        hint=f"leave the language out, or give the theme a partials/languages/{lang}.html in "
                        "its custom_dir, translated from one of mkdocs-material's",
                    )
                )
    return problems


_LUNR = "assets/javascripts/lunr/"


def theme_file_needed(uri: str, lang: str) -> bool:
    """Whether a language build publishes one of the theme's own files.

    mkdocs-material ships search support for some thirty languages and source maps for its scripts and
    styles; a language build needs only its own language's search files (the list material's search
    worker loads for `lang`), and visitors never need the source maps. Every file left out is one
    file less to write, to cache and to host (36 to 38 of the 44 theme files a language build would copy).
    """
    if uri.endswith(".map"):
        return False
    if not uri.startswith(_LUNR):
        return True
    wanted = set()
    if lang != "en":
        wanted |= {f"min/lunr.{lang}.min.js", "min/lunr.stemmer.support.min.js"}
    if lang == "ja":
        wanted.add("tinyseg.js")
    if lang in {"hi", "th"}:
        wanted.add("wordcut.js")
    return uri.removeprefix(_LUNR) in wanted
