"""The segmenter on small hand-written pages, one per variation real pages show."""

from __future__ import annotations

from comment_graph.segment import segment_text, split_paragraphs

PROFILE = """Maria Lindqvist

I'm a researcher working on interpretability. Previously at a lab. Writes about circuits.

Notes on Superposition

Wiki Contributions

I agree that sparse autoencoders are the best tool we have for finding features, but they leave a lot of reconstruction error unexplained.

For example, the dark matter of a model might hide exactly the features we care about.

Thanks for the detailed writeup on the tokenizer bug! The fix makes sense and I reproduced it on my machine.

Load More
"""


def texts(seg):
    return [c.text for c in seg.comments]


def test_profile_header_and_footer_are_not_comments():
    seg = segment_text(PROFILE)
    assert seg.page_author == "Maria Lindqvist"
    assert len(seg.comments) == 2
    joined = "\n".join(texts(seg))
    for furniture in ("Maria Lindqvist", "Wiki Contributions", "Load More", "I'm a researcher"):
        assert furniture not in joined
    assert "Notes on Superposition" in seg.page_titles


def test_continuation_marker_keeps_paragraphs_together():
    seg = segment_text(PROFILE)
    assert seg.comments[0].text.startswith("I agree")
    assert "For example, the dark matter" in seg.comments[0].text
    b = [x for x in seg.boundaries if x.preview.startswith("For example")][0]
    assert not b.is_boundary and "continuation opener" in b.features


def test_page_without_header():
    page = ("Seems wrong to me: the reward model is trained on comparisons, so its errors are correlated.\n\n"
            "Thanks for writing this up! The section on compute budgets changed my mind about timelines.\n")
    seg = segment_text(page)
    assert seg.page_author is None
    assert len(seg.comments) == 2


def test_single_newlines_between_paragraphs():
    page = ("I agree with the main point about overfitting in small datasets.\n"
            "For example, the validation loss rose after epoch three.\n"
            "Thanks for the pointer to the scheduling library! It fixed my cron problem.\n"
            "I disagree that caching belongs in the client; the server knows when data changes.\n")
    paras = split_paragraphs(page)
    assert len(paras) == 4
    seg = segment_text(page)
    assert len(seg.comments) == 3
    assert "epoch three" in seg.comments[0].text


def test_title_and_karma_lines_above_each_comment():
    page = ("Why Rust Compiles Slowly\n12 points · 3 days ago\n"
            "I agree the borrow checker is not the bottleneck; monomorphization is.\n\n"
            "Ask HN: Best Books on Databases\n5 points · 1 day ago\n"
            "Designing Data-Intensive Applications is still the one I recommend.\n")
    seg = segment_text(page)
    assert len(seg.comments) == 2
    assert seg.comments[0].post_title == "Why Rust Compiles Slowly"
    assert not any("points" in c.text for c in seg.comments)


def test_angle_bracket_quotes_inside_one_comment():
    page = ("> the model is just predicting the next token\n"
            "That undersells it: prediction requires modelling the writer.\n"
            "> but it has no goals\n"
            "Goals are not needed for the risk I describe.\n")
    seg = segment_text(page)
    assert len(seg.comments) == 1
    quotes = [q.text for q in seg.comments[0].quotes]
    assert quotes == ["> the model is just predicting the next token", "> but it has no goals"]


def test_bullet_list_stays_in_its_comment():
    page = ("I see three problems with the proposal:\n\n"
            "• the budget ignores maintenance;\n\n"
            "• the timeline assumes no hiring delays.\n\n"
            "Thanks for the link to the tax calculator! Very handy.\n")
    seg = segment_text(page)
    assert len(seg.comments) == 2
    assert "timeline assumes" in seg.comments[0].text


def test_crlf_and_non_breaking_spaces(tmp_path):
    import comment_graph

    p = tmp_path / "page.txt"
    p.write_bytes("I agree that\u00a0inflation hurts savers.\r\n\r\nThanks for the chart! It clarified things.\r\n"
                  .encode("utf-8"))
    kg = comment_graph.build(p)
    assert len(kg.comments) == 2
    assert "\r" not in kg.comments[0].text


def test_quote_then_reply_starts_a_comment():
    page = ("I agree that the scaling results are robust across model sizes and datasets.\n\n"
            "investing in index funds rather than picking individual stocks\n\n"
            "Index funds win on fees alone, before you even count the diversification.\n")
    seg = segment_text(page)
    assert len(seg.comments) == 2
    assert seg.comments[1].quotes and seg.comments[1].quotes[0].text.startswith("investing")


def test_paragraph_strategy_splits_every_paragraph():
    seg = segment_text(PROFILE, strategy="paragraph")
    assert len(seg.comments) == 3


def test_comment_ids_are_content_derived_and_stable():
    page = ("I agree that sparse autoencoders leave reconstruction error unexplained.\n\n"
            "Thanks for the detailed writeup on the tokenizer bug! I reproduced it.\n")
    a = segment_text(page)
    b = segment_text("Seems wrong: the kernel scheduler is not the bottleneck here at all.\n\n" + page)
    assert len(b.comments) == 3
    assert {c.id for c in a.comments} <= {c.id for c in b.comments}


def test_bylines_give_authors_and_are_not_text():
    page = ("tptacek 3 hours ago | parent | next [–]\n"
            "I agree that the planner is the problem; the indexes were fine.\n"
            "reply\n"
            "jsmith 2 hours ago | parent | next [–]\n"
            "Thanks! Vacuuming more often fixed our bloat issue.\n"
            "reply\n")
    seg = segment_text(page)
    assert [c.author for c in seg.comments] == ["tptacek", "jsmith"]
    assert not any("hours ago" in c.text or c.text == "reply" for c in seg.comments)


def test_byline_with_points_and_full_name():
    page = ("12 points by Jane Doe 2 days ago\n\n"
            "I agree the benchmark is flawed, but the fix is easy.\n\n"
            "Jane Doe · 3d\n\n"
            "Thanks for running it again! The numbers look right now.\n")
    seg = segment_text(page)
    assert [c.author for c in seg.comments] == ["Jane Doe", "Jane Doe"]


def test_a_paragraph_pointing_back_at_the_list_above_continues_its_comment():
    page = ("Here is what I would change in the proposal:\n\n"
            "• Fund replication studies before new headline experiments, since the field has too few of them.\n\n"
            "The last bullet point matters most to me personally, because I have watched two labs waste a year on it.\n\n"
            "Thanks for organising the reading group! The notes on variance reduction were especially clear.\n")
    seg = segment_text(page)
    assert [c.text.split()[0] for c in seg.comments] == ["Here", "Thanks"]
    b = next(x for x in seg.boundaries if x.preview.startswith("The last bullet"))
    assert not b.is_boundary and "refers back" in b.features


def test_a_closing_invitation_ends_a_comment_even_when_the_next_one_speaks_of_the_post_too():
    page = ("Lovely post! If you disagree with the framing in this post, I'd be curious to hear why.\n\n"
            "In this post, I'm describing a cheap way to estimate the noise floor of a benchmark before trusting it.\n\n"
            "The method only needs two reruns with different seeds, so it costs almost nothing.\n")
    seg = segment_text(page)
    assert [c.text.split()[0] for c in seg.comments] == ["Lovely", "In"]
    b = next(x for x in seg.boundaries if x.preview.startswith("In this post"))
    assert b.is_boundary and "previous closes with an invitation or a wish" in b.features


def test_a_karma_line_in_a_profile_header_does_not_delimit_the_comments():
    # the owner's karma line above the bio reads like a byline; it heads the profile, not a comment,
    # so the comments below are still told apart by their blank lines and openings
    page = PROFILE.replace("Maria Lindqvist\n\n", "Maria Lindqvist\n\nKarma 2,140 · Alignment Forum karma 312\n\n", 1)
    seg = segment_text(page)
    assert len(seg.comments) == 2
    assert seg.comments[1].text.startswith("Thanks for the detailed writeup")
    assert "Maria Lindqvist" not in seg.page_titles  # the owner's name titles no work


def test_menus_signatures_and_repeated_buttons_are_furniture():
    page = ("Rivet Forums\nSkip to content\nQuick links\nFAQ\n\n"
            "Board index ‹ Workshop ‹ Brakes\n\n"
            "My rear disc squeals only when it is wet. Pads are new and bedded in properly, so I am stumped.\n\n"
            "--\nRide more, worry less.\n\n"
            "Add a comment\n\n"
            "Wet squeal is usually contamination. Clean the rotor with alcohol and sand the pads lightly.\n\n"
            "Add a comment\n")
    seg = segment_text(page)
    joined = "\n".join(texts(seg))
    assert len(seg.comments) == 2
    for furniture in ("Skip to content", "Board index", "Ride more", "Add a comment"):
        assert furniture not in joined
