"""Works and concepts: patterns, abbreviations, merging of spellings, and the filter."""

from __future__ import annotations

import json

import comment_graph
from conftest import build_rows, build_text, thread

from comment_graph.text import concept_key


def concept_keys(kg) -> set[str]:
    return {concept_key(e.label) for e in kg.entities_of("concept")}


def works(kg):
    return {e.label: e for e in kg.entities_of("work")}


def test_possessive_post_paper_and_explainer(tmp_path):
    kg = build_text(tmp_path, "I agree. See Helena Voss’s post here, the AlphaFold paper, and the Tom Berger explainer.")
    w = works(kg)
    assert {"Helena Voss’s post", "AlphaFold paper", "Tom Berger explainer"} <= set(w)
    creator = kg.entities[w["Helena Voss’s post"].creator]
    assert creator.label == "Helena Voss"


def test_here_alone_is_not_a_work_but_a_url_is(tmp_path):
    kg = build_text(tmp_path, "I agree, details here. Thanks! See https://example.org/a-post for the data.")
    assert set(works(kg)) == {"https://example.org/a-post"}
    assert works(kg)["https://example.org/a-post"].url == "https://example.org/a-post"


def test_series_title(tmp_path):
    kg = build_text(tmp_path, "I think that if you read the Guide to Sparse Dictionary Learning series first, "
                              "this post is easier.")
    assert "Guide to Sparse Dictionary Learning" in works(kg)


def test_defined_abbreviation_merges_with_its_long_form(tmp_path):
    kg = build_text(tmp_path, "I agree that the value of information (VOI) matters here. Computing VOI for every "
                              "query is expensive, and VOI estimates are noisy.")
    concepts = {e.label: e for e in kg.entities_of("concept")}
    assert "value of information" in concepts
    assert "VOI" in concepts["value of information"].aliases
    assert "VOI" not in concepts


def test_spellings_merge(tmp_path):
    kg = build_text(tmp_path, "I agree reward-shaping helps. Reward shaping and reward shapings differ only in "
                              "name; RL people use reinforcement learning terms loosely.")
    keys = [concept_key(e.label) for e in kg.entities_of("concept")]
    assert keys.count("reward shaping") == 1
    rl = [e for e in kg.entities_of("concept") if e.label == "reinforcement learning"]
    assert rl and "RL" in rl[0].aliases


def test_filter_drops_fragments_and_generic_words(tmp_path):
    kg = build_text(tmp_path, "I’m not sure what you think my expectations are. The thing is, a lot of stuff "
                              "happens. Gradient descent on cross-entropy loss still converges.")
    labels = {e.label.lower() for e in kg.entities_of("concept")}
    for junk in ("my expectations", "sure what", "thing", "lot", "stuff"):
        assert junk not in labels
    assert "gradient descent" in labels


def test_an_adjective_before_a_noun_compound_leaves_the_compound_a_concept_too(tmp_path):
    kg = build_text(tmp_path, "The harbour town ran a chronic trade deficit for decades, yet the outflow barely "
                              "dented the regional money supply.")
    labels = {e.label.lower() for e in kg.entities_of("concept")}
    assert {"trade deficit", "money supply"} <= labels
    compound = next(m for m in kg.mentions if m.surface == "money supply")
    assert compound.attrs["source"] == "head compound"


def test_concept_keys():
    assert concept_key("Reward-Shaping") == concept_key("reward shapings") == "reward shaping"
    assert concept_key("large language models") == "large language model"


def test_quoted_title_and_possessive_work_with_title(tmp_path):
    kg = build_text(tmp_path, "I agree. The essay “Against Almost Every Theory of Impact” makes the case well.")
    assert "Against Almost Every Theory of Impact" in works(kg)


def test_cooccurrence_is_weighted_in_rdf(sample_kg):
    rows = sample_kg.sparql("SELECT ?a ?b ?n WHERE { ?x a cg:Cooccurrence ; cg:concept ?a, ?b ; cg:count ?n "
                            "FILTER(STR(?a) < STR(?b)) }")
    assert rows and all(r["n"] >= 1 for r in rows)
    weights = sample_kg.sparql("SELECT ?w WHERE { ?a a oa:Annotation ; cg:weight ?w }")
    assert weights and all(0 < r["w"] <= 1 for r in weights)



def test_an_abbreviation_spelled_out_in_a_comment_means_that_there_not_the_vocabularys_reading(tmp_path):
    # the shipped vocabulary reads "CLT" as the central limit theorem; a comment that defines it otherwise
    # means its own definition by every "CLT" it writes, while another comment keeps the vocabulary's reading
    kg = build_text(tmp_path, "A cross-layer transcoder (CLT) replaces every MLP at once, and a CLT is cheap "
                              "to train.\n\nThe CLT says a sum of many independent draws tends to a normal "
                              "distribution.")
    first, second = (c.id for c in kg.comments)
    found = {(m.comment_id, m.start): kg.entities[m.entity_id].label for m in kg.mentions if m.surface == "CLT"}
    assert {label for (cid, _), label in found.items() if cid == first} == {"cross-layer transcoder"}
    assert {label for (cid, _), label in found.items() if cid == second} == {"central limit theorem"}

def test_abbreviation_long_form_span_is_exact(tmp_path):
    kg = build_text(tmp_path, "I agree: seasonal malaria chemoprevention (SMC) works, and SMC is cheap.")
    labels = {e.label for e in kg.entities_of("concept")}
    assert "seasonal malaria chemoprevention" in labels


def test_quoted_title_after_a_work_noun_in_any_case(tmp_path):
    kg = build_text(tmp_path, "I agree. His blog post “why your house is a terrible investment” says it well.")
    assert "why your house is a terrible investment" in works(kg)


def test_quoted_title_after_a_work_noun_and_the_verb_naming_it(tmp_path):
    kg = build_text(tmp_path, 'Her second book has a chapter called "Why the harbour silted up", and a paper '
                              'titled “notes on tidal mills” followed it.')
    assert {"Why the harbour silted up", "notes on tidal mills"} <= set(works(kg))


def test_a_subtitle_is_title_case_and_a_colon_before_a_sentence_is_not_one(tmp_path):
    # "Source: sentence": a story quoting its source, the sentence opening on a name with an initial
    kg = build_text(tmp_path, "Tonight I rewatched Deep Harbour: The Lost Tapes with my brother.\n\n"
                              "A reader quotes a report from Tidewater Weekly: The Ellen K. Marsh Museum opened "
                              "its new wing on Friday, with two galleries of ship models.")
    titles = works(kg)
    assert "Deep Harbour: The Lost Tapes" in titles
    assert not {t for t in titles if t.startswith("Tidewater Weekly")}


def test_named_technologies_used_across_comments_are_concepts(tmp_path):
    kg = build_text(tmp_path, "I agree we should move the queue to Kafka eventually.\n\n"
                              "Thanks! At 200 messages a minute Kafka is overkill though.\n\n"
                              "Seems fine to me, Mumbai said.")
    labels = {e.label for e in kg.entities_of("concept")}
    assert "Kafka" in labels and "Mumbai" not in labels  # one comment alone is not enough


def test_acronym_with_possessive_is_found(tmp_path):
    """'RL's' and 'LLM’s': the acronym, possessive dropped, even where longer keys start with it."""
    kg = build_text(tmp_path, "I think RL's real problem is credit assignment, and an LLM’s context is short.")
    found = {(m.surface, kg.entities[m.entity_id].label) for m in kg.mentions if m.kind == "concept"}
    assert ("RL", "reinforcement learning") in found
    assert ("LLM", "large language model") in found


def test_a_word_with_a_noun_suffix_is_a_noun_where_the_lexicon_slips(tmp_path):
    # TextBlob's lexicon tags "fermentation" and "regionalism" JJ; -tion, -sion, -ness, -ism make nouns only
    from comment_graph.extract.tagging import _word_tag

    assert [_word_tag(w, False) for w in ("fermentation", "regionalism", "vehement")] == ["NN", "NN", "JJ"]
    kg = build_text(tmp_path, "Warmer brine and faster fermentation, so the pickles soured within a week.")
    assert "fermentation" in {e.label for e in kg.entities_of("concept")}


def test_the_part_of_speech_lexicon_and_suffix_rules_are_textblobs():
    """Tags come from TextBlob's lexicon file read directly (importing textblob pulls in nltk and
    scipy); the lexicon and the rules for unknown words must stay TextBlob's own."""
    from textblob._text import CD, _suffix_rules
    from textblob.en import parser

    from comment_graph.extract.tagging import NUMBER_RE, _suffix_tag, pos_lexicon

    assert pos_lexicon() == dict(parser.lexicon)
    for word in ["running", "quickly", "circuits", "analysis", "famous", "glass", "capable", "model-based",
                 "wireheaded", "optimize", "classify", "paperclips", "x", "", "tastes-ly", "1,000", "3.5%"]:
        assert _suffix_tag(word) == _suffix_rules(word, "NN")[1], word
        assert bool(NUMBER_RE.match(word)) == bool(CD.match(word)), word


def test_the_words_a_pattern_needs_are_in_the_pattern():
    """Extractors skip a scan when the text lacks a word every match holds; the word lists must
    say what the patterns say, or matches would be skipped silently."""
    from comment_graph.extract.person_cues import SURNAME_CUES
    from comment_graph.extract.works import AUTHOR_WORK_NOUNS, AUTHOR_WORK_RE

    import re

    for pattern, every, some in SURNAME_CUES:
        source = re.sub(r"\(\?<![^()]*\(\?s:\.\)\)", "", pattern.pattern)  # not_after's look-behinds out: "b…y" is "by"
        assert all(w in source for w in every) and all(w in source for w in some)
    from comment_graph.extract.person_cues import CUE_RESTS  # the rest of a cue after its surname, searched first

    for cue, rest in CUE_RESTS.items():
        assert cue.pattern.endswith(rest.pattern), rest.pattern
    assert all(noun in AUTHOR_WORK_RE.pattern for noun in AUTHOR_WORK_NOUNS)
    assert AUTHOR_WORK_RE.search("as the Rob Miles explainer shows").group(2) == "explainer"


def test_works_by_typography_and_description(tmp_path):
    """A quoted title after a possessive (nested quotes kept), a quoted title a link is for, a title with
    a subtitle, and a paper known by its venue, with the creator the sentence names."""
    kg = build_text(tmp_path, "The usual source is Miriam's 'Notes on “corrigible” agents' from 2019. The link Odile "
                              "gives for \"Most plans route through power\" is dead. It reminds me of Lost Harbour: The "
                              "Second Tide, honestly. Okafor and colleagues published a paper in Cell in March.")
    w = works(kg)
    assert {"Notes on “corrigible” agents", "Most plans route through power", "Lost Harbour: The Second Tide",
            "a paper in Cell"} <= set(w)
    assert kg.entities[w["Notes on “corrigible” agents"].creator].label.startswith("Miriam")
    assert kg.entities[w["a paper in Cell"].creator].label.startswith("Okafor")
    assert not any("March" in t for t in w)


def test_descriptions_that_name_no_existing_work(tmp_path):
    """A work not written yet, a clause that ends in a work noun, and a capitalised run ending in a date
    are not references; a possessive description with a number is."""
    kg = build_text(tmp_path, "This will be the topic of Oren's next essay. If the AGI outputs the textbook we win. "
                              "Hana folded Teodor's notes-on-a-draft into the post. I'd start with Lina Berg's "
                              "2,000 word primer, then the study from Geneva in June.")
    assert set(works(kg)) == {"Lina Berg's 2,000 word primer"}


def test_terms_marked_by_the_text_itself(tmp_path):
    """Terms no vocabulary lists: a quoted single word, a capitalised compound naming a method, a coined
    -ing word, hyphen compounds (alone, or heading a gerund), a relational adjective's phrase, and a
    product named in a one-line comment."""

    import comment_graph

    texts = ["Why call it the “scorer” and not the usual term? Honestly I think Gradient Ledgers are robust to "
             "that, unless this is just benchwashing again.",
             "I wish we said whether we are doing worst-case thinking, and whether the plan is out-of-sample.",
             "The hard part is a social problem, not a technical one, said nobody.",
             "You can do that using FocusLatch."]
    page = tmp_path / "thread.jsonl"
    page.write_text("".join(json.dumps({"id": f"c{i}", "author": "Ana Ruiz", "text": t}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    kg = comment_graph.build(page)
    by_comment = {}
    for s in kg.subjects:
        by_comment.setdefault(s.comment_id, set()).add(kg.entities[s.entity_id].label)
    assert {"scorer", "Gradient Ledgers", "benchwashing"} <= by_comment["c0"]
    assert {"worst-case thinking", "out-of-sample"} <= by_comment["c1"]
    assert "social problem" in by_comment["c2"]
    assert "FocusLatch" in by_comment["c3"]


def test_inflections_of_one_term_merge_and_vocabulary_keys_stay():
    from comment_graph.resolve.concepts import _inflection_merge

    counts = {"misaligned": 1, "misalignment": 3, "goal misgeneralized": 1, "goal misgeneralization": 1,
              "reward": 2, "rewarded": 1, "plan": 1}
    merged = _inflection_merge(counts, vocabulary={"reward"})
    assert merged == {"misaligned": "misalignment", "goal misgeneralized": "goal misgeneralization",
                      "rewarded": "reward"}
    assert concept_key("inductive biases") == concept_key("inductive bias") == "inductive bias"


def test_an_agent_noun_and_its_act_after_one_modifier_merge_but_not_alone():
    from comment_graph.resolve.concepts import _inflection_merge

    counts = {"claim extractor": 1, "claim extraction": 2, "teacher": 1, "teaching": 1, "story generator": 1}
    assert _inflection_merge(counts, vocabulary=set()) == {"claim extractor": "claim extraction"}


def test_a_clipped_term_merges_with_the_one_term_it_shortens():
    from comment_graph.resolve.concepts import _clipping_merge

    keys = {"prereg", "preregistration", "interp", "interpretability", "interpretation", "app", "application",
            "autovacuum", "autovacuum_vacuum_cost_delay", "sae", "saes"}
    assert _clipping_merge(keys, vocabulary=set()) == {"prereg": "preregistration"}
    assert _clipping_merge(keys, vocabulary={"prereg"}) == {}


def test_an_email_address_is_no_handle(tmp_path):
    kg = build_text(tmp_path, "Write to evan.h@gmail.com with questions; @kestrel_grey knows the details.")
    assert {m.surface for m in kg.mentions if m.kind == "person"} == {"@kestrel_grey"}


def test_terms_a_comment_defines(tmp_path):
    """A phrase marked by a definition is a term whatever its words' frequency; an idea is not a term."""
    kg = build_text(tmp_path, "By quiet drift I mean the slow change nobody flags. Paper shuffling is when a team "
                              "moves work around. I like the idea of running it twice.")
    labels = {e.label.lower() for e in kg.entities_of("concept")}
    assert {"quiet drift", "paper shuffling"} <= labels
    assert "running" not in labels


def test_a_paper_cited_by_its_authors_is_a_work_by_the_lead_author(tmp_path):
    # the class: author-year and author-et-al citations instead of a title
    kg = build_text(tmp_path, "I agree with the caution. The Okafor et al. comparison used far more labs, and "
                              "Moreau and Lindqvist (2019) got the same sign. See also Petrakis, Ngata, Oyelaran "
                              "and Szabo for the older panel.")
    w = works(kg)
    assert {"Okafor et al. comparison", "Moreau and Lindqvist (2019)", "Petrakis, Ngata, Oyelaran and Szabo"} <= set(w)
    people = {e.label for e in kg.entities_of("person")}
    assert {"Okafor", "Moreau", "Lindqvist", "Petrakis", "Szabo"} <= people


def test_first_names_coordinated_are_no_citation(tmp_path):
    kg = build_text(tmp_path, "I agree. Alice and Bob found the same bug, and salt and pepper are fine.")
    assert not works(kg)


def test_plain_titles_after_in_or_a_reading_verb(tmp_path):
    # the class: a Title Case title with no cue word, placed by "in" or a reading verb at a clause's end
    kg = build_text(tmp_path, "I agree. Last winter I reread The Quiet Ledger. Nadia Okoro makes this point in "
                              "Turning Ledgers into Stories: keep the books honest. Hosting moved in Mapping "
                              "Hidden Debt, and the team met in New Jersey.")
    w = works(kg)
    assert {"The Quiet Ledger", "Turning Ledgers into Stories", "Mapping Hidden Debt"} <= set(w)
    assert "New Jersey" not in w


def test_possessive_work_noun_with_its_title_is_one_work(tmp_path):
    kg = build_text(tmp_path, "I agree. Ada Lindqvist's book Tides of Debt makes the case well.")
    w = works(kg)
    assert "Tides of Debt" in w and "Ada Lindqvist's book" not in w
    assert kg.entities[w["Tides of Debt"].creator].label == "Ada Lindqvist"


def test_a_title_opening_on_a_question_word_is_no_organization(tmp_path):
    kg = build_text(tmp_path, "I agree; see Why Some Lab Research Findings Fail for the argument.")
    assert not any(e.label.startswith("Why") for e in kg.entities_of("organization"))


def test_a_known_term_narrowed_by_a_rare_or_classifying_modifier_is_a_term_of_its_own(tmp_path):
    kg = build_text(tmp_path, "Solving technical alignment is not the whole job. Then there is the successor "
                              "alignment problem, where each model must align the next one.")
    labels = concept_keys(kg)
    assert {"technical alignment", "successor alignment problem"} <= labels


def test_a_question_with_few_terms_keeps_its_everyday_nouns(tmp_path):
    # "nominations" is an everyday-ish noun no other comment uses: in a comment with few terms it stays
    kg = build_text(tmp_path, "Will the review phase show the number of nominations each post received?\n\n"
                              "I wrote a long reply about Bayesian model averaging, variational inference, "
                              "posterior collapse, amortized inference and evidence lower bounds elsewhere.")
    first = kg.comments[0].id
    labels = {kg.entities[s.entity_id].label for s in kg.subjects if s.comment_id == first}
    assert "nominations" in labels


def test_a_one_off_everyday_adjective_on_a_concept_merges_into_it():
    from comment_graph.resolve.concepts import _modifier_merge

    counts = {"obfuscation": 3, "deliberate obfuscation": 1, "natural selection": 1, "selection": 2,
              "negative reward": 4, "reward": 6, "rabbit hunt": 1, "hunt": 2}
    assert _modifier_merge(counts, vocabulary={}) == {"deliberate obfuscation": "obfuscation"}


def test_a_classifying_adjective_before_a_compound_the_page_names_alone_merges_into_it():
    # "persistent budget deficit" once, "budget deficit" elsewhere: the adjective qualifies the compound
    # ("persistent" or a classifying "federal" alike); before a single noun a classifying adjective
    # keeps its kind ("federal budget" stays), and a phrase used twice is a term of its own
    from comment_graph.resolve.concepts import _modifier_merge

    counts = {"budget deficit": 2, "federal budget deficit": 1, "budget": 3, "federal budget": 1,
              "municipal bond market": 2, "bond market": 1}
    assert _modifier_merge(counts, vocabulary={}) == {"federal budget deficit": "budget deficit"}


def test_a_set_phrase_of_common_words_counts_where_two_comments_use_it(tmp_path):
    # "dark energy": two words of everyday English; two comments naming it make it a term of the page,
    # one comment alone does not ("dark corner" stays out)
    kg = build_rows(tmp_path, thread("The survey maps how dark energy changed the expansion rate over billions of years.",
                                     "I doubt the supernova data alone settles what dark energy is. They sat in a dark corner."))
    labels = {e.label for e in kg.entities_of("concept")}
    assert "dark energy" in labels
    assert "dark corner" not in labels


def test_a_noun_of_talk_after_a_topic_leaves_the_topic(tmp_path):
    # "the hysteresis explanation", "the glaciation literature" talk about hysteresis and glaciation; an
    # adjective before such a noun is no topic of its own ("the whole debate" gives no "whole")
    kg = build_text(tmp_path, "I never bought the hysteresis explanation for the unemployment numbers, and the "
                              "glaciation literature I read says little about it either. The whole debate stalled.")
    labels = {e.label for e in kg.entities_of("concept")}
    assert {"hysteresis", "glaciation"} <= labels
    assert not labels & {"hysteresis explanation", "glaciation literature", "whole"}


def test_a_designation_keeps_the_noun_it_designates_by(tmp_path):
    kg = build_text(tmp_path, "Most of the light curves we flagged were Type IIb supernovae, not the usual kind.")
    labels = {e.label for e in kg.entities_of("concept")}
    assert "Type IIb supernovae" in labels and "IIb supernovae" not in labels


def test_noun_of_noun_terms_but_not_partitives(tmp_path):
    kg = build_text(tmp_path, "I expect the history of medicine was changed by it, and the speed of light is "
                              "fixed. A lot of people think a piece of code is the kind of thing that matters.")
    labels = concept_keys(kg)
    assert {"history of medicine", "speed of light"} <= labels
    assert not {k for k in labels if k.startswith(("lot of", "piece of", "kind of"))}


def test_quoted_terms_with_american_punctuation_and_chat_abbreviations(tmp_path):
    kg = build_text(tmp_path, 'IMO it would be clearer to measure "correlation with capabilities" and '
                              '"variance across models," directly. IIUC nobody does.')
    labels = {e.label for e in kg.entities_of("concept")}
    assert {"correlation with capabilities", "variance across models"} <= labels
    assert not labels & {"IMO", "IIUC"}


def test_a_stance_named_by_a_schools_adjective_is_that_school():
    # "consequentialist arguments" discuss consequentialism when the vocabulary knows "consequentialist" as
    # its name and the page names it too; a stance word after an unknown modifier stays its own phrase
    from comment_graph.lexicon import VocabConcept
    from comment_graph.resolve.concepts import _modifier_merge

    school = VocabConcept("urn:x:cons", "consequentialism", ["consequentialist"], [])
    vocabulary = {"consequentialism": school, "consequentialist": school}
    counts = {"consequentialism": 2, "consequentialist argument": 2, "gradient hacking framing": 1,
              "consequentialist policy": 1}
    assert _modifier_merge(counts, vocabulary) == {"consequentialist argument": "consequentialism"}
    assert _modifier_merge({"consequentialist argument": 2}, vocabulary) == {}  # the school itself unnamed


def test_an_everyday_noun_after_a_rare_term_the_page_names_is_an_aspect_of_that_term():
    from comment_graph.resolve.concepts import _modifier_merge

    counts = {"kanban": 1, "kanban board": 2, "outbox": 1, "outbox table": 1, "reward": 1, "reward model": 1,
              "hsa": 1, "hsa investing": 1, "sae": 2, "sae latent": 1, "ioi circuit": 1, "autovacuum": 2,
              "autovacuum setting": 1}  # "settings": a noun the lexicon knows in the plural, not the gerund
    merged = {"kanban board": "kanban", "outbox table": "outbox", "autovacuum setting": "autovacuum"}
    assert _modifier_merge(counts, vocabulary={}) == merged
    assert _modifier_merge(counts, vocabulary={"outbox table": None}) == {k: v for k, v in merged.items() if v != "outbox"}


def test_an_aspect_of_a_term_written_by_its_abbreviation_folds_into_the_term():
    from comment_graph.resolve.concepts import _modifier_merge

    counts = {"graph neural network": 3, "gnn research": 1, "gnn layer": 1}
    short = {"gnn": "graph neural network"}
    assert _modifier_merge(counts, {}, short) == {"gnn research": "graph neural network",
                                                  "gnn layer": "graph neural network"}
    assert _modifier_merge(counts, {}) == {}  # the page never names the term, only its aspects


def test_a_bare_name_beside_the_one_vocabulary_term_it_opens_is_short_for_it(tmp_path):
    kg = build_rows(tmp_path, thread("We ranked the forecasters by their Brier scores over the whole season.",
                                     "Ranking them on Brier alone rewards hedging on the rare questions."))
    brier = [e for e in kg.entities_of("concept") if "Brier" in e.label]
    assert [e.label for e in brier] == ["Brier score"]
    assert {s.comment_id for s in kg.subjects if s.entity_id == brier[0].id} == {"a", "b"}


def test_an_action_two_comments_name_by_a_phrasal_verb_is_one_concept(tmp_path):
    kg = build_rows(tmp_path, thread(
        "I have been switching off notifications on every app, and it "
        "helps my focus more than any planner.",
        "Did you switch off notifications for email too? I think "
        "giving away books is nicer, and keep in mind the cost.",
        "Keep in mind that budgets matter more than apps here."))
    actions = [e for e in kg.entities_of("concept") if "off notifications" in e.label]
    assert [e.label for e in actions] == ["switch off notifications"]
    assert "switching off notifications" in actions[0].aliases
    labels = {e.label for e in kg.entities_of("concept")}
    assert not {lab for lab in labels if lab.startswith(("giving away", "give away", "keep in"))}  # once, or no particle


def test_a_past_tense_word_between_a_determiner_and_a_noun_is_a_modifier(tmp_path):
    # the lexicon reads "felt" as a past-tense verb only; in "a felt sense" it opens the noun phrase
    kg = build_text(tmp_path, "Focusing starts from a felt sense in the body, and the method is to find "
                              "words that match the felt sense until it shifts.")
    labels = concept_keys(kg)
    assert "felt sense" in labels


def test_a_vocabulary_term_with_its_prefix_written_apart_is_that_term(tmp_path):
    # "superintelligent AI" is a vocabulary spelling; writers also set the prefix apart, by a space or
    # a hyphen. A prefix before a word that is none of its own ("inter pretability") adds no spelling.
    from comment_graph.lexicon import _prefix_written_apart

    kg = build_text(tmp_path, "Even if you perfectly align all your super intelligent AI models, and then the "
                              "super-intelligent AI labs race, nothing is solved.")
    found = {m.surface: kg.entities[m.entity_id].label for m in kg.mentions if m.kind == "concept"}
    assert found.get("super intelligent AI") == "superintelligence"
    assert found.get("super-intelligent AI") == "superintelligence"
    assert _prefix_written_apart("interpretability") is None
    assert _prefix_written_apart("multiagent systems") == "multi agent systems"


def test_a_quoted_title_before_a_work_noun_is_a_work(tmp_path):
    kg = build_rows(tmp_path, thread(
        'For what it is worth, Ravenna\'s "slow take-off dynamics" series is '
        'what changed my mind, more than the "drift hazard" post did.',
        'That was a "balanced" review at best, and the "peer reviewed" paper '
        'was worse.'))
    works = {e.label: e for e in kg.entities_of("work")}
    assert set(works) == {"slow take-off dynamics", "drift hazard"}  # one scare-quoted word, or a modifier, is no title
    creator = works["slow take-off dynamics"].creator  # the possessive before the title
    assert creator is not None and kg.entities[creator].label == "Ravenna"
    assert works["drift hazard"].creator is None


def test_an_everyday_adjective_and_noun_that_other_comments_repeat_are_a_set_phrase(tmp_path):
    # "late fees" is used once in each comment: no one comment shows it is a term, the corpus does
    kg = build_rows(tmp_path, thread(
        "Our branch dropped late fees last spring and returns did not slow.",
        "Abolishing late fees brought back readers, and a good point "
        "in the first place is that the fines cost more to collect.",
        "Good point, though our board voted for it in the first place "
        "because the fines cost more to process than they raised."))
    labels = concept_keys(kg)
    assert "late fee" in labels
    about_a = {concept_key(kg.all_entities[m.entity_id].label) for m in kg.mentions_in("a") if m.kind == "concept"}
    assert "late fee" in about_a and "fee" not in about_a  # the phrase, not the noun inside it
    assert not {lab for lab in labels if lab.startswith(("first place", "good point"))}  # idioms, however often


def test_the_corpus_check_flag_survives_the_saved_state(tmp_path):
    # `build --append` re-resolves the saved raw mentions: a candidate the corpus must confirm stays one
    kg = build_rows(tmp_path, thread(
        "We keep turning off commenting on old posts, and late fees too.",
        "Turn off commenting for a week; the late fees can wait."))
    comment_graph.write(kg, tmp_path / "out")
    flags = lambda raw: sorted((m.comment_id, m.start, m.end, m.corpus_checked) for m in raw)  # noqa: E731
    assert any(m.corpus_checked and m.score != 0.4 for m in kg.raw_mentions)  # not told by the score alone
    assert flags(comment_graph.load(tmp_path / "out").raw_mentions) == flags(kg.raw_mentions)


def test_gerunds_and_wise_words_that_name_or_modify_a_kind(tmp_path):
    kg = build_text(tmp_path, "Honestly, attribution patching is a linear approximation. The library uses pairwise "
                              "comparison for ranked lists, and the bunching estimator was built for that. Our "
                              "intern working late found it, and the model doing the ranking agreed.")
    labels = concept_keys(kg)
    assert {"attribution patching", "pairwise comparison", "bunching estimator"} <= labels
    assert not {lab for lab in labels if lab.endswith(("working", "doing"))}  # verbs, everyday or with an object


def test_a_phrase_a_reply_quotes_is_mentioned_not_used_again(tmp_path):
    # the first writer's one-off "strange-misreading" (a hyphenated adjective and noun) stays one use when a
    # reply cites it in quotation marks, so it folds into the misreadings both discuss
    kg = build_rows(tmp_path, thread(
        "People put effort into ever more careless misreadings, and I no "
        "longer answer the strange-misreading replies at all.",
        "Many of what you call “strange-misreadings” look like fair "
        "questions about misreadings of the rules to me."))
    labels = concept_keys(kg)
    assert "misreading" in labels and not {lab for lab in labels if lab.endswith(" misreading")}


def test_a_name_before_a_technical_noun_names_a_kind_and_the_bare_name_is_short_for_it(tmp_path):
    kg = build_text(tmp_path, "For noisy counts we switched to Lindqvist smoothing, which keeps the tails intact. "
                              "Plain Lindqvist is fine for short series too, and the Orvane team liked it. Orvane "
                              "reliability was never the issue.")
    concepts = {e.label: e for e in kg.entities_of("concept")}
    assert "Lindqvist smoothing" in concepts and concepts["Lindqvist smoothing"].aliases == ["Lindqvist"]
    assert not {lab for lab in concepts if lab.startswith("Orvane ")}  # an everyday noun, a property: aspects


def test_a_work_described_with_its_author_after_by_is_the_possessives_work(tmp_path):
    kg = build_text(tmp_path, "I liked the post by Maria Lopez on this, and an explainer video from Rob Miles covers "
                              "it too. Maria Lopez’s post is still the clearest. A post by someone on Reddit, and "
                              "the next essay by Maria Lopez, are another matter.")
    works = {e.label: e for e in kg.entities_of("work")}
    assert set(works) == {"Maria Lopez’s post", "Rob Miles’s video"}  # one work for both phrasings; none unwritten
    assert kg.entities[works["Maria Lopez’s post"].creator].label == "Maria Lopez"
    assert "post by Maria Lopez" in works["Maria Lopez’s post"].aliases


def test_a_work_described_by_its_authors_surname_or_by_the_name_it_is_about(tmp_path):
    kg = build_text(tmp_path, "Nadia Okoro sits at one end of the spectrum. See the essay by Okoro here, and that "
                              "paper on ProcGen (also the post on LessWrong). The paper on Bayesian inference is old.")
    w = works(kg)
    assert {"Nadia Okoro’s essay", "ProcGen paper"} <= set(w)
    assert kg.entities[w["Nadia Okoro’s essay"].creator].label == "Nadia Okoro"
    assert not {t for t in w if "LessWrong" in t or "Bayesian" in t}


def test_full_names_joined_by_and_are_people_not_a_title(tmp_path):
    kg = build_text(tmp_path, "Cf. the figure where Nadia Okoro and Maria Lindqvist show a movie frame and ask what "
                              "is happening.")
    assert not works(kg)
    assert {"Nadia Okoro", "Maria Lindqvist"} <= {e.label for e in kg.entities_of("person")}


def test_a_possessive_work_keeps_its_topic_after_on(tmp_path):
    kg = build_text(tmp_path, "Nadia Okoro's posts on keyword generics more or less concede that, and Maria "
                              "Lindqvist's papers on Koka show the other side. Ada Lin's post on the most likely "
                              "path to transformative AI is better than Ada Lin's later post.")
    assert {"Nadia Okoro's posts on keyword generics", "Maria Lindqvist's papers on Koka",
            "Ada Lin's post on the most likely path to transformative AI"} <= set(works(kg))


def test_appositions_quoted_titles_and_compounds_after_a_possessive(tmp_path):
    kg = build_text(tmp_path, "Ada Lin's lecture notes \"What is algebraic about effect handlers?\" are the best "
                              "start. Jacqueline and Simon Okoro's biography Vera Lindqvist: A Life is good, and Nadia "
                              "Okoro's blog Quiet Station makes the case weekly. Tarnowski's post-match interview "
                              "helps, and the trade ran between Tamil Nadu and Kerala.")
    w = works(kg)
    assert {"What is algebraic about effect handlers?", "Vera Lindqvist: A Life", "Quiet Station"} <= set(w)
    assert not {t for t in w if "lecture notes" in t or t.endswith("post") or "Kerala" in t}
    assert "Jacqueline Okoro" in {e.label for e in kg.entities_of("person")}


def test_a_title_where_someone_said_something(tmp_path):
    kg = build_text(tmp_path, "Ken Okafor says this in Flour Water Salt Yeast too. Henry George worked out in "
                              "Progress and Poverty that land taxes work. Ada Lin explains it well on The Perfect "
                              "Loaf. I posted on Twitter and she said it on Monday.")
    w = works(kg)
    assert {"Flour Water Salt Yeast", "Progress and Poverty", "The Perfect Loaf"} <= set(w)
    assert not {"Twitter", "Monday"} & set(w)


def test_a_rare_gerund_before_a_noun_classifies_it_but_a_verb_with_its_object_does_not(tmp_path):
    kg = build_text(tmp_path, "White loses castling rights after the trade; the survey has sampling bias. I would urge "
                              "anyone interested in differentially accelerating robustness-relevant capabilities "
                              "to write, but not by following social norms blindly.")
    labels = concept_keys(kg)
    assert {"castling right", "sampling bias", "robustness relevant capability"} <= labels
    assert not {k for k in labels if k.startswith(("accelerating", "following"))}


def test_an_acronym_of_the_initials_of_one_phrase_on_the_page_is_that_phrase(tmp_path):
    kg = build_rows(tmp_path, thread("A land value tax would fix half of the parking problem.",
                                     "LVT is on my list for a future post, and so are split-rate LVTs.",
                                     "The XQZ thing is different."))
    lvt = [e for e in kg.entities_of("concept") if "LVT" in e.aliases]
    assert [e.label for e in lvt] == ["land value tax"]
    assert {s.comment_id for s in kg.subjects if s.entity_id == lvt[0].id} >= {"a", "b"}


def test_a_sentence_opens_noun_phrases_with_its_capital(tmp_path):
    # the capital of "Effect" is the sentence's; a name alone at a sentence's start stays a name
    kg = build_text(tmp_path, "Every time this comes up I ask what it costs. Effect handlers make the colour disappear "
                              "from the signature. One-shot continuations mean you switch stacks on every perform.\n"
                              "Stackless coroutines buy a frame size known at compile time. Mercantilism, the belief "
                              "that a country grows rich by hoarding metal, is younger. Rust compiles each future to "
                              "a state machine. Carlsen won a lot of these.")
    labels = concept_keys(kg)
    assert {"effect handler", "one shot continuation", "stackless coroutine", "mercantilism"} <= labels
    assert not {"carlsen", "rust"} & labels


def test_nouns_ending_in_ly_and_plurals_before_of_head_their_phrases(tmp_path):
    kg = build_text(tmp_path, "An outflow of that size would barely register in the money supply. Rubin measured "
                              "the rotation curves of the nearby spiral galaxies in 1970, and the curves stayed flat.")
    labels = concept_keys(kg)
    assert {"money supply", "rotation curve"} <= labels


def test_a_head_noun_alone_after_its_compound_is_that_compound(tmp_path):
    kg = build_rows(tmp_path, thread("We moved the tokenizer cache to disk last week. Now the cache survives restarts.",
                                     "Cities that dropped parking minimums got more housing.",
                                     "Right, and dropping minimums also cut rents near the stations.",
                                     "The expected utility is one thing; the utility of a single outcome is another."))
    label_of = {m.surface: kg.entities[m.entity_id].label for m in kg.mentions if m.kind == "concept"}
    assert label_of["cache"] == "tokenizer cache"
    assert label_of["minimums"] == "parking minimums"
    # an adjective makes a kind of the head, which stays a concept of its own
    assert label_of.get("utility", "utility") == "utility"
    assert "cache" not in {e.label for e in kg.entities_of("concept")}


def test_a_common_name_before_a_rare_noun_names_a_kind(tmp_path):
    kg = build_text(tmp_path, "Top players sidestep the Berlin endgame with 4.d3, and the Berlin Defence is still "
                              "solid. I moved to Berlin last year.")
    labels = concept_keys(kg)
    assert {"berlin endgame", "berlin defence"} <= labels
    assert "berlin" not in labels  # the city alone is no topic here


def test_activity_compounds_eponyms_of_people_and_identifiers(tmp_path):
    kg = build_rows(tmp_path, thread("Preregistration is mostly a guard against p-hacking, and that is time-consuming.",
                                     "Frank Ramsey was twenty-five then. The Ramsey equation sets the discount rate.",
                                     "That avoids the heap-allocated stacks kc_s describes."))
    labels = concept_keys(kg)
    assert {"p hacking", "ramsey equation", "heap allocated stack"} <= labels
    assert not {k for k in labels if "time consuming" in k or ("stack" in k and "kc" in k)}
    assert "Frank Ramsey" in {e.label for e in kg.entities_of("person")}


def test_a_capital_the_mid_sentence_opens_a_title(tmp_path):
    kg = build_text(tmp_path, "There is a good explanation of browning in The Food Lab, and I read The Selfish Gene "
                              "last year. The Maillard reaction needs heat. We moved from The Netherlands, we give to The "
                              "Humane League, and we grew up listening to The Rolling Stones.")
    assert {"The Food Lab", "The Selfish Gene"} <= set(works(kg))
    assert not {w for w in works(kg) if any(name in w for name in ("Maillard", "Netherlands", "League", "Stones"))}


def test_a_title_after_in_the_where_someone_said_something(tmp_path):
    kg = build_text(tmp_path, "Pliny famously complains in the Natural History that the East drains the Empire. "
                              "She argued in the European Parliament that it fails, and we met in the United States.")
    assert set(works(kg)) == {"Natural History"}


def test_a_head_noun_follows_the_compound_the_page_wrote_first(tmp_path):
    rows = thread(
        "The chronic trade deficit with India worried the moralists, and the trade deficit grew under Nero.",
        "I doubt the deficit was that large. What do the coin hoards found in the south show?",
        "The hoards are mostly silver, valued as bullion by weight rather than as money.",
        "The lru_cache decorator keys on the arguments. Rust has no effect handlers, but OCaml Rust bindings do.",
        "Most of the sprockets wore out. The drive sprockets we fitted last winter held up.")
    for row, later_first in zip(rows, "edcba"):  # ids that sort against the reading order, as a forum's may
        row["id"] = later_first
    kg = build_rows(tmp_path, rows)
    label_of = {m.surface: kg.entities[m.entity_id].label for m in kg.mentions if m.kind == "concept"}
    assert label_of["deficit"] == "trade deficit"  # "chronic trade deficit" extends it: the same thing
    assert label_of["hoards"] == "coin hoards"  # read in order of the comments, whatever the extractors' order
    assert label_of.get("sprockets", "sprockets") == "sprockets"  # written alone first: a thing of its own
    assert label_of.get("Rust", "Rust") == "Rust"


def test_a_weekday_and_a_month_after_on_are_a_date_not_a_title(tmp_path):
    kg = build_text(tmp_path, "Posted by KestrelGrey on Monday June 23, 2025, and the thread ran for a week. "
                              "I read it in Nature on Friday.")
    assert not {w for w in works(kg) if "Monday" in w or "Friday" in w}


def test_a_compound_on_each_side_of_of_makes_two_terms_and_a_plural_noun_keeps_its_place(tmp_path):
    kg = build_text(tmp_path, "Two observers measured the flat rotation curves of spiral galaxies in the 1970s. "
                              "You can gain economy of scale by hiring in batches.")
    labels = concept_keys(kg)
    assert {"rotation curve", "spiral galaxy", "economy of scale"} <= labels
    assert not {k for k in labels if k.startswith("curve of")}


def test_a_description_keeps_its_topic_or_its_partner_after_the_or_a_conversation(tmp_path):
    """'the Half Life Labs video on tidal locking': a description after "the" keeps its topic as a
    possessive one does; an interview or podcast keeps who it was with."""
    kg = build_text(tmp_path, "For pictures, the Half Life Labs video on tidal locking is ten good minutes. "
                              "Osgood's long interview with Quanta is also worth reading for the history. "
                              "I read Marlow's interview with great interest.")
    assert {"Half Life Labs video on tidal locking", "Osgood's long interview with Quanta",
            "Marlow's interview"} <= set(works(kg))


def test_a_lower_case_handle_owning_a_work_is_its_maker(tmp_path):
    """Forum handles are often written in lower case: 'quietfjord's video' names the user who made
    the video; a possessive of an English word ('everyone's posts', 'Yesterday's post') names nobody."""
    kg = build_text(tmp_path, "quietfjord's video on the Najdorf is a nice watch. I read everyone's posts, "
                              "and Yesterday's post was long. quietfjord's next video is late, and "
                              "quietfjord's been making videos all year.")
    w = works(kg)
    assert set(w) == {"quietfjord's video on the Najdorf"}
    assert kg.entities[w["quietfjord's video on the Najdorf"].creator].label == "quietfjord"


def test_a_text_known_by_its_copy_is_a_work(tmp_path):
    kg = build_text(tmp_path, "The best evidence is the Tebtunis papyrus, a tax register from the 1st century.")
    assert "Tebtunis papyrus" in works(kg)


def test_a_name_of_several_words_before_an_idea_noun_is_a_concept_not_a_title(tmp_path):
    """'Okonjo's Blue Shift hypothesis': the capitalised words before "hypothesis" name an idea, whole
    ("Blue Shift hypothesis", not "Shift hypothesis"), and no title the owner wrote."""
    kg = build_text(tmp_path, "Dana Okonjo's Blue Shift hypothesis predicts a cold companion past the belt.")
    labels = {e.label for e in kg.entities_of("concept")}
    assert "Blue Shift hypothesis" in labels and "Shift hypothesis" not in labels
    assert not works(kg)
    kg = build_text(tmp_path, "We argued about the Microsoft Kahan summation bug all day.")
    assert "Kahan summation" in {e.label for e in kg.entities_of("concept")}


def test_a_title_after_in_may_end_a_phrase_before_the_verb(tmp_path):
    """'Lena Ruiz's estimate in The Long Quiet is…', 'what Marr promoted in Seeing, Fast and Slow
    faded': a title can close the phrase before the sentence's verb; a place followed by a word that
    is no verb ("in New Jersey today") is still no title, nor is a place after "in" with no cue."""
    kg = build_text(tmp_path, "Lena Ruiz's estimate in The Long Quiet is about one in ten. The effect that Marr "
                              "promoted in Seeing, Fast and Slow faded before anyone checked. The law was tried in "
                              "New Jersey today. It rained in Port Talbot all week.")
    assert set(works(kg)) == {"The Long Quiet", "Seeing, Fast and Slow"}
    kg = build_text(tmp_path, "Ruiz argues this in The Long Quiet\nbut I doubt it. Lena Ruiz's estimate in The "
                              "Long Quiet doesn't hold up.")
    assert set(works(kg)) == {"The Long Quiet"} and len([m for m in kg.mentions if m.kind == "work"]) == 2


def test_a_hyphenated_compound_before_a_noun_of_process_is_the_topic(tmp_path):
    """'the dust-masking step', 'a greedy hill-climbing process': the compound names the process; the
    generic noun after it ("step", "process", "effort") adds nothing. A plain noun before one keeps it."""
    kg = build_text(tmp_path, "The dust-masking step runs before stacking, a greedy hill-climbing process tunes "
                              "the weights, and the review process takes a week.")
    labels = {e.label for e in kg.entities_of("concept")}
    assert {"dust-masking", "greedy hill-climbing", "review process"} <= labels
    assert not any(label.endswith(("step", "hill-climbing process")) for label in labels)


def test_a_quoted_predicate_is_no_term_but_its_noun_may_be(tmp_path):
    """'Does "priced as scrap" mean…': a comment quoting a verb and its phrase discusses the noun in it;
    a quoted noun phrase ("theory of mind") is still a term."""
    kg = build_text(tmp_path, 'Does "priced as scrap" mean the hulls were stripped first? '
                              'Their "salvage auction" figures look odd.')
    labels = {e.label for e in kg.entities_of("concept")}
    assert "scrap" in labels and "priced as scrap" not in labels and "salvage auction" in labels


def test_an_everyday_word_short_for_a_vocabulary_term_needs_the_term_named_on_the_page(tmp_path):
    # "debate" is the vocabulary's short form of "AI safety via debate" and "habit" of "habit formation":
    # on a page about wages and gyms the words keep their everyday sense; where a comment names the
    # term in full, or its field (scalable oversight), another comment's bare "debate" is short for it
    for sub in "abc":
        (tmp_path / sub).mkdir()
    elsewhere = build_rows(tmp_path / "a", thread(
        "The minimum wage debate came up again at the council, and the vote went the other way.",
        "A morning gym habit is easier to keep than an evening one; the debate about timing is old."))
    assert not {"ai safety via debate", "habit formation"} & concept_keys(elsewhere)
    here = build_rows(tmp_path / "b", thread(
        "AI safety via debate trains two models to argue while a judge picks the more convincing answer.",
        "I doubt debate scales: a judge can be fooled by the better rhetorician."))
    debate = [e for e in here.entities_of("concept") if e.label == "AI safety via debate"]
    assert len(debate) == 1
    assert {m.comment_id for m in here.mentions if m.entity_id == debate[0].id} == {"a", "b"}
    field = build_rows(tmp_path / "c", thread(
        "Scalable oversight asks how a weak judge can supervise a strong model.",
        "I doubt debate scales: a judge can be fooled by the better rhetorician."))
    assert "ai safety via debate" in concept_keys(field)
