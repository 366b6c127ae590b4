"""Quoted passages with no `>` mark: pasted replies after a lead-in, answered phrases, excerpts,
and words repeated from another comment on the page. Hand-written pages, one per kind."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from comment_graph import build
from comment_graph.segment import segment_text
from comment_graph.segment.quotes import find_repeats
from comment_graph.vocab import CG


def _quoted(text: str) -> list[str]:
    return [q.text for c in segment_text(text).comments for q in c.quotes]


def test_pasted_list_after_a_lead_in_is_quoted_and_the_lead_in_is_not():
    page = (
        "Maria answered my question by email, and she said I could paste her answer below.\n\n"
        "---\n\n"
        "Tomas Reyes: a careful experimentalist who checks every instrument twice before trusting a number.\n\n"
        "Ines Cordova: someone who turns a vague worry into a crisp question within a single conversation.\n\n"
        "Lukas Brenner: patient with beginners, impatient with hand-waving, and generous with his time.\n"
    )
    quoted = _quoted(page)
    assert [q.split(":")[0] for q in quoted] == ["Tomas Reyes", "Ines Cordova", "Lukas Brenner"]


def test_own_lead_in_introduces_own_words():
    page = (
        "My view can be summarized as follows:\n\n"
        "Small models are cheap to study, and what we learn from them mostly transfers to larger ones.\n\n"
        "That is why I keep running the small experiments first.\n"
    )
    assert _quoted(page) == []


def test_writes_colon_quotes_the_next_paragraph_only():
    page = (
        "Early in the thread, Priya writes:\n\n"
        "The benchmark rewards memorisation far more than it rewards any kind of reasoning.\n\n"
        "I think this is half right. The benchmark does reward memorisation, but the held-out split is clean.\n"
    )
    assert _quoted(page) == ["The benchmark rewards memorisation far more than it rewards any kind of reasoning."]


@pytest.mark.parametrize("quote, reply", [
    # the reply puts a phrase of it in quotation marks
    ('If you had written that "the error bars are wide enough to fit any story", I would have agreed with you.',
     'I\'m not just saying "the error bars are wide enough to fit any story"; I\'m saying the central estimate moved.'),
    # the reply restates six of its words in a row
    ("You seem to assume the optimizer will find the shortest program that fits the data here.",
     "I mean, it will find the shortest program that fits the data only if the prior favours short programs."),
    # an excerpt cut before its sentence end, answered
    ("I wish the report had said more clearly that the audits were voluntary at every stage",
     "I think it does say that, in the second section, though perhaps not loudly enough."),
])
def test_a_paragraph_the_next_one_answers_is_a_quote(quote, reply):
    assert _quoted(f"{quote}\n\n{reply}\n") == [quote]


def test_lower_case_opening_on_a_capitalised_page_is_an_excerpt():
    page = (
        "The survey asked the same question in three ways.\n\n"
        "Most people answered all three consistently, which surprised me.\n\n"
        "so the real disagreement is about timelines rather than about risk itself.\n\n"
        "That reading seems too quick to me. Timelines and risk estimates were correlated in the data.\n"
    )
    assert _quoted(page) == ["so the real disagreement is about timelines rather than about risk itself."]


def test_a_writer_who_never_capitalises_is_not_quoting_themself():
    page = (
        "honestly the new scheduler is fine.\n\n"
        "it took me a day to move our jobs over and nothing broke.\n\n"
        "the docs could be better though.\n"
    )
    assert _quoted(page) == []


def test_unmarked_repeat_of_an_earlier_comment_is_a_quote_of_that_comment(tmp_path):
    page = (
        "Ana Lima\n\n"
        "I stopped reviewing the drafts myself because the feedback loop had become too slow to be useful "
        "for anyone on the team.\n\n"
        "Load More\n\n"
        "because the feedback loop had become too slow to be useful for anyone on the team\n\n"
        "What would have made it faster? A shared checklist, or fewer reviewers per draft?\n"
    )
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    kg = build(path)
    quoting = [c for c in kg.comments if c.quotes]
    assert len(quoting) == 1
    quote = quoting[0].quotes[0]
    assert quote.text.startswith("because the feedback loop")
    source = next(c for c in kg.comments if c.id == quote.source_id)
    assert "I stopped reviewing" in source.text
    out = tmp_path / "out"
    from comment_graph.api import write
    write(kg, out)
    g = Graph().parse(out / "graph.ttl")
    assert len(list(g.triples((None, URIRef(str(CG) + "quotedFrom"), None)))) == 1


def test_text_that_repeats_itself_everywhere_is_not_quoting():
    sentences = [f"Sentence number {i} says something about the model and its training data." for i in range(6)]
    paragraphs = [" ".join(sentences[i % 6:i % 6 + 2]) for i in range(40)] + sentences
    assert find_repeats(paragraphs) == {}


def test_a_repeat_needs_a_longer_source():
    same = "The same paragraph posted twice by accident on the same page."
    assert find_repeats([same, "Something else entirely in between these two.", same]) == {}


@pytest.mark.parametrize("header", ["rook_lift wrote: ↑Sat Jun 1, 2024 9:05 am", "Ana Lima said:",
                                    "Quote: Originally Posted by rook_lift"])
def test_a_block_under_a_forum_s_quote_header_is_a_quote(header):
    # phpBB, XenForo and vBulletin print the quoted post under a header line of its own block; the
    # reply follows in the next block. A first line that says something after the colon is the
    # writer's own sentence, not a header.
    page = (f"{header}\nThe endgame is lost once the rooks come off the board.\n\n"
            "Not quite: with the king active and pawns on both wings it still holds for Black.\n\n"
            "Kasparov said: the Berlin is solid.\nI never believed him, and my games show why.\n")
    quoted = _quoted(page)
    assert quoted == [f"{header}\nThe endgame is lost once the rooks come off the board."]
