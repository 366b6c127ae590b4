from __future__ import annotations

from pathlib import Path

import pytest

import comment_graph

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def sample_kg():
    """The bundled sample, built once for the whole session."""
    return comment_graph.build()


@pytest.fixture
def write_page(tmp_path):
    """Write a small page to a file and return its path."""
    def _write(text: str, name: str = "page.txt") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p
    return _write


def build_text(tmp_path: Path, text: str, **options):
    p = tmp_path / "page.txt"
    p.write_text(text, encoding="utf-8")
    return comment_graph.build(p, **options)
