"""Drift tests: what smops-policy copies from, or relies on in, mkdocs and mkdocs-material.

Each test names the upstream file or function, what we rely on, and where our copy lives. When an
upgrade makes one fail, compare the upstream change with our copy (or our trick), carry it over, and
record the new fingerprint here. mkdocs and mkdocs-material are pinned to the minor versions these
fingerprints were taken from (pyproject.toml); DECISIONS.md says how to move to the next one.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from pathlib import Path

import material
import mkdocs.theme
import mkdocs.utils

from smops_policy.build.theme_checks import theme_file_needed

MATERIAL = Path(material.__file__).parent / "templates"

# material's file (or block of it) → (its sha256 when we copied it, our copy)
COPIED = {
    "partials/search.html": (
        "bfd556535abcddb99396ab2a7e3acc2ebcd3f36756007d3969396caa4126be30",
        "overrides/partials/search.html",
    ),
    "partials/javascripts/base.html": (
        "d6113712bc4deb30b4bd810ee0dfc28b6f04d2f88cc0016c0f1766eac7b762b6",
        "overrides/partials/javascripts/base.html",
    ),
    "partials/alternate.html": (
        "572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b",
        "overrides/partials/alternate.html",
    ),
    "base.html#site_meta": ("26f3fa30991041e52860342b32b079b4c576cb769766e265537384d7a5d4643b", "overrides/main.html"),
}


def _upstream(name: str) -> str:
    file, _, block = name.partition("#")
    text = (MATERIAL / file).read_text(encoding="utf-8")
    if not block:
        return text
    found = re.search(r"{% block " + block + r" %}.*?{% endblock %}", text, re.DOTALL)
    assert found, f"material's {file} has no block {block} any more: {COPIED[name][1]} overrides it"
    return found.group(0)


def test_the_material_templates_we_copied_are_unchanged_upstream() -> None:
    changed = [
        f"material's {name} changed since {copy} copied it: compare the two, carry the change over, record the new sha256"
        for name, (sha256, copy) in COPIED.items()
        if hashlib.sha256(_upstream(name).encode()).hexdigest() != sha256
    ]
    assert not changed, "\n".join(changed)


def _search_worker() -> str:
    workers = sorted((MATERIAL / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert len(workers) == 1, f"expected one search worker in material, found {workers}"
    return workers[0].read_text(encoding="utf-8")


def test_the_search_worker_loads_the_lunr_files_a_language_build_keeps() -> None:
    """theme_checks.theme_file_needed keeps, per language, only the lunr files the worker imports."""
    worker = _search_worker()
    for loaded in ("/min/lunr.stemmer.support.min.js", "/min/lunr.${", ".min.js", "/tinyseg.js", "/wordcut.js"):
        assert loaded in worker, (
            f"material's search worker no longer loads {loaded!r}: revise theme_checks.theme_file_needed"
        )
    assert 'case"ja":' in worker and 'case"hi":case"th":' in worker
    assert theme_file_needed("assets/javascripts/lunr/min/lunr.nl.min.js", "nl")
    assert theme_file_needed("assets/javascripts/lunr/min/lunr.stemmer.support.min.js", "nl")
    assert not theme_file_needed("assets/javascripts/lunr/min/lunr.nl.min.js", "de")
    assert theme_file_needed("assets/javascripts/lunr/tinyseg.js", "ja")


def test_mkdocs_lists_themes_through_the_function_the_build_replaces_for_a_run() -> None:
    """speedups.themes_listed_once swaps mkdocs.utils.get_themes (an lru_cache'd function of no
    arguments that mkdocs.theme clears) for the list it returned once in the process: mkdocs must
    still reach it through the module's global (the theme option's check of the name, loading a
    theme), so that the swap is what a config's validation calls."""
    import mkdocs.config.config_options

    assert list(inspect.signature(mkdocs.utils.get_themes).parameters) == []
    assert hasattr(mkdocs.utils.get_themes, "cache_clear")
    assert "get_themes()" in inspect.getsource(mkdocs.utils.get_theme_dir)
    assert "get_themes()" in inspect.getsource(mkdocs.utils.get_theme_names)
    assert "utils.get_themes.cache_clear()" in inspect.getsource(mkdocs.theme)
    assert "utils.get_theme_dir(name)" in inspect.getsource(mkdocs.theme.Theme)
    assert "utils.get_theme_names()" in inspect.getsource(mkdocs.config.config_options.Theme)


# --------------------------------------------------------------------------- speedups.py's tricks


def test_each_language_build_takes_its_jinja_environment_from_theme_get_env() -> None:
    """speedups.SharedTemplates.share replaces a theme's get_env (per theme object) with one whose loader and
    bytecode cache are shared by the run: mkdocs must still ask the theme for its environment in each
    build, and jinja must still consult `loader` and `bytecode_cache` (by bucket key and checksum)."""
    import jinja2
    from mkdocs.commands import build
    from mkdocs.theme import Theme

    assert "config.theme.get_env()" in inspect.getsource(build)
    assert list(inspect.signature(Theme.get_env).parameters) == ["self"]
    env = Theme(name="material").get_env()
    assert isinstance(env, jinja2.Environment) and hasattr(env, "bytecode_cache")
    bucket = jinja2.bccache.Bucket(env, "key", "checksum")
    assert (bucket.key, bucket.checksum, bucket.code) == ("key", "checksum", None)
    # the code kept in memory for the process is used only for the same checksum: it must be the
    # source's (an edited template has another), as it is on disk
    get_bucket = inspect.getsource(jinja2.BytecodeCache.get_bucket)
    assert "checksum = self.get_source_checksum(source)" in get_bucket
    assert "self.load_bytecode(bucket)" in get_bucket
    edited = jinja2.BytecodeCache()
    assert edited.get_source_checksum("a") != edited.get_source_checksum("b")
    assert list(inspect.signature(jinja2.BytecodeCache.load_bytecode).parameters) == ["self", "bucket"]
    assert list(inspect.signature(jinja2.BytecodeCache.dump_bytecode).parameters) == ["self", "bucket"]


def test_material_search_reads_a_page_before_the_held_back_body_comes_back() -> None:
    """speedups.hold_back_from_search hands material's search plugin an empty body for a page kept out
    of search, and puts the body back in our on_page_context at priority -100: the search plugin must
    read the page in on_page_context at a higher priority (it runs first)."""
    from material.plugins.search.plugin import SearchPlugin

    hook = SearchPlugin.on_page_context
    assert "page.content" in inspect.getsource(hook)
    assert getattr(hook, "mkdocs_priority", 0) > -100


def test_mkdocs_yml_read_once_means_the_same_as_read_for_each_build() -> None:
    """language_config.parse_once reads mkdocs.yml with mkdocs' YAML loader without a config object,
    and leaves files with `!relative` (the one tag that needs that object) or `INHERIT` to be read the
    usual way: mkdocs' loader must know no other tag that depends on the config."""
    source = inspect.getsource(mkdocs.utils.yaml.get_yaml_loader)
    assert re.findall(r"add_constructor\('([^']+)'", source) == ["!ENV", "!relative"]
    assert "config" not in source.split("'!ENV'")[1].split("\n")[0]


def test_a_language_config_reads_mkdocs_yml_as_mkdocs_load_file_does() -> None:
    """language_config reads mkdocs.yml itself (to set one Site's language, name and address before
    mkdocs validates it), and so does load_mkdocs_yml (with libyaml's parser under mkdocs' loader), as
    MkDocsConfig.load_file does: mkdocs' YAML loader with the config object, then load_dict."""
    from mkdocs.config.defaults import MkDocsConfig

    source = inspect.getsource(MkDocsConfig.load_file)
    assert "get_yaml_loader(config=self)" in source and "yaml_load(config_file, loader)" in source
    assert "self.load_dict(" in source


def test_mkdocs_still_frames_a_page_whose_html_we_rendered() -> None:
    """language_build.PlannedView hands mkdocs finished HTML: it overrides Page.read_source and
    Page.render and sets what mkdocs reads after them (markdown, meta, content, toc, present_anchor_ids)."""
    from mkdocs.structure.pages import Page

    assert list(inspect.signature(Page.read_source).parameters) == ["self", "config"]
    assert list(inspect.signature(Page.render).parameters) == ["self", "config", "files"]
    render = inspect.getsource(Page.render)
    assert "self.content = " in render and "self.toc = " in render and "self.present_anchor_ids = " in render
    assert "present_anchor_ids" in inspect.getsource(Page.validate_anchor_links)
