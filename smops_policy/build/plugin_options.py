"""The options of the `smops-policy` entry under `plugins:` in mkdocs.yml (mkdocs validates them)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

__all__ = ["PolicyPluginConfig"]


class PolicyPluginConfig(Config):
    repo = c.Optional(c.Type(str))  # the policy repository; default: the folder of mkdocs.yml
    as_of = c.Optional(c.Type(str))  # YYYY-MM-DD; default: today in the timezone of sites.yml
    drafts = c.Type(bool, default=False)
    jobs = c.Type(int, default=0)  # processes building Site × language builds; 0: one per CPU
    cache = c.Type(str, default=".smops-cache")  # finished builds by content, beside mkdocs.yml; "" turns it off
