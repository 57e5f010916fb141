"""What every page of one Site in one language needs (`PageContext`), and the pieces that page
bodies of every kind share: status labels and the proof footer. No I/O."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from smops_policy import i18n
from smops_policy.i18n import N_
from smops_policy.model import Status

if TYPE_CHECKING:
    import datetime as dt

    from smops_policy.model import PolicyHistory, Publisher, Site, Version

__all__ = ["STATUS_LABELS", "PageContext", "proof"]


STATUS_LABELS = {
    Status.SUPERSEDED: N_("Superseded"),
    Status.IN_FORCE: N_("In force"),
    Status.UPCOMING: N_("Upcoming"),
    Status.DRAFT: N_("Draft"),
    Status.WITHDRAWN: N_("Withdrawn"),
}


@dataclass(frozen=True)
class PageContext:
    """What every page of one Site in one language needs."""

    publisher: Publisher
    site: Site
    lang: str
    as_of: dt.date

    def t(self, message: str, **values: object) -> str:
        return i18n.gettext(self.lang, message, **values)

    def date(self, value: dt.date) -> str:
        return i18n.format_date(value, self.lang)

    def status(self, history: PolicyHistory, version: Version) -> Status:
        return history.status(version, self.as_of)

    def status_label(self, status: Status) -> str:
        return self.t(STATUS_LABELS[status])


def proof(ctx: PageContext, version: Version) -> str:
    """The footer that lets a reader prove the text: its sha256 and commit (version and wording pages)."""
    t = ctx.t
    commit = version.commit or t("not committed (draft)")
    return (
        f'<footer class="policy-proof"><p>{escape(t("This text is {title}, version {version}, as committed.", version=version.number, title=version.title))}</p>'
        f"<dl><div><dt>{escape(t('SHA-256 of the text'))}</dt><dd><code>{version.sha256}</code></dd></div>"
        f"<div><dt>{escape(t('Git commit'))}</dt><dd><code>{escape(commit)}</code></dd></div></dl></footer>"
    )
