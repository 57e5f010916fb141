"""What a build relies on from its cache (build/cache.py), on folders without a build: an unchanged
input reuses what was stored, a damaged or missing piece is rebuilt, never trusted, a cache on another
file system works by copying, the digests of what a build wrote are known without reading it again,
and pruning deletes only what the cache made and this build did not use. More in test_cache_key.py;
the same through real builds in test_cache.py."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from smops_policy.build.cache import BuildCache, tree_digests
from smops_policy.build.folders import mark_cache

if TYPE_CHECKING:
    from collections.abc import Iterator

HOME, PRIVACY = b"<p>home</p>", b"<p>privacy</p>"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def language_build(folder: Path) -> Path:
    """What one language build writes: two pages."""
    (folder / "privacy").mkdir(parents=True)
    (folder / "index.html").write_bytes(HOME)
    (folder / "privacy" / "index.html").write_bytes(PRIVACY)
    return folder


def cache_in(root: Path, **kwargs: bool) -> BuildCache:
    root.mkdir(exist_ok=True)
    mark_cache(root)
    return BuildCache(root, **kwargs)


def test_an_entry_whose_stored_file_went_missing_is_dropped_then_rebuilt_and_reused(tmp_path: Path) -> None:
    key = BuildCache.key("alpha", "en", "1.0")
    cache_in(tmp_path / "cache").store(key, language_build(tmp_path / "built"))
    (tmp_path / "cache" / "objects" / sha(PRIVACY)).unlink()

    second = cache_in(tmp_path / "cache")
    assert not second.restore(key, tmp_path / "out")
    assert (second.hits, second.misses, second.dropped) == (0, 1, 1)
    assert not (tmp_path / "out").exists()

    second.store(key, language_build(tmp_path / "rebuilt"))  # the build made again
    third = cache_in(tmp_path / "cache")
    assert third.restore(key, tmp_path / "out")
    assert (tmp_path / "out" / "privacy" / "index.html").read_bytes() == PRIVACY
    assert (third.hits, third.misses, third.dropped) == (1, 0, 0)


@pytest.fixture
def other_file_system(tmp_path: Path) -> Iterator[Path]:
    """A folder on another file system than tmp_path, where hard links cannot reach: the RAM disk, or the
    disk when the tests' temporary folders are on the RAM disk (`make test`)."""
    here = os.stat(tmp_path).st_dev
    places = [place for place in ("/dev/shm", "/var/tmp") if os.path.isdir(place) and os.access(place, os.W_OK)]
    other = next((place for place in places if os.stat(place).st_dev != here), None)
    if other is None:
        pytest.skip("no second file system here")
    folder = tempfile.mkdtemp(dir=other, prefix="smops-cache-test-")
    try:
        yield Path(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_cache_on_another_file_system_keeps_and_restores_copies(tmp_path: Path, other_file_system: Path) -> None:
    key = BuildCache.key("alpha", "en")
    cache_in(other_file_system / "cache").store(key, language_build(tmp_path / "built"))
    stored = other_file_system / "cache" / "objects" / sha(HOME)
    assert stored.read_bytes() == HOME

    later = cache_in(other_file_system / "cache")
    assert later.restore(key, tmp_path / "out")
    restored = tmp_path / "out" / "index.html"
    assert restored.read_bytes() == HOME
    restored.write_bytes(b"<p>edited after the build</p>")  # a copy: the cache keeps its own
    assert stored.read_bytes() == HOME
    assert cache_in(other_file_system / "cache").restore(key, tmp_path / "again")


def test_a_digest_only_restore_makes_the_language_folder_for_the_sites_own_files(tmp_path: Path) -> None:
    key = BuildCache.key("alpha", "en")
    cache_in(tmp_path / "cache").store(key, language_build(tmp_path / "built"))
    reader = cache_in(tmp_path / "cache", restore_files=False)

    language = tmp_path / "site" / "alpha" / "en"
    assert reader.restore(key, language)
    assert language.is_dir() and not list(language.iterdir())
    assert reader.restore(key, language)  # and again, into the folder now there
    assert reader.hits == 2


def test_the_digests_of_what_this_run_wrote_are_known_below_any_folder_that_holds_it(tmp_path: Path) -> None:
    cache = cache_in(tmp_path / "cache")
    key = BuildCache.key("alpha", "en")
    site = tmp_path / "site"
    cache.store(key, language_build(site / "alpha" / "en"))  # a build just made and stored
    assert cache.restore(key, tmp_path / "elsewhere")  # outside the Site folder
    assert cache.restore(key, site / "beta" / "en")  # another Site's language, from the cache

    expected = tree_digests(site / "alpha" / "en")
    assert cache.digests_below(site / "alpha") == {f"en/{name}": digest for name, digest in expected.items()}
    assert cache.digests_below(site) == {
        **{f"alpha/en/{name}": digest for name, digest in expected.items()},
        **{f"beta/en/{name}": digest for name, digest in expected.items()},
    }
    # a folder that holds the one asked about is not below it
    assert cache.digests_below(site / "alpha" / "en" / "privacy") == {}


def test_prune_after_a_build_keeps_what_it_stored_and_what_it_restored(tmp_path: Path) -> None:
    old, stored, restored = (BuildCache.key(version) for version in ("1.0", "1.1", "1.2"))
    first = cache_in(tmp_path / "cache")
    first.store(old, language_build(tmp_path / "old"))
    first.store(restored, language_build(tmp_path / "restored"))

    build = cache_in(tmp_path / "cache")
    assert build.restore(restored, tmp_path / "out")
    build.store(stored, language_build(tmp_path / "new"))
    build.prune()

    entries = sorted(p.name for p in (tmp_path / "cache").glob("*.json"))
    assert entries == sorted([f"{stored}.json", f"{restored}.json"])
    assert cache_in(tmp_path / "cache").restore(stored, tmp_path / "next")


def test_prune_deletes_only_what_the_cache_made(tmp_path: Path) -> None:
    cache = cache_in(tmp_path / "cache")
    cache.store(BuildCache.key("alpha"), language_build(tmp_path / "built"))
    (tmp_path / "cache" / "notes.json").write_text("{}", encoding="utf-8")  # someone's, not an entry
    (tmp_path / "cache" / "README").write_text("mine", encoding="utf-8")
    cut_short = tmp_path / "cache" / ".store-cut-short"  # a store cut short, whatever it left
    (cut_short / "deeper").mkdir(parents=True)
    (cut_short / "deeper" / "part").write_bytes(b"x")

    cache.prune()

    names = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert names == sorted(["CACHEDIR.TAG", "README", "notes.json", "objects", f"{BuildCache.key('alpha')}.json"])
    assert json.loads((tmp_path / "cache" / "notes.json").read_text(encoding="utf-8")) == {}
