"""Which versions change a Site's text: a version that reads, on one Site, exactly as the version
before it is "unchanged for this Site" (its pages exist, but nothing announces it there)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from smops_policy.content.document import PLACEHOLDER, fill_placeholders, select_site_passages
from smops_policy.content.timeline import read_as

if TYPE_CHECKING:
    from smops_policy.model import Site, Version

__all__ = ["site_reading", "site_summary", "unchanged_for_site"]


def site_reading(version: Version, site: Site) -> str:
    """The title and text as `site` reads them, as a digest: its passages selected, its values in place
    of `{{ site.KEY }}`, whitespace folded by the same rule as the history's (`timeline.read_as`)."""
    key = (version.sha256, site.id, tuple(sorted(site.variables.items())))
    found = _READINGS.get(key)
    if found is None:
        body = fill_placeholders(select_site_passages(version.body, site.id), site.variables)
        text = "\n".join(read_as(fill_placeholders(version.title, site.variables), body))
        found = _READINGS[key] = hashlib.sha256(text.encode()).hexdigest()
        _bound(_READINGS)
    return found


def unchanged_for_site(version: Version, previous: Version | None, site: Site) -> bool:
    """Whether `version` reads on `site` as `previous` does (a first version always changes)."""
    if previous is None:
        return False
    new, old = _shape(version), _shape(previous)
    if new.digest == old.digest:
        return True  # the same text as written reads the same on every Site
    if not (new.passages or old.passages):
        if not (new.keys or old.keys):
            return False  # nothing a Site puts in: different as written is different everywhere
        new_length, old_length = _length(new, site), _length(old, site)
        if new_length is not None and old_length is not None and new_length != old_length:
            return False  # a quick no, without filling the texts (most changes change the length)
    return site_reading(version, site) == site_reading(previous, site)


def site_summary(version: Version, site: Site) -> str:
    """The summary `site` shows: its own entry of a `summary:` mapping, else the default."""
    return next((text for site_id, text in version.site_summaries if site_id == site.id), version.summary)


# Planning reads every version on every Site; reading each text again for each (passages selected,
# values filled, whitespace folded) took 10 s for the 30 Sites of the large benchmark. So a version's
# text as written is read once (`_shape`, keyed by the file's sha256, which title and body come from)
# and a Site's own reading is made only where it can differ. Only digests and counts are kept.


@dataclass(frozen=True, slots=True)
class _Shape:
    digest: str  # of the title and body as written, whitespace folded
    passages: bool  # has <!-- only/except --> markers (or any comment): read per Site
    literal: int  # length of the folded text without its placeholders
    keys: tuple[tuple[str, int], ...]  # each placeholder key, and how often it occurs


_SHAPES: dict[str, _Shape] = {}  # by the file's sha256
_READINGS: dict[tuple[str, str, tuple[tuple[str, str], ...]], str] = {}  # by sha256, Site id and its values
_KEPT = 100_000  # entries of each, at most (`mkdocs serve` plans again after every edit)


def _bound(memo: dict[Any, Any]) -> None:
    if len(memo) > _KEPT:
        memo.clear()


def _shape(version: Version) -> _Shape:
    found = _SHAPES.get(version.sha256)
    if found is None:
        folded = "\n".join(read_as(version.title, version.body))
        keys = Counter(match.group(1) for match in PLACEHOLDER.finditer(folded))
        literal = len(PLACEHOLDER.sub("", folded))
        digest = hashlib.sha256(folded.encode()).hexdigest()
        found = _SHAPES[version.sha256] = _Shape(digest, "<!--" in version.body, literal, tuple(sorted(keys.items())))
        _bound(_SHAPES)
    return found


def _length(shape: _Shape, site: Site) -> int | None:
    """The length of the text as `site` reads it, when adding up is exact (no value that folding
    would change: empty, or with spaces at its ends or in runs); else None."""
    total = shape.literal
    for key, count in shape.keys:
        value = site.variables.get(key)
        if not value or value != " ".join(value.split()):
            return None
        total += count * len(value)
    return total
