"""The package's shape: no import cycles (function-local imports counted) but the extractor
registry's, no module over 400 lines, a public surface that is exactly `__all__`, and an API
that agrees with the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import comment_graph
from comment_graph.cli import main

PACKAGE = Path(comment_graph.__file__).parent
# The extractor registry imports the built-ins, which register themselves with it.
REGISTRY_CYCLE = {"comment_graph.extract", "comment_graph.extract.concepts", "comment_graph.extract.links",
                  "comment_graph.extract.organizations", "comment_graph.extract.people",
                  "comment_graph.extract.works"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules this one imports anywhere in it (not under `if TYPE_CHECKING:`)."""
    me = _module(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(block.test) for b in block.body for n in ast.walk(b)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            found |= {target} | {f"{target}.{a.name}" for a in node.names}
    # importing a.b.c runs a and a.b too (not the packages this module is itself inside)
    found |= {".".join(t.split(".")[:i]) for t in set(found) for i in range(2, t.count(".") + 1)}
    return {t for t in found if t in modules and t != me and not me.startswith(t + ".")}


def _cycles() -> list[set[str]]:
    files = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: _imports(p, set(files)) for m, p in files.items()}
    reach = {}
    for start in graph:  # every module each one reaches (small graph: a walk from each)
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        reach[start] = seen
    groups = {frozenset({m} | {o for o in reach[m] if m in reach[o]}) for m in graph if m in reach[m]}
    return sorted((set(g) for g in groups), key=sorted)


def test_no_import_cycle_but_the_extractor_registry():
    assert [c for c in _cycles() if c != REGISTRY_CYCLE] == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_all_is_the_public_surface():
    # dir(), not vars(): the names are imported when first used (see comment_graph.__init__)
    public = {n for n in dir(comment_graph) if not n.startswith("_") and not isinstance(
        getattr(comment_graph, n), type(comment_graph))}  # submodules are not the surface
    assert set(comment_graph.__all__) == public | {"__version__"}
    assert sorted(comment_graph.__all__) == list(comment_graph.__all__)
    assert all(hasattr(comment_graph, n) for n in comment_graph.__all__)


def test_append_to_refuses_options_it_would_ignore(tmp_path):
    comment_graph.write(comment_graph.build(), tmp_path)
    with pytest.raises(comment_graph.ConfigError, match="max_concepts_per_comment"):
        comment_graph.build(comment_graph.sample_path(), append_to=tmp_path, max_concepts_per_comment=3)
    with pytest.raises(comment_graph.ConfigError, match="config"):
        comment_graph.build(comment_graph.sample_path(), append_to=tmp_path, config=comment_graph.BuildConfig())


def test_cli_commands_and_options_are_named_as_in_the_api():
    listed = {n for n, c in main.commands.items() if not c.hidden}
    assert {"comments-about", "comments-mentioning", "near", "related", "query", "build"} <= listed
    for name in ("comments-about", "comments-mentioning", "near", "related"):
        assert callable(getattr(comment_graph.CommentGraph, name.replace("-", "_")))
    build = {o for p in main.commands["build"].params if not getattr(p, "hidden", False) for o in p.opts}
    assert "--input-format" in build and "--format" not in build  # --format means how rows are printed
    assert all(any(o == "--format" for p in c.params for o in p.opts)
               for n, c in main.commands.items() if n in listed - {"build", "html", "serve", "push"})
