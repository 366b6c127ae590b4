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
    blocks = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert len(blocks) == 2  # the map's data, and one block of comments
    assert all("<" not in b and ">" not in b for b in blocks)  # nothing in a data block can open or close a tag
    assert "alert(3)" in blocks[1]  # the text is there, as escaped JSON
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


def test_a_comment_that_reads_like_the_template_stays_text(tmp_path):
    kg = build_text(tmp_path, "I agree: {{DATA}} and {{COMMENTS}} and /*APP_JS*/ are just words here.")
    html = write_html(kg, tmp_path / "g.html").read_text(encoding="utf-8")
    assert html.count('id="graph-data"') == 1 and html.count('class="comment-data"') == 1
    assert "{{DATA}} and {{COMMENTS}} and /*APP_JS*/ are just words" in html


def test_comment_labels_are_author_and_whole_first_words():
    from comment_graph.export.html import comment_label

    assert comment_label("Ada", "Thanks Ada Lovelace, interpretability matters, but") == \
        "Ada: Thanks Ada Lovelace, interpretability…"
    assert comment_label(None, "Short one.") == "Short one."
    assert comment_label("Bo", "x" * 60) == "Bo: " + "x" * 40 + "…"


def _records(tmp_path, texts: list[str]):
    """One comment per text, as JSON Lines: no segmenter deciding where comments end."""
    import json

    import comment_graph

    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"id": f"c{n}", "text": t}) + "\n" for n, t in enumerate(texts)), encoding="utf-8")
    return comment_graph.build(path)


def test_neighbours_rank_what_an_entity_is_discussed_with_above_the_biggest_hubs(tmp_path):
    from comment_graph.export import html as page

    texts = (["Reward shaping helps."] * 16 + ["Reward shaping helps, Jacob Cannell says."] * 4
             + ["Jacob Cannell and Geoffrey Miller disagree."] * 2)
    data = page.page_data(_records(tmp_path, texts))
    node = {data["info"][n]["label"]: n for n in data["info"]}
    # Jacob Cannell is named beside reward shaping in 4 comments and beside Geoffrey Miller in 2;
    # but reward shaping is named everywhere and Geoffrey Miller nowhere else, so Geoffrey Miller
    # is what Jacob Cannell is discussed with (raw counts would say reward shaping)
    near = [(data["info"][n]["label"], count) for n, count in data["co"][node["Jacob Cannell"]]]
    assert near == [("Geoffrey Miller", 2), ("reward shaping", 4)]


def test_a_capped_page_counts_the_whole_build_and_says_how_much_it_holds(tmp_path, monkeypatch):
    from comment_graph.export import html as page

    monkeypatch.setattr(page, "MAX_PAGE_COMMENTS", 2)
    data = page.page_data(_records(tmp_path, ["Reward shaping helps."] * 5))
    concept = next(i for i in data["info"].values() if i["label"] == "reward shaping")
    assert concept["comments"] == 5 and len(data["comments"]) == 2
    assert data["summary"]["comments"] == 5 and "holds 2 of the build's 5 comments" in data["note"]


def test_a_large_page_whose_comments_name_nothing_opens_on_an_empty_map(tmp_path, monkeypatch):
    from comment_graph.export import html as page

    monkeypatch.setattr(page, "BOUNDED_LIMIT", 5)
    monkeypatch.setattr(page, "PHYSICS_LIMIT", 5)
    data = page.page_data(_records(tmp_path, [f"ok thanks {n}" for n in range(8)]))
    assert data["initial"] == [] and len(data["comments"]) == 8 and all("x" in n for n in data["nodes"])


def test_a_capped_neighbourhood_says_it_is_one(tmp_path):
    from comment_graph.export.html import bounded

    kg = _records(tmp_path, ["Reward shaping helps."] * 3)
    assert "of the build's 3 comments" in bounded(kg, 2)[1]
    assert "of this neighbourhood's 3 comments" in bounded(kg, 2, part=True)[1]


def test_around_keeps_what_the_networkx_ego_graph_keeps(sample_kg, tmp_path):
    import networkx as nx

    from conftest import make_corpus

    import comment_graph
    from comment_graph.export.nx import comment_node

    threaded = comment_graph.build(make_corpus(300, tmp_path / "c.jsonl"))  # replies, authors, creators
    for kg in (sample_kg, threaded):
        g = kg.to_networkx().to_undirected(as_view=True)
        for e in sorted(kg.entities.values(), key=lambda e: (-e.comment_count, e.id))[:12]:
            for depth in (1, 2, 3):
                keep = set(nx.ego_graph(g, e.id, radius=depth))
                comments = {c.id for c in kg.comments if comment_node(kg, c.id) in keep}
                want, part = kg.subgraph(comments, entities=keep, always={e.id}), kg.around(e.id, depth)
                assert [c.id for c in part.comments] == [c.id for c in want.comments]
                assert list(part.entities) == list(want.entities) and len(part.mentions) == len(want.mentions)
