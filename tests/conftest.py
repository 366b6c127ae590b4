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


def thread(*texts: str) -> list[dict]:
    """JSON Lines records of comments by different writers: ids a, b, c..., authors ann, bo, cy..."""
    authors = ["ann", "bo", "cy", "di", "ed", "flo"]
    return [{"id": chr(ord("a") + i), "author": authors[i], "text": t} for i, t in enumerate(texts)]


def build_rows(tmp_path: Path, rows: list[dict], **options):
    """A build of JSON Lines records: comments with ids and authors, as a forum export gives them."""
    import json

    p = tmp_path / "thread.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return comment_graph.build(p, **options)


def make_corpus(n: int, path: Path) -> Path:
    """A deterministic JSONL corpus of n comments recombined from the bundled sample's sentences."""
    import json
    import random
    import re

    text = comment_graph.sample_path().read_text(encoding="utf-8")
    sentences = [s for p in re.split(r"\n\s*\n", text)[4:-1] for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 20]
    rng = random.Random(7)
    first = "Ada Ben Carla Dana Elena Farid Grace Hiro Ines Jonas Kavya Leon Maya Omar Priya".split()
    last = "Abbott Baptiste Castillo Dimitrov Eriksen Fontaine Haddad Jansen Moreau Okafor".split()
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            body = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.3:
                body += f" I think {rng.choice(first)} {rng.choice(last)} made a similar point."
            f.write(json.dumps({"id": f"g{i}", "author": f"{rng.choice(first)} {rng.choice(last)}", "text": body,
                                "post_title": f"Post {i % 40}", "parent_id": f"g{i - 1}" if i % 3 else None,
                                "created_at": f"2024-01-{1 + i % 28:02d}T12:00:00Z"}) + "\n")
    return path
