"""People: patterns that must be found, and the ones that must not become people."""

from __future__ import annotations

from conftest import build_rows, build_text, thread


def people(kg):
    return {e.label for e in kg.entities_of("person")}


def test_two_jacobs_stay_two(tmp_path):
    kg = build_text(tmp_path, "I disagree with Jacob Cannell on compute, and Jacob Steinhardt makes the forecasting "
                              "point better. Thanks both!")
    assert {"Jacob Cannell", "Jacob Steinhardt"} <= people(kg)


def test_first_name_resolves_to_the_one_full_name_in_the_corpus(tmp_path):
    kg = build_text(tmp_path, "I agree with Priya Raman that the benchmark leaks.\n\n"
                              "Thanks for the link! As Priya said, the test split overlaps the training set.")
    assert people(kg) == {"Priya Raman"}


def test_ambiguous_first_name_stays_unresolved(tmp_path):
    kg = build_text(tmp_path, "I agree with Priya Raman and Priya Shah about the audit.\n\n"
                              "Thanks for the link! But what Priya said about sampling seems wrong.")
    labels = people(kg)
    assert {"Priya Raman", "Priya Shah"} <= labels
    unresolved = [e for e in kg.entities_of("person") if e.unresolved]
    assert [e.label for e in unresolved] == ["Priya"]


def test_possessives_handles_and_hyphen_compounds(tmp_path):
    kg = build_text(tmp_path, "I agree with what-Tomasz-believes here, and Tomasz Kowalczyk’s framing is fine.\n\n"
                              "Thanks! (cc @Ingrid Solberg )")
    assert {"Tomasz Kowalczyk", "Ingrid Solberg"} <= people(kg)
    surfaces = {m.surface for m in kg.mentions if m.kind == "person"}
    assert "Tomasz" in surfaces and "@Ingrid Solberg" in surfaces and "Tomasz Kowalczyk" in surfaces


def test_lexicon_first_name_and_surname(tmp_path):
    kg = build_text(tmp_path, "I think the argument of hi Eliezer! is not the point. What LeCun says is different.")
    assert {"Eliezer Yudkowsky", "Yann LeCun"} <= people(kg)


def test_products_organizations_and_pronouns_are_not_people(tmp_path):
    kg = build_text(tmp_path, "I agree the CoinRun results hold. You should ask Anthropic or Customers Bank. "
                              "Seems fine to you?")
    assert not people(kg)
    assert {"Anthropic", "Customers Bank"} <= {e.label for e in kg.entities_of("organization")}


def test_page_author_variants_merge(sample_kg):
    author = [e for e in sample_kg.entities_of("person") if e.is_page_author]
    assert [e.label for e in author] == ["Steve Byrnes"]
    assert "Steven Byrnes" in author[0].aliases


def test_pairs_and_people_file_with_same_as(tmp_path):
    people = tmp_path / "people.json"
    people.write_text('[{"name": "Ada Kowalczyk", "aliases": ["Ada K"], '
                      '"same_as": "https://www.wikidata.org/wiki/Q000001"}]', encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("I agree with Ada K and Owain Evans & Jacob Steinhardt here. Thanks!", encoding="utf-8")
    import comment_graph

    kg = comment_graph.build(page, people_files=[people])
    assert {"Ada Kowalczyk", "Owain Evans", "Jacob Steinhardt"} <= people_labels(kg)
    rows = kg.sparql("SELECT ?s WHERE { ?p foaf:name ?n ; owl:sameAs ?s }", n="Ada Kowalczyk")
    assert rows == [{"s": "https://www.wikidata.org/wiki/Q000001"}]


def people_labels(kg):
    return {e.label for e in kg.entities_of("person")}


def test_sentence_initial_capitalised_words_are_not_people(tmp_path):
    kg = build_text(tmp_path, "Grace notes aside, Sterling work. Rose petals fell. Will it work? Mark my words.")
    assert not people_labels(kg)


def test_extraction_reuses_the_surveys_full_names_and_finds_the_same_people(sample_kg):
    """The corpus survey keeps each comment's full names for the people extractor; a context
    without them (a plugin's, say) makes the extractor find them itself, with the same result."""
    from dataclasses import replace

    from comment_graph import api
    from comment_graph.extract.people import find_people, full_names

    lex = api._lexicons(sample_kg.config)
    ctx = api._context(sample_kg.comments, lex, sample_kg.page_author, sample_kg.page_titles)
    assert set(ctx.surveyed_full_names) == {c.id for c in sample_kg.comments}
    bare = replace(ctx, surveyed_full_names={})
    for c in sample_kg.comments:
        assert ctx.surveyed_full_names[c.id] == tuple(full_names(c.text, ctx))
        assert [m.as_row() for m in find_people(c, ctx)] == [m.as_row() for m in find_people(c, bare)]
    assert any(ctx.surveyed_full_names.values())


def test_context_cues_make_one_word_a_person(tmp_path):
    """Reported speech, address and co-authorship mark a capitalised word no list knows as a person."""
    kg = build_text(tmp_path, "I suspect Quillane is describing the older protocol here. Thanks Mirela, that helps. "
                              "Okonkwo and colleagues showed the same drift last year.")
    assert {"Quillane", "Mirela", "Okonkwo"} <= people_labels(kg)
    cues = {m.surface: m.attrs.get("cue") for m in kg.mentions if m.kind == "person"}
    assert cues["Okonkwo"] == "cue: coauthors"


def test_cues_leave_nouns_organizations_and_pronouns_alone(tmp_path):
    kg = build_text(tmp_path, "Grace notes aside, the melody works. As Google argued in court, and as He said "
                              "to me, the Insurance claims were late.")
    assert not people_labels(kg)



def test_a_name_inside_a_phrase_before_a_speech_verb_is_not_the_speaker(tmp_path):
    # "the write-up on Quiverstream explains": the write-up speaks; Quiverstream is what it is about
    kg = build_text(tmp_path, "The write-up on Quiverstream explains the replication model, and a talk about "
                              "Tarnwick argued the same. Quillane argues otherwise.")
    assert people_labels(kg) == {"Quillane"}

def test_a_first_name_prefers_the_full_name_in_its_own_comment(tmp_path):
    import json

    import comment_graph

    page = tmp_path / "thread.jsonl"
    page.write_text("".join(json.dumps({"id": f"c{i}", "author": "Ana Ruiz", "text": t}) + "\n" for i, t in enumerate(
        ["I agree with Priya Raman about the audit.",
         "I side with Priya Shah here; as Priya notes, the sampling frame matters."])), encoding="utf-8")
    kg = comment_graph.build(page)
    priya = [m for m in kg.mentions if m.surface == "Priya"]
    assert priya and kg.entities[priya[0].entity_id].label == "Priya Shah"
    assert priya[0].attrs["resolved_by"] == "full name in the same comment"


def test_a_lone_first_name_reads_the_lexicon_and_says_why(tmp_path):
    """One lexicon person of that first name, or one documented with clearly more names, is who a lone
    first name means; an even tie stays unresolved."""
    people = tmp_path / "people.json"
    people.write_text('[{"name": "Marta Orrell", "aliases": ["marta_o", "T. Orrell"]}, '
                      '{"name": "Marta Brack", "aliases": []}, {"name": "Tobias Pell", "aliases": []}, '
                      '{"name": "Tobias Marsh", "aliases": []}]', encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text("I think Marta would say the prior is wrong, and Tobias would not.", encoding="utf-8")
    import comment_graph

    kg = comment_graph.build(page, people_files=[people])
    by_surface = {m.surface: m for m in kg.mentions if m.kind == "person"}
    assert kg.entities[by_surface["Marta"].entity_id].label == "Marta Orrell"
    assert by_surface["Marta"].attrs["resolved_by"] == "lexicon first name"
    assert kg.entities[by_surface["Tobias"].entity_id].unresolved


def test_a_capitalised_word_before_a_full_name_does_not_hide_it(tmp_path):
    # "When Helga Brandvik …": the opening word is no first name, the name starts after it
    kg = build_text(tmp_path, "I agree. When Helga Brandvik and the audit office pushed the rule, nobody objected.")
    assert "Helga Brandvik" in people(kg)
    assert "Helga" not in people(kg)


def test_a_month_before_a_day_is_a_date_not_a_person(tmp_path):
    kg = build_text(tmp_path, "Good catch, I had missed the overflow. – quietfox Jan 7, 2020 at 09:12\n\n"
                              "Updated the answer on May 2 with the fix.")
    assert not {"Jan", "May"} & {m.surface for m in kg.mentions if m.kind == "person"}


def test_a_reply_opening_on_a_first_name_addresses_a_person(tmp_path):
    kg = build_text(tmp_path, "I agree with the thread so far.\n\n"
                              "Marta, the estimator you cite was built for exactly that objection.")
    assert "Marta" in {m.surface for m in kg.mentions if m.kind == "person"}


def test_a_cited_author_written_in_full_with_an_unlisted_first_name(tmp_path):
    kg = build_text(tmp_path, "I agree. The panel in Okonjo, Vasquez and Thorsrud settles it; "
                              "Ndidiamaka Okonjo has a good summary of it.")
    assert "Ndidiamaka Okonjo" in people(kg)
    # the surname cited first is the same person, though no name list knows her first name
    okonjo = [m for m in kg.mentions if m.surface == "Okonjo"]
    assert okonjo and kg.entities[okonjo[0].entity_id].label == "Ndidiamaka Okonjo"
    assert okonjo[0].attrs["resolved_by"] == "full name in the same comment"


def test_a_method_named_by_its_author_names_a_person(tmp_path):
    kg = build_text(tmp_path, "I agree; the sum is exact with Vrabcek's algorithm, as the docs say.")
    assert "Vrabcek" in {m.surface for m in kg.mentions if m.kind == "person"}


def test_reddit_user_names_are_handles_that_meet_their_authors(tmp_path):
    rows = thread("I posted the chart last week.",
                  "u/quiet_kestrel posted the same chart, and /u/marsh_owl disagreed; see reddit.com/u/nobody too.")
    rows[0]["author"] = "quiet_kestrel"
    kg = build_rows(tmp_path, rows)
    handles = {m.surface: kg.all_entities[m.entity_id] for m in kg.mentions if m.kind == "person"}
    assert set(handles) == {"u/quiet_kestrel", "/u/marsh_owl"}  # not inside a link
    assert handles["u/quiet_kestrel"].accounts == ["quiet_kestrel"]  # the comment author
    assert handles["/u/marsh_owl"].label == "marsh_owl" and handles["/u/marsh_owl"].unresolved


def test_a_given_name_that_is_an_english_word_opens_a_full_name_before_a_surname(tmp_path):
    # "Frank", "Grace", "Will" are everyday words too: only a surname after them makes them a name
    kg = build_rows(tmp_path, thread("Frank Okafor called pure time discounting indefensible long ago.",
                                     "Grace Hopper wrote the first compiler, and Will Tarnowski agreed.",
                                     "Frank discussion helps. Will Bayesian methods help here? Mark Sweeps are slow."))
    assert {"Frank Okafor", "Grace Hopper", "Will Tarnowski"} <= people_labels(kg)
    assert not {label for label in people_labels(kg) if label.startswith(("Will Bayesian", "Mark", "Frank discussion"))}


def test_a_surname_between_a_determiner_and_a_noun_names_a_thing_called_after_the_person(tmp_path):
    kg = build_rows(tmp_path, thread("Frank Okafor thought pure time preference was indefensible.",
                                     "The standard defense comes from the Okafor equation itself.",
                                     "I liked the Okafor post on it, though."))
    persons = {m.comment_id for m in kg.mentions if m.kind == "person"}
    assert persons == {"a", "c"}


def test_strong_cues_accept_surnames_as_frequent_as_common_ones(tmp_path):
    # "Klein" and "Goldberg" are frequent words in English text, but only as names; a possessive before a
    # long title, or a verb of finding, says they name a person here
    kg = build_rows(tmp_path, thread("Worth reading Klein's How Small Teams Ship Reliable Software before you start.",
                                     "I think Tarnowski showed this back in 2005, and Okafor noticed it too."))
    assert {"Klein", "Tarnowski", "Okafor"} <= people_labels(kg)


def test_names_with_accents_initials_and_given_names_no_list_holds(tmp_path):
    kg = build_text(tmp_path, "J. Kenji Okafor-Núñez explains it well, and so does Antonio Radić. KC Tarnowski "
                              "gave the talk. Raoul Okonkwo argues the revenue mattered. Ask John F. Tarnowski. "
                              "Great answer. – Ananya K. Mar 4, 2021 at 16:48")
    labels = people_labels(kg)
    assert {"J. Kenji Okafor-Núñez", "Antonio Radić", "KC Tarnowski", "Raoul Okonkwo", "John F. Tarnowski"} <= labels
    assert not {label for label in labels if "Mar" in label.split()}


def test_a_common_surname_before_a_verb_is_still_a_surname(tmp_path):
    # "George" and "Ford" are frequent words; before a verb (not a noun, as in "the Gemma Scope release")
    # they end a person's name
    kg = build_text(tmp_path, "Henry George worked out that taxing land is efficient, and Kent Ford measured "
                              "the rotation curves.")
    assert {"Henry George", "Kent Ford"} <= people_labels(kg)


def test_a_works_creator_is_the_node_its_mention_resolves_to(tmp_path):
    kg = build_text(tmp_path, "Tarnowski's hydration video was mostly jokes, but the bread was good.")
    persons = [e for e in kg.entities_of("person") if "Tarnowski" in e.label]
    assert len(persons) == 1
    work = next(e for e in kg.entities_of("work"))
    assert work.creator == persons[0].id
    assert any(m.kind == "person" and m.entity_id == work.creator for m in kg.mentions)  # named, not only credited


def test_a_sentence_opening_on_a_surname_the_page_writes_in_full(tmp_path):
    kg = build_rows(tmp_path, thread("Reading him through it makes him sound like Thomas Okonkwo.",
                                     "Okonkwo is a fun comparison, though the complaint is moral.",
                                     "Greg, I agree with that."))
    assert {m.comment_id for m in kg.mentions if m.kind == "person" and "Okonkwo" in m.surface} == {"a", "b"}
    assert any(m.comment_id == "c" and m.surface == "Greg" for m in kg.mentions if m.kind == "person")


def test_a_given_name_after_an_initial_resolves_to_the_full_name(tmp_path):
    kg = build_rows(tmp_path, thread("J. Kenji Okafor-Núñez explains browning well in his book.",
                                     "Kenji also says to salt early."))
    assert {kg.entities[m.entity_id].label for m in kg.mentions if m.kind == "person"} == {"J. Kenji Okafor-Núñez"}


def test_a_surname_a_cue_marks_once_is_that_person_across_the_page(tmp_path):
    kg = build_rows(tmp_path, thread("Vlachovic's post-match interview is worth digging up.",
                                     "Vlachovic dug up the old defence for the match and it held for years.",
                                     "I think Vlachovic was simply better prepared."))
    named = {m.comment_id for m in kg.mentions if m.kind == "person" and m.surface == "Vlachovic"}
    assert named == {"a", "b", "c"}
    assert len({m.entity_id for m in kg.mentions if m.kind == "person" and m.surface == "Vlachovic"}) == 1


def test_a_word_english_knows_is_not_made_a_person_page_wide_by_one_cue(tmp_path):
    # a product's possessive ("Stockfish's model") or an everyday word ("Rust's book") spreads nothing
    kg = build_rows(tmp_path, thread("Stockfish's model is much stronger now.",
                                     "Stockfish gives the endgame around +0.25 for White.",
                                     "Rust's book is good, and Rust compiles each future to a state machine."))
    assert not any(m.comment_id in ("b", "c") for m in kg.mentions if m.kind == "person")


def test_a_name_with_an_epithet_and_its_short_form(tmp_path):
    kg = build_rows(tmp_path, thread("Pliny the Elder famously complains that the East drains the Empire.",
                                     "Note that Pliny's figure is for luxuries in general.",
                                     "Pliny complains about perfume, not trade."))
    persons = {m.comment_id: kg.entities[m.entity_id].label for m in kg.mentions if m.kind == "person"}
    assert persons == {"a": "Pliny the Elder", "b": "Pliny the Elder", "c": "Pliny the Elder"}


def test_possessives_before_a_title_name_their_writers(tmp_path):
    kg = build_rows(tmp_path, thread("Plotkin and Pretnar's “Handlers of Algebraic Effects” is where it started.",
                                     "Soltis's Pawn Structure Chess is still the best book on it."))
    named = {(m.comment_id, m.surface) for m in kg.mentions if m.kind == "person"}
    assert {("a", "Plotkin"), ("a", "Pretnar"), ("b", "Soltis")} <= named


def test_forum_users_named_in_replies_meet_the_bylines_of_a_phpbb_page(tmp_path):
    page = ("Re: Sourdough starter smells of acetone\n"
            "Post by crumb_queen » Tue Mar 12, 2024 9:15 pm\n\n"
            "Feed it twice a day for a week and the smell goes.\n\n"
            "Re: Sourdough starter smells of acetone\n"
            "Post by baker_dave » Wed Mar 13, 2024 7:02 am\n\n"
            "crumb_queen wrote: ↑Tue Mar 12, 2024 9:15 pm\n"
            "Feed it twice a day for a week and the smell goes.\n\n"
            "Thanks crumb_queen, that worked. And pete, thanks for the rye tip.\n\n"
            "Re: Sourdough starter smells of acetone\n"
            "Post by flour_pete » Wed Mar 13, 2024 8:40 am\n\n"
            "Glad it sorted itself out. Rye flour helps too.\n")
    kg = build_text(tmp_path, page)
    assert [c.author for c in kg.comments] == ["crumb_queen", "baker_dave", "flour_pete"]  # the weekday is the date's
    reply = kg.comments[1]
    handles = {reply.text[m.start:m.end]: kg.all_entities[m.entity_id] for m in kg.mentions_in(reply.id)
               if m.kind == "person"}
    # the handle in the reply and "pete" (a given name inside a handle) are users; the software's quote header is not
    assert set(handles) == {"crumb_queen", "pete"}
    assert handles["crumb_queen"].accounts == ["crumb_queen"] and handles["pete"].accounts == ["flour_pete"]


def test_a_surname_alone_is_the_body_named_after_the_person_where_the_page_names_it(tmp_path):
    kg = build_rows(tmp_path, thread(
        "The Ada M. Kowalczyk Observatory in Chile released its first images on Monday.",
        "Every long exposure Kowalczyk takes will have satellite trails across it.",
        "Ada Kowalczyk measured the rotation of the galaxy in 1970, and Kowalczyk never got a prize for it."))
    kinds = {(m.comment_id, m.surface): (m.kind, m.entity_id) for m in kg.mentions}
    assert kinds[("a", "Ada M. Kowalczyk Observatory")][0] == "organization"
    assert kinds[("b", "Kowalczyk")] == kinds[("a", "Ada M. Kowalczyk Observatory")]  # the telescope, not her
    assert kinds[("c", "Kowalczyk")] == ("person", "person/ada-kowalczyk")  # where she is named in full
    assert "Kowalczyk" not in {m.surface for m in kg.mentions if m.comment_id == "a" and m.kind == "person"}


def test_a_record_signed_by_its_own_author_names_no_one_by_the_signature(tmp_path):
    # Stack Exchange comments and forum posts exported as records keep their signature or byline in the text
    rows = [{"id": "a", "author": "old_salt", "text": "The tide tables are for Brest, not Calais. – old_salt Mar 3, 2021 at 14:02"},
            {"id": "b", "author": "deck_hand", "text": "deck_hand\nSee old_salt's note: the tables are for Brest."},
            {"id": "c", "author": "bosun_bea", "text": "> deck_hand wrote: ↑Wed Mar 13, 2024 3:17 pm\n"
                                                         "> See the note.\n\nAgreed, and old_salt is right."}]
    kg = build_rows(tmp_path, rows)
    named = {(m.comment_id, m.surface) for m in kg.mentions if m.kind == "person"}
    # the signature, the byline line and a quote header (marked "> ") are no mentions; a name in the words is
    assert named == {("b", "old_salt"), ("c", "old_salt")}


def test_a_fediverse_reply_handle_is_the_author_the_card_names(tmp_path):
    page = ("Mastodon\nIdris Kagame\n@idrisk@fosstodon.example\n1h\nDid you publish DMARC records from day one?\n"
            "↩ 1 ⇄ 0 ★ 4\nMaren Holt\n@maren@scholar.example\n40m\n"
            "@idrisk yes, and a strict policy only after a month of reports.\n↩ 0 ⇄ 1 ★ 6\n")
    kg = build_text(tmp_path, page)
    people = {e.label: e for e in kg.all_entities.values() if e.kind == "person"}
    # '@idrisk' on the server's page is idrisk@fosstodon.example, named as the card names him
    assert set(people) == {"Idris Kagame", "Maren Holt"}
    assert people["Idris Kagame"].accounts == ["idrisk@fosstodon.example"]
    handle = next(m for m in kg.mentions if m.surface == "@idrisk")
    assert kg.all_entities[handle.entity_id] is people["Idris Kagame"]
