"""The package's layers, as the folders show them: imports only go down, and there is no import cycle.

    cli.py, plugin.py     the fronts: argparse, mkdocs hooks
    commands/             check, diff, verify, review as use cases
    build/                everything that imports mkdocs or jinja2, and writes files
    pages/                the page plan and page bodies: pure
    compare/              the diff engine: pure
    content/              repository -> model: sites.yml, git history, the policy file format
    errors, model, urls, i18n   the kernel

Every import counts, at module level, inside a function or under TYPE_CHECKING: a cycle broken by an
import inside a function is still a cycle to a reader.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "smops_policy"
LAYERS = ["kernel", "content", "compare", "pages", "build", "commands", "fronts"]
FRONTS = {"cli", "plugin"}
# Each third-party library the core rests on has one home; mkdocs and jinja2 stay in build/ and the plugin.
ONE_HOME = {
    "git": {"smops_policy.content.history"},
    "markdown_it": {"smops_policy.content.document"},
    "babel": {"smops_policy.i18n"},
}
MKDOCS_ONLY_IN = ("smops_policy.build.", "smops_policy.plugin")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS):
        return parts[1]
    if len(parts) == 2 and parts[1] in FRONTS:
        return "fronts"
    return "kernel"


def imports(path: Path) -> set[str]:
    """Every module this file imports (its own package's as full names, others by top-level name)."""
    me = module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = me.split(".")[: len(me.split(".")) - node.level + (1 if path.name == "__init__.py" else 0)]
                base = ".".join([*package, *([base] if base else [])])
            found.add(base)
            if base.startswith("smops_policy"):  # `from smops_policy.pages import plan` imports a module
                found.update(f"{base}.{alias.name}" for alias in node.names if _is_module(f"{base}.{alias.name}"))
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@functools.cache
def graph() -> dict[str, set[str]]:
    return {module_name(path): imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_sits_in_a_layer_folder_or_the_kernel() -> None:
    kernel = {name for name in graph() if layer(name) == "kernel"}
    assert kernel == {
        "smops_policy",
        "smops_policy.errors",
        "smops_policy.model",
        "smops_policy.urls",
        "smops_policy.i18n",
    }, "a new module goes into the layer folder of what it does (see this file's docstring)"


@pytest.mark.parametrize("module", sorted(graph()))
def test_imports_only_go_down(module: str) -> None:
    mine = LAYERS.index(layer(module))
    upward = sorted(
        target
        for target in graph()[module]
        if target.startswith("smops_policy") and _is_module(target) and LAYERS.index(layer(target)) > mine
    )
    assert not upward, f"{module} ({layer(module)}) imports from a layer above it: {upward}"


@pytest.mark.parametrize("module", sorted(graph()))
def test_each_library_stays_in_its_home(module: str) -> None:
    tops = {name.split(".")[0] for name in graph()[module]}
    for library, homes in ONE_HOME.items():
        assert library not in tops or module in homes, f"{module} imports {library}; only {sorted(homes)} may"
    for library in ("mkdocs", "jinja2"):
        assert library not in tops or module.startswith(MKDOCS_ONLY_IN), f"{module} imports {library}"


def test_there_is_no_import_cycle() -> None:
    edges = {
        module: {t for t in targets if t in graph() and t != module and not module.startswith(t + ".")}
        for module, targets in graph().items()
    }
    edges = {m: {t for t in ts if not _is_package(t)} for m, ts in edges.items() if not _is_package(m)}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)


def _is_package(name: str) -> bool:
    return (PACKAGE.parent.joinpath(*name.split(".")) / "__init__.py").is_file()
