"""What a build reads through mkdocs.yml besides git and this package, as one sha256.

mkdocs.yml and every file it `INHERIT`s, the environment variables it reads with `!ENV`, every file
under the theme's `custom_dir`, the `hooks:` files and the Python files beside them (mkdocs puts a
hook's folder on the import path while loading it), and the local files `extra_css`,
`extra_javascript` and `extra_templates` name. Each is read from disk, whether git tracks it,
ignores it or has never heard of it: the cache key and the up-to-date check both hash them.

Read without mkdocs (the up-to-date check runs before anything heavy is imported), and without YAML
when mkdocs.yml names none of these keys.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any

from smops_policy.content.gitcmd import git_output, work_tree_top

__all__ = ["config_digest"]

# Keys that point at other files, and the tag that reads the environment: without them, mkdocs.yml's
# own text is all there is to hash. Matched anywhere (flow style, comments): a false match only costs
# a YAML parse.
_POINTERS = re.compile(r"\b(?:INHERIT|custom_dir|hooks|extra_css|extra_javascript|extra_templates)\b|!ENV")


def config_digest(config_file: Path, text: bytes | None = None) -> str | None:
    """The sha256 of mkdocs.yml and everything it points at; None when mkdocs.yml cannot be read or
    parsed (the build will say why). `text`: the config as the build reads it, when that is not the
    file's (the committed text, say); what it INHERITs is read from disk, as mkdocs reads it."""
    digest = hashlib.sha256()
    try:
        text = config_file.read_bytes() if text is None else text
    except OSError:
        return None
    digest.update(text)
    if not _POINTERS.search(text.decode("utf-8", "replace")):
        return digest.hexdigest()
    base = config_file.parent
    environment: dict[str, str | None] = {}
    config = _load(config_file, environment, set(), text)
    if config is None:
        return None
    for name, value in sorted(environment.items()):
        digest.update(f"\0env {name}={value}".encode("utf-8", "surrogateescape"))
    for file in sorted(set(_pointed_at(config, base))):
        digest.update(b"\0" + os.fsencode(os.path.relpath(file, base)) + b"\0")  # the same in any clone
        try:
            with file.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        except OSError:  # missing, or a folder: the build reports it
            digest.update(b"-")
    return digest.hexdigest()


def _load(
    path: Path, environment: dict[str, str | None], seen: set[Path], text: bytes | None = None
) -> dict[str, Any] | None:
    """A config file with what it INHERITs merged in, as mkdocs merges it (mappings deeply, anything
    else replaced); each file read is recorded in `seen`."""
    import yaml  # only for a mkdocs.yml that points at other files

    class Loader(yaml.SafeLoader):
        pass

    def env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        # `!ENV NAME` or `!ENV [NAME, OTHER, default]`, as mkdocs' yaml_env_tag reads it
        default: Any = None
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if isinstance(node, yaml.SequenceNode) and len(items) > 1:
            default, items = loader.construct_object(items[-1]), items[:-1]
        names = [str(loader.construct_scalar(item)) for item in items if isinstance(item, yaml.ScalarNode)]
        for name in names:
            environment[name] = os.environ.get(name)
        return next((os.environ[name] for name in names if name in os.environ), default)

    def any_tag(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:  # noqa: ARG001 (PyYAML passes both)
        return None  # `!relative`, `!!python/name:`: nothing this module follows

    Loader.add_constructor("!ENV", env_tag)
    Loader.add_multi_constructor("!", any_tag)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", any_tag)
    resolved = path.resolve()
    if resolved in seen:
        return None  # INHERIT in a circle: mkdocs fails on it
    seen.add(resolved)
    try:
        data = yaml.load(
            path.read_bytes() if text is None else text, Loader=Loader
        )  # a SafeLoader, plus the tags above
    except (OSError, yaml.YAMLError):
        return None
    config: dict[str, Any] = data if isinstance(data, dict) else {}
    parent_name = config.pop("INHERIT", None)
    config["\0files"] = [resolved]
    if isinstance(parent_name, str):
        parent = _load(path.parent / parent_name, environment, seen)
        if parent is None:
            return None
        config = _merge(parent, config)
    return config


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(parent)
    for key, value in child.items():
        if key == "\0files":
            merged[key] = [*parent.get(key, []), *value]
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _pointed_at(config: dict[str, Any], base: Path) -> list[Path]:
    """Every file the merged config points at. Paths are relative to the first mkdocs.yml's folder,
    as mkdocs resolves them, INHERITed or not."""
    files: list[Path] = list(config.get("\0files", []))
    theme = config.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        files += _below(base / theme["custom_dir"])
    hooks = config.get("hooks")
    for hook in hooks if isinstance(hooks, list) else []:
        if isinstance(hook, str):
            path = base / hook
            files.append(path)
            files += sorted(path.parent.glob("*.py"))  # what the hook may import
    docs_dir = base / str(config.get("docs_dir") or "docs")
    for key in ("extra_css", "extra_javascript", "extra_templates"):
        entries = config.get(key)
        for entry in entries if isinstance(entries, list) else []:
            name = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(name, str) and "://" not in name and not name.startswith("//"):
                files.append(docs_dir / name.lstrip("/"))
    return files


def _below(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        found += (Path(root) / name for name in names)
    return found


def uncommitted_inputs(config_file: Path) -> list[str]:
    """The files a build reads through mkdocs.yml (its custom_dir, hooks, INHERITed configs, extra
    files) that git does not hold as committed: changed, new or ignored, by path relative to its
    folder. A build reads them from disk, so an output built with them is not what HEAD alone builds."""
    try:
        text = config_file.read_bytes()
    except OSError:
        return []
    if not _POINTERS.search(text.decode("utf-8", "replace")):
        return []
    config = _load(config_file, {}, set(), text)
    if config is None:
        return []
    base = config_file.parent.resolve()
    own = config_file.resolve()
    names = sorted(
        {
            os.path.relpath(file.resolve(), base)
            for file in _pointed_at(config, config_file.parent)
            if file.resolve() != own and file.resolve().is_relative_to(base)
        }
    )
    if not names:
        return []
    status = git_output(base, "status", "--porcelain", "-z", "--ignored", "--untracked-files=all", "--", *names)
    if status is None:
        return []
    # `XY path` entries (a rename adds its old path as the next entry); paths from the top of the work tree
    entries = status.split("\0")
    root = work_tree_top(base.resolve()) or base.resolve()
    found = {os.path.relpath(root / entry[3:], base) for entry in entries if len(entry) > 3 and entry[2] == " "}
    return sorted(found & set(names))
