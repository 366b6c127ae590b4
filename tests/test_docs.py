"""The README documents every command and every option (sqlite-utils' test_docs idea)."""

from __future__ import annotations

from pathlib import Path

import pytest

from comment_graph.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented(name):
    assert f"comment-graph {name}" in README


@pytest.mark.parametrize("name, option", sorted((n, o) for n, c in main.commands.items() for p in c.params
                                                for o in p.opts if o.startswith("--") and o != "--help"))
def test_every_option_is_documented(name, option):
    assert option in README, f"{name} {option}"
