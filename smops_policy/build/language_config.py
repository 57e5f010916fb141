"""The mkdocs configuration of one Site in one language: the repository's mkdocs.yml with that
language's theme and search settings, the Site's name and address, and no smops-policy entry (the
language build adds its own plugin instance, `language_build.LanguagePlugin`)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from mkdocs.config.defaults import MkDocsConfig

from smops_policy.build import speedups
from smops_policy.build.logs import PLUGIN_NAME
from smops_policy.build.mkdocs_yml import mkdocs_yaml_load
from smops_policy.build.templates import theme_text
from smops_policy.errors import PolicyError, Problem
from smops_policy.pages.plan import language_names

if TYPE_CHECKING:
    from pathlib import Path

    from smops_policy.build.mkdocs_yml import MkdocsYml
    from smops_policy.pages.planned import SitePlan

__all__ = ["language_config", "parse_once"]


def parse_once(yml: MkdocsYml) -> dict[str, Any] | None:
    """mkdocs.yml as YAML, for every language build of a run to start from (a speed trick: None with
    the speedups off, and for one that must be read the usual way each time: `INHERIT` (another
    file) and `!relative` (paths tied to the config object that loaded them))."""
    if not speedups.enabled() or "INHERIT" in yml.text or "!relative" in yml.text:
        return None
    return yml.settings  # read once for the run (without `!relative`, as mkdocs reads it); copied per use


def language_config(
    yml: MkdocsYml, parsed: dict[str, Any] | None, plan: SitePlan, lang: str, site_dir: Path
) -> MkDocsConfig:
    """The outer mkdocs.yml, set to one Site in one language, built into `site_dir`.

    This is mkdocs' load_config, less its warnings (the build gave them, once, when it loaded
    mkdocs.yml) and, with `parsed`, less parsing the same YAML again for every language build."""
    config = MkDocsConfig(config_file_path=yml.path)
    # without `parsed`: as MkDocsConfig.load_file reads it, from the text the build uses (the
    # committed one, unless drafts)
    raw = copy.deepcopy(parsed) if parsed is not None else mkdocs_yaml_load(yml, config)
    theme = raw.get("theme") or {"name": "material"}
    theme = {"name": theme} if isinstance(theme, str) else dict(theme)
    theme["language"] = lang
    plugins: list[Any] = []
    for entry in raw.get("plugins") or ["search"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        if name == PLUGIN_NAME:
            continue  # the language build adds its own instance
        if name == "search":
            options = {**(options or {}), "lang": [lang]}
        plugins.append({name: options or {}})
    names = language_names(plan.site.languages)
    extra = dict(raw.get("extra") or {})
    extra["alternate"] = [
        {"name": names[other], "link": f"../{other}/", "lang": other} for other in plan.site.languages
    ]
    config.load_dict(
        {
            **raw,
            "site_name": theme_text(plan.site.name),
            "site_url": f"{plan.site.base_url}{lang}/",
            "site_dir": str(site_dir),
            "theme": theme,
            "plugins": plugins,
            "extra": extra,
            "strict": False,
        }
    )
    errors, _warnings = config.validate()
    if errors:  # the build checked mkdocs.yml first: only a setting this build sets itself gets here
        raise PolicyError(
            [
                Problem(yml.name, f"{name}: {error} (Site {plan.site.id}, {lang})", hint="see mkdocs.yml")
                for name, error in errors
            ]
        )
    return config
