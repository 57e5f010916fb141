"""The build cache's key and store (build/cache.py), on folders in tmp_path without a build: a key
changes with every input, an entry comes back byte for byte, and a damaged or foreign entry is never
used. The same through real builds is in test_cache.py and test_cache_inputs.py."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from smops_policy.build.cache import BuildCache, code_fingerprint, tree_digests
from smops_policy.build.folders import mark_cache


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_key_depends_on_every_part_its_order_and_where_parts_end() -> None:
    key = BuildCache.key("alpha", "en", "abc")
    assert key == BuildCache.key("alpha", "en", "abc")
    assert len(key) == 64
    assert len({key, BuildCache.key("alpha", "nl", "abc"), BuildCache.key("en", "alpha", "abc")}) == 3
    assert BuildCache.key("ab", "c") != BuildCache.key("a", "bc")  # parts are kept apart
    assert BuildCache.key("é") != BuildCache.key("e")
    manual = hashlib.sha256(code_fingerprint().encode())
    manual.update(b"\0alpha")
    assert BuildCache.key("alpha") == manual.hexdigest()  # the code and its libraries are part of it


def built(tmp_path: Path) -> Path:
    folder = tmp_path / "built"
    (folder / "en" / "privacy").mkdir(parents=True)
    (folder / "index.html").write_bytes(b"<p>home</p>")
    (folder / "en" / "privacy" / "index.html").write_bytes(b"<p>privacy</p>")
    (folder / "en" / "copy.html").write_bytes(b"<p>home</p>")  # the same content: kept once
    return folder


def cache(tmp_path: Path, **kwargs: bool) -> BuildCache:
    root = tmp_path / "cache"
    root.mkdir(exist_ok=True)
    mark_cache(root)
    return BuildCache(root, **kwargs)


def test_the_digests_of_a_tree_name_each_file_relative_to_it(tmp_path: Path) -> None:
    folder = built(tmp_path)
    digests = tree_digests(folder)
    assert digests == {
        "index.html": sha(b"<p>home</p>"),
        "en/privacy/index.html": sha(b"<p>privacy</p>"),
        "en/copy.html": sha(b"<p>home</p>"),
    }
    assert tree_digests(folder, expected={"other.html": "x"}) == dict.fromkeys(digests, "")  # cannot match
    assert tree_digests(folder, expected=digests) == digests
    known = {"index.html": "remembered"}
    assert tree_digests(folder, known=known)["index.html"] == "remembered"  # not read again


def test_a_stored_build_is_restored_file_for_file(tmp_path: Path) -> None:
    store = cache(tmp_path)
    key = BuildCache.key("alpha", "en")
    store.store(key, built(tmp_path))
    entry = json.loads((tmp_path / "cache" / f"{key}.json").read_text(encoding="utf-8"))
    assert sorted(entry) == ["en/copy.html", "en/privacy/index.html", "index.html"]
    assert len(list((tmp_path / "cache" / "objects").iterdir())) == 2  # content kept once

    again = cache(tmp_path)
    out = tmp_path / "out"
    assert again.restore(key, out)
    assert (out / "en" / "privacy" / "index.html").read_bytes() == b"<p>privacy</p>"
    assert (out / "en" / "copy.html").read_bytes() == b"<p>home</p>"
    assert (again.hits, again.misses, again.dropped) == (1, 0, 0)
    assert again.digests_below(tmp_path) == {f"out/{name}": digest for name, digest in entry.items()}
    assert again.digests_below(out) == entry
    assert again.digests_below(tmp_path / "elsewhere") == {}
    assert BuildCache.object_path(tmp_path / "cache", entry["index.html"]) is not None
    assert BuildCache.object_path(tmp_path / "cache", "0" * 64) is None
    assert BuildCache.object_path(tmp_path / "cache", "../x") is None


def test_a_missing_entry_is_a_miss(tmp_path: Path) -> None:
    store = cache(tmp_path)
    assert not store.restore(BuildCache.key("nothing"), tmp_path / "out")
    assert (store.hits, store.misses, store.dropped) == (0, 1, 0)
    assert not BuildCache(None).restore("x", tmp_path / "out")
    BuildCache(None).store("x", built(tmp_path))  # no cache: nothing kept, nothing fails


def test_a_damaged_object_drops_the_entry_and_is_never_used(tmp_path: Path) -> None:
    store = cache(tmp_path)
    key = BuildCache.key("alpha")
    store.store(key, built(tmp_path))
    digest = sha(b"<p>privacy</p>")
    (tmp_path / "cache" / "objects" / digest).write_bytes(b"<p>edited in place</p>")
    again = cache(tmp_path)
    assert not again.restore(key, tmp_path / "out")
    assert (again.hits, again.misses, again.dropped) == (0, 1, 1)
    assert not (tmp_path / "cache" / f"{key}.json").exists()
    assert not (tmp_path / "cache" / "objects" / digest).exists()


@pytest.mark.parametrize(
    "name",
    ["../outside.html", "/etc/passwd", "a\\b", "a//b", "./a", "a/./b", "a/..", ""],
)
def test_an_entry_that_names_a_file_outside_its_folder_is_refused(tmp_path: Path, name: str) -> None:
    """Even when every file it names is a sound object of the cache."""
    store = cache(tmp_path)
    store.store(BuildCache.key("alpha"), built(tmp_path))
    key = BuildCache.key("hostile")
    entry = {"index.html": sha(b"<p>home</p>"), name: sha(b"<p>privacy</p>")}
    (tmp_path / "cache" / f"{key}.json").write_text(json.dumps(entry), encoding="utf-8")
    for reader in (cache(tmp_path), cache(tmp_path, restore_files=False)):
        assert not reader.restore(key, tmp_path / "out")
        assert reader.dropped == 1
        assert not (tmp_path / "out").exists()
        (tmp_path / "cache" / f"{key}.json").write_text(json.dumps(entry), encoding="utf-8")


@pytest.mark.parametrize("entry", [{"a": 12}, ["a"], {"a": "not-a-sha"}])
def test_an_entry_that_is_not_names_and_digests_is_refused(tmp_path: Path, entry: object) -> None:
    store = cache(tmp_path)
    key = BuildCache.key("odd")
    (tmp_path / "cache" / f"{key}.json").write_text(json.dumps(entry), encoding="utf-8")
    assert not store.restore(key, tmp_path / "out")
    assert (store.misses, store.dropped) == (1, 1)
    assert not (tmp_path / "cache" / f"{key}.json").exists()


def test_an_unreadable_entry_is_dropped(tmp_path: Path) -> None:
    store = cache(tmp_path)
    key = BuildCache.key("garbled")
    (tmp_path / "cache" / f"{key}.json").write_text("{not json", encoding="utf-8")
    assert not store.restore(key, tmp_path / "out")
    assert (store.misses, store.dropped) == (1, 1)


def test_a_cache_read_only_for_digests_writes_no_files(tmp_path: Path) -> None:
    store = cache(tmp_path)
    key = BuildCache.key("alpha")
    folder = built(tmp_path)
    store.store(key, folder)
    reader = cache(tmp_path, restore_files=False)
    out = tmp_path / "out"
    assert reader.restore(key, out)
    assert out.is_dir() and not list(out.iterdir())
    assert reader.written[str(out)] == tree_digests(folder)
    assert reader.hits == 1


def test_prune_keeps_what_this_build_used(tmp_path: Path) -> None:
    store = cache(tmp_path)
    used, unused = BuildCache.key("used"), BuildCache.key("unused")
    store.store(unused, built(tmp_path))
    other = tmp_path / "other"
    other.mkdir()
    (other / "only.html").write_bytes(b"<p>only here</p>")
    store.store(used, other)
    (tmp_path / "cache" / ".store-cut-short").write_text("x", encoding="utf-8")
    later = cache(tmp_path)
    assert later.restore(used, tmp_path / "out")
    later.prune()
    names = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert names == sorted(["CACHEDIR.TAG", f"{used}.json", "objects"])
    assert [p.name for p in (tmp_path / "cache" / "objects").iterdir()] == [sha(b"<p>only here</p>")]


def test_prune_never_clears_a_folder_that_is_not_its_cache(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / f"{'a' * 64}.json").write_text("{}", encoding="utf-8")
    BuildCache(foreign).prune()
    assert (foreign / f"{'a' * 64}.json").exists()
    mine = cache(tmp_path, restore_files=False)
    (tmp_path / "cache" / f"{'b' * 64}.json").write_text("{}", encoding="utf-8")
    mine.prune()  # a verify leaves the cache as the last build left it
    assert (tmp_path / "cache" / f"{'b' * 64}.json").exists()


def test_the_counts_of_a_build_add_up(tmp_path: Path) -> None:
    store = cache(tmp_path)
    key = BuildCache.key("alpha")
    store.store(key, built(tmp_path))
    for n in range(3):
        assert store.restore(key, tmp_path / f"out{n}")
    assert not store.restore(BuildCache.key("a"), tmp_path / "x")
    assert not store.restore(BuildCache.key("b"), tmp_path / "y")
    (tmp_path / "cache" / f"{BuildCache.key('c')}.json").write_text("[]", encoding="utf-8")
    (tmp_path / "cache" / f"{BuildCache.key('d')}.json").write_text("[]", encoding="utf-8")
    assert not store.restore(BuildCache.key("c"), tmp_path / "z")
    assert not store.restore(BuildCache.key("d"), tmp_path / "z")
    assert (store.hits, store.misses, store.dropped) == (3, 4, 2)
    reader = cache(tmp_path, restore_files=False)
    assert reader.restore(key, tmp_path / "r1") and reader.restore(key, tmp_path / "r2")
    assert reader.hits == 2
