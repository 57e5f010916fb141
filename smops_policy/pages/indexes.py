"""The plain pages outside the Sites' theme: a Site folder's own page and the output's front page.
Pure strings (no assets, no script); `build/site_files.py` writes them."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.urls import lang_home_url, policy_url, relative

if TYPE_CHECKING:
    import datetime as dt

    from smops_policy.model import Publisher
    from smops_policy.pages.planned import SitePlan

__all__ = ["plain_page", "root_index_html", "site_index_html"]


def site_index_html(plan: SitePlan) -> str:
    """The Site folder's own page: its policies in each of its languages."""
    site = plan.site
    blocks = []
    for lang in site.languages:
        links = [
            f'<li><a href="{escape(relative("", page.url))}">{escape(page.title)}</a></li>'
            for page in plan.lang_pages(lang)
            if page.url.count("/") == 2 and page.url == policy_url(lang, page.url.split("/")[1])
        ]
        heading = i18n.gettext(lang, "Policies of {site}", site=site.name)
        home = relative("", lang_home_url(lang))
        blocks.append(
            f'<section lang="{lang}"><h2><a href="{home}" hreflang="{lang}">{escape(i18n.language_name(lang))}</a></h2>'
            f"<p>{escape(heading)}</p><ul>{''.join(links)}</ul></section>"
        )
    head = f'<link rel="canonical" href="{escape(site.base_url)}">' + "".join(
        f'<link rel="alternate" hreflang="{lang}" href="{escape(site.base_url)}{lang}/">' for lang in site.languages
    )
    return plain_page(site.languages[0], site.name, f"<h1>{escape(site.name)}</h1>{''.join(blocks)}", head)


def root_index_html(publisher: Publisher, as_of: dt.date) -> str:
    """The output's front page: every Site (also in a build of some, `--site`), for previews and a
    host that serves them all."""
    items = []
    for site in publisher.sites:
        langs = " · ".join(
            f'<a href="{site.id}/{lang}/" hreflang="{lang}">{escape(i18n.language_name(lang))}</a>'
            for lang in site.languages
        )
        items.append(f'<li><a href="{site.id}/">{escape(site.name)}</a> — {langs}</li>')
    lang = "en"
    heading = i18n.gettext(lang, "Sites")
    said = i18n.gettext(lang, "As of {date}.", date=i18n.format_date(as_of, lang))
    return plain_page(lang, heading, f"<h1>{escape(heading)}</h1><p>{escape(said)}</p><ul>{''.join(items)}</ul>")


def plain_page(lang: str, title: str, body: str, head: str = "") -> str:
    """A page outside the Sites' theme: no assets, no script, readable as it is."""
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>{head}"
        "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
        "a{color:#0b57a4}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
