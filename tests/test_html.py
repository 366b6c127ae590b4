"""The HTML page: self-contained, and comment text never becomes markup."""

from __future__ import annotations

import re

from conftest import build_text

from comment_graph.export.html import write_html
from comment_graph.export.nx import write_graphml

HOSTILE = ("I agree <script>alert('x')</script> and <img src=x onerror=alert(1)> with "
           "<a href=\"javascript:alert(2)\">this</a>. The word href alone. Name \"Q\\\\uote\" O'Brien.\n\n"
           "Thanks! </script><script>alert(3)</script> ]]> <!-- end")


def test_no_external_script_or_stylesheet(tmp_path, sample_kg):
    html = write_html(sample_kg, tmp_path / "g.html").read_text(encoding="utf-8")
    for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
        assert "http://" not in tag and "https://" not in tag, tag
    assert "cdn" not in " ".join(re.findall(r"<(?:script|link)\b[^>]*>", html)).lower()


def test_hostile_comment_text_is_only_data(tmp_path):
    kg = build_text(tmp_path, HOSTILE)
    html = write_html(kg, tmp_path / "g.html").read_text(encoding="utf-8")
    data = html.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data  # nothing in the data block can open or close a tag
    assert "alert(3)" in data  # the text is there, as escaped JSON
    benign = write_html(build_text(tmp_path, "I agree, thanks."), tmp_path / "b.html").read_text(encoding="utf-8")
    assert html.count("<script") == benign.count("<script")  # nothing injected


def test_page_around_an_entity_and_graphml(tmp_path, sample_kg):
    import networkx as nx

    part = sample_kg.around("Quintin Pope", depth=2)
    assert len(part.comments) == 1 and "Quintin Pope" in {e.label for e in part.entities.values()}
    assert all(m.comment_id == part.comments[0].id for m in part.mentions)
    g = nx.read_graphml(write_graphml(sample_kg, tmp_path / "g.graphml"))
    assert g.number_of_nodes() == len(sample_kg.comments) + len(sample_kg.entities)


def test_large_graph_opens_on_hubs_with_precomputed_positions(tmp_path, monkeypatch):
    from comment_graph.export import html as page

    monkeypatch.setattr(page, "PHYSICS_LIMIT", 2)
    monkeypatch.setattr(page, "BOUNDED_LIMIT", 2)
    kg = build_text(tmp_path, "I agree with Jacob Cannell on reward shaping.\n\nThanks! RLHF and RL differ, Yann.")
    data = page.page_data(kg)
    assert data["physics"] is False and all("x" in n and "y" in n for n in data["nodes"])
    assert data["initial"] and set(data["initial"]) <= {n["id"] for n in data["nodes"]}
