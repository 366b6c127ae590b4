"""Concepts: the terms a comment is about.

Candidates come from three places, none of which needs a downloaded model:
  * the SKOS vocabularies (longest match, acronyms case-sensitively);
  * abbreviations the text defines, "reward prediction error (RPE)" (Schwartz–Hearst);
  * noun phrases found with the part-of-speech lexicon bundled in TextBlob (read from its
    data file), cut at stop words and verbs, from which the most term-like suffix is kept.
Each candidate gets a termhood score; the resolver ranks them per comment with
corpus statistics and keeps the best.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..lexicon import zipf
from ..models import Comment, Mention
from ..text import concept_key, stopwords, token_columns
from . import Extractor, register
from .context import Context
from .names import Taken
from .proper_terms import CORPUS_CHECKED, _proper_terms
from .tagging import (ACRONYM_RE, _is_word, _tag, _tag_and_chunk, _word_tag, pos_lexicon, sentence_openers,
                      specificity)
from .recurrence import occurs_twice
from .terms import PHRASAL_VERB, QUOTED_TERM, find_terms, particle_verb_phrases
from .topics import topic_of_talk
from .vocabulary import NAME, _vocab_matches, overlapping_matches

NOUN_TAGS = {"NN", "NNS"}
ABBR_DEF_RE = re.compile(r"\(([A-Z][A-Za-z0-9-]{1,9}s?)\)")
MAX_WORDS = 4


def _abbreviation_definitions(c: Comment, spans: Taken) -> Iterator[Mention]:
    """'long form (ABBR)': the long form's initials spell the abbreviation (Schwartz–Hearst)."""
    for m in ABBR_DEF_RE.finditer(c.text):
        abbr = m.group(1).rstrip("s") if m.group(1).endswith("s") and m.group(1)[:-1].isupper() else m.group(1)
        if not any(ch.isupper() for ch in abbr[1:] + abbr[0]) or len(abbr) < 2:
            continue
        base = max(0, m.start() - 120)
        before = c.text[base:m.start()]
        words = list(re.finditer(r"[\w-]+", before))[-min(len(abbr) + 5, 2 * len(abbr)):]
        for k in range(len(words)):
            cand = words[k:]
            initials = "".join(w.group()[0] for w in cand).lower()
            if initials == abbr.lower() or (cand[0].group()[0].lower() == abbr[0].lower()
                                            and _letters_in_order(abbr.lower(), " ".join(w.group() for w in cand).lower())
                                            and len(cand) <= len(abbr)):
                s, e = base + cand[0].start(), base + cand[-1].end()
                spans.append((s, e))
                yield Mention.found(comment_id=c.id, kind="concept", surface=c.text[s:e], start=s, end=e,
                              extractor=NAME, score=0.95, key=concept_key(c.text[s:e]),
                              attrs={"source": "abbreviation definition", "abbr": abbr})
                break


def _letters_in_order(abbr: str, text: str) -> bool:
    pos = 0
    for ch in abbr:
        pos = text.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _chunks(toks, tags, in_chunk) -> Iterator[list[int]]:
    """Maximal runs of modifier/noun tokens that end in a noun, cut at stop words."""
    run: list[int] = []
    for i, ok in enumerate(in_chunk):
        if ok and run and "_" in toks[i][0]:  # a handle or identifier ("the stacks kc_s describes", "lru_cache")
            yield from _trim(run, toks, tags)  # stands alone: it ends the phrase before it
            run = []
        if ok:
            run.append(i)
        elif run:  # a possessive ends one noun phrase and starts the next, as does any other word
            yield from _trim(run, toks, tags)
            run = []
    if run:
        yield from _trim(run, toks, tags)


DETERMINER_TAGS = {"DT", "PRP$", "POS"}
# prepositions of place and time, which attach to nouns as readily as to verbs ("galaxies in the 1970s");
# not the subordinators tagged alike ("because", "if", "while"), which open a clause after a verb
PLACE_PREPOSITIONS = frozenset("in on at from across over under around between within near".split())
VERB_CONTEXT_TAGS = {"DT", "PRP", "PRP$", "IN", "RB", "TO", "RP", "JJ"}


def _trim(run: list[int], toks, tags) -> Iterator[list[int]]:
    # "the article undersells the", "post links the": a plural-looking last word before a determiner,
    # pronoun or preposition is a verb in the present tense, not part of the noun phrase; after an
    # adjective it is the phrase's head ("alignment-relevant capabilities to consider"), as after a gerund
    # no everyday verb shares ("castling rights after the trade"); and before "of", which follows nouns,
    # seldom verbs ("flat rotation curves of spiral galaxies"), or before a preposition of place or time
    # where the lexicon knows the word as a plural noun first ("spiral galaxies in the 1970s")
    if len(run) > 1 and tags[run[-1]] == "NNS" and run[-1] + 1 < len(tags) and tags[run[-1] + 1] in VERB_CONTEXT_TAGS \
            and toks[run[-1] + 1][0] != "of" \
            and not (toks[run[-1] + 1][0] in PLACE_PREPOSITIONS and pos_lexicon().get(toks[run[-1]][0].lower()) == "NNS") \
            and tags[run[-2]] not in ("JJ", "VBN") \
            and not (tags[run[-2]] == "VBG" and zipf(toks[run[-2]][0].lower()) < GERUND_HEAD_MAX_ZIPF):
        run = run[:-1]
    gerund_head = (len(run) > 1 and tags[run[-1]] == "VBG" and _gerund_heads(run, toks, tags)) \
        or _activity_compound(run, toks, tags)
    while run and tags[run[-1]] not in NOUN_TAGS | {"NNP"} and not gerund_head:
        run = run[:-1]
    if run:
        yield run[-MAX_WORDS:]


# what stands before an adjective said of something ("is time-consuming", "so mind-blowing", "seems far-reaching")
PREDICATE_OPENERS = frozenset("is are was were be been being am seem seems seemed become becomes became look looks "
                              "sound sounds feel feels get gets got".split())


def _activity_compound(run: list[int], toks, tags) -> bool:
    """'p-hacking', 'hill-climbing', 'streak-masking': a hyphen compound ending in a gerund, last in its
    phrase, names an activity, except where it is said of something ("is time-consuming", "so eye-opening")."""
    word = toks[run[-1]][0]
    if tags[run[-1]] != "JJ" or "-" not in word or not word.endswith("ing"):
        return False
    before = run[0] - 1
    return before < 0 or not (toks[before][0].lower() in PREDICATE_OPENERS or tags[before].startswith("RB")
                              or toks[before][0].endswith(("'s", "’s")))


OBJECT_OPENERS = {"DT", "PRP", "PRP$", "CD", "NNP"}
GERUND_HEAD_MAX_ZIPF = 4.5  # "patching", "investing", "labeling" name activities; "doing", "using", "working" are verbs


def _gerund_heads(run: list[int], toks, tags) -> bool:
    """Whether the gerund ending a noun run heads it: after a hyphen compound ("worst-case thinking",
    "goal-directed planning"), or after a noun when it takes no object and is no everyday verb
    ("attribution patching is", "HSA investing was"; not "the model doing the task")."""
    if "-" in toks[run[-2]][0]:
        return True
    after = run[-1] + 1
    return tags[run[-2]] in NOUN_TAGS and zipf(toks[run[-1]][0].lower()) < GERUND_HEAD_MAX_ZIPF \
        and (after >= len(tags) or tags[after] not in OBJECT_OPENERS)


def _gerund_modifies(sub: list[int], toks, tags) -> bool:
    """'loses castling rights', 'has sampling bias': a gerund no everyday verb shares, right before
    the noun it classifies, and not after an adverb ("differentially accelerating alignment-relevant
    capabilities" is a verb and its object)."""
    return len(sub) == 2 and tags[sub[1]] in NOUN_TAGS and zipf(toks[sub[0]][0].lower()) < GERUND_HEAD_MAX_ZIPF \
        and not (sub[0] > 0 and tags[sub[0] - 1].startswith("RB"))


def _best_suffix(idx: list[int], toks, tags, text: str, passed_over: list[list[int]] | None = None
                 ) -> tuple[list[int], float] | None:
    """The most term-like suffix of a noun phrase: everyday leading adjectives and gerunds are dropped
    unless the whole phrase recurs ("negative reward" four times is a term; "different slices" is not).
    A two-word suffix dropped only because it does not recur in this comment goes to `passed_over`:
    the corpus may show it recurs ("minimum wage" once here, in other comments too)."""
    phrase = [toks[i][0] for i in idx]
    for k in range(len(idx)):
        sub, words = idx[k:], phrase[k:]
        first, first_tag = words[0], tags[sub[0]]
        if len(sub) > 1:
            if first_tag == "VBG" and k == 0 and not (sub[0] > 0 and tags[sub[0] - 1] in DETERMINER_TAGS) \
                    and not _gerund_modifies(sub, toks, tags):
                continue  # "following social norms" is a verb phrase; "the bunching estimator" is not
            # whether the phrase recurs (a scan of the text) is asked at most once, and only where the
            # answer decides: most two-word phrases need neither check below, so no scan
            recurs = None
            if first_tag in ("JJ", "VBN", "VBG", "NNP") and "-" not in first and zipf(first.lower()) >= 4.0 \
                    and not _relational(first.lower(), first_tag):
                recurs = occurs_twice(text, words)
                if not recurs:
                    if passed_over is not None and len(sub) == 2:
                        passed_over.append(sub)
                    continue
            if (len(sub) > 3 or _recurring_tail(phrase[k + 1:], text)) \
                    and not (occurs_twice(text, words) if recurs is None else recurs):
                continue  # prefer the nested phrase that recurs on its own (C-value), and at most 3 words
            score = 0.5 + 0.4 * specificity(words) + 0.05 * min(len(sub), 3)
            if first_tag == "VBG" and k == 0:
                score = min(score, 0.6)  # "the bunching estimator", "the preexisting model": often a plain participle
            return sub, round(min(score, 0.95), 3)
        if len(first) < 2:
            return None  # a lone character ("ツ" of a shrug) is no term
        spec = specificity(words)
        if ACRONYM_RE.match(first) or ("-" in first and spec >= 0.3) or spec >= 0.6 \
                or (spec >= 0.4 and occurs_twice(text, words)):
            return sub, round(0.35 + 0.4 * spec, 3)  # a lone word must be rare in English, or recur here
        if spec >= 0.35 and first_tag in NOUN_TAGS:
            return sub, CORPUS_CHECKED  # or recur across the corpus: the resolver decides
    return None


# adjectives ending like relational ones that grade or count instead ("the usual problem", "several cases")
NOT_RELATIONAL = {"actual", "usual", "total", "final", "normal", "original", "additional", "potential", "special",
                  "several", "typical", "general", "initial", "personal", "basic", "specific", "real", "local",
                  "overall", "physical", "practical", "logical", "critical", "classic", "terrific", "fantastic"}


def _relational(word: str, tag: str) -> bool:
    """An adjective derived from a noun ("technical", "social", "moral", "economic") classifies what it
    modifies: "social problem", "moral concepts" are terms where "strong reason" is not."""
    return tag == "JJ" and len(word) >= 6 and word.endswith(("al", "ic")) and word not in NOT_RELATIONAL


def _recurring_tail(words: list[str], text: str) -> bool:
    """Whether a shorter multi-word ending of the phrase (`words`, its first dropped) occurs at least
    twice in the text."""
    return any(occurs_twice(text, words[k:]) for k in range(len(words) - 1))


def _phrases(c: Comment, toks, tags, chunks: list[list[int]], spans: Taken, vocab: list[Mention]) -> Iterator[Mention]:
    ends = [v.end for v in vocab]
    for idx in chunks:
        passed_over: list[list[int]] = []
        topic = topic_of_talk(idx, toks, tags)
        best = (topic and _best_suffix(topic, toks, tags, c.text, passed_over)) \
            or _best_suffix(idx, toks, tags, c.text, passed_over)
        if passed_over:
            yield from _set_phrase(c, toks, tags, passed_over[-1], spans, vocab, ends)
        if not best:
            continue
        sub, score = best
        s, e = toks[sub[0]][1], toks[sub[-1]][2]
        if spans.covers(s, e):
            continue
        overlapping = overlapping_matches(vocab, ends, s, e)
        if overlapping and (any(v.start < s or v.end > e for v in overlapping)
                            or not _extends_term(c.text, s, e, overlapping, [toks[i][0] for i in sub])):
            continue  # a vocabulary term crosses the phrase's edge, or the phrase adds nothing to it
        surface = c.text[s:e]
        spans.append((s, e))
        if overlapping and not occurs_twice(c.text, [toks[i][0] for i in sub]):
            score = min(score, 0.6)  # a one-off phrase around a known term ranks below the term itself
        yield Mention.found(comment_id=c.id, kind="concept", surface=surface, start=s, end=e, extractor=NAME,
                      score=score, key=concept_key(surface), attrs={"source": "noun phrase"},
                      corpus_checked=score == CORPUS_CHECKED)
        yield from _head_compound(c, toks, tags, sub, score)


def _head_compound(c: Comment, toks, tags, sub: list[int], score: float) -> Iterator[Mention]:
    """The compound of two common nouns that heads a phrase an adjective opens ("the imperial money
    supply", "a chronic trade deficit"): the term the phrase is an instance of, and the node other
    comments that use the term meet (C-value's nested term, Frantzi et al.)."""
    if len(sub) != 3 or tags[sub[0]] != "JJ" or "-" in toks[sub[0]][0] \
            or tags[sub[1]] not in NOUN_TAGS or tags[sub[2]] not in NOUN_TAGS:
        return
    s, e = toks[sub[1]][1], toks[sub[2]][2]
    surface = c.text[s:e]
    yield Mention.found(comment_id=c.id, kind="concept", surface=surface, start=s, end=e, extractor=NAME,
                        score=round(max(score - 0.05, 0.45), 3), key=concept_key(surface),
                        attrs={"source": "head compound"})


SET_PHRASE = "set phrase"
CHECKED_SOURCES = frozenset({SET_PHRASE, PHRASAL_VERB})  # every candidate of these is `corpus_checked`
# the rarer of its words no commoner than Zipf 5.1: "dark matter" (dark 5.0) and "eastern trade" (eastern 4.8)
# are set phrases where two comments use them; "different answer" (answer 5.2) and "good idea" are not
SET_PHRASE_SPECIFICITY = 0.22


def _set_phrase(c: Comment, toks, tags, sub: list[int], spans: Taken, vocab: list[Mention], ends: list[int]
                ) -> Iterator[Mention]:
    """An everyday adjective and a noun used once in this comment ("a moderate minimum wage", "the
    registered reports") are a set phrase where other comments use them too: the corpus decides, as
    C-value over a corpus would (Frantzi et al.), so the comment keeps "minimum wage", not "wage".
    No span is claimed: the noun inside stays a candidate of its own, kept if the phrase is not."""
    words = [toks[i][0] for i in sub]
    s, e = toks[sub[0]][1], toks[sub[-1]][2]
    if tags[sub[-1]] not in NOUN_TAGS or specificity(words) < SET_PHRASE_SPECIFICITY or spans.covers(s, e) \
            or overlapping_matches(vocab, ends, s, e):
        return
    surface = c.text[s:e]
    yield Mention.found(comment_id=c.id, kind="concept", surface=surface, start=s, end=e, extractor=NAME,
                        score=round(min(0.6 + 0.4 * specificity(words), 0.95), 3), key=concept_key(surface),
                        attrs={"source": SET_PHRASE}, corpus_checked=True)


def _extends_term(text: str, s: int, e: int, inside: list[Mention], words: list[str]) -> bool:
    """A phrase around a vocabulary term is a term of its own when its head differs ("reward signal")
    or it recurs or its modifier is specific ("negative reward" x4, "misaligned motivation")."""
    if (s, e) in {(v.start, v.end) for v in inside}:
        return False
    if all(v.end < e for v in inside):
        return True  # the head is not a known term: "reward signal" is a kind of signal
    if any(v.start > s for v in inside if v.end == e) and len(inside) > 1 \
            and not any(text[v.end:v.end + 1] == "-" for v in inside):
        return False  # two known terms side by side ("situationally-aware AI"): both are already found
    # "negative reward" four times is a term of its own; so is a known term narrowed by a rare or a
    # classifying modifier ("successor alignment problem", "technical alignment", "civilized debate")
    first = words[0].lower()
    return occurs_twice(text, words) or (len(words) > 1 and "-" not in first and _is_word(words[0])
                                    and (specificity([first]) >= 0.5 or _relational(first, _word_tag(first, False))))


# (a comma or full stop before the closing mark is American punctuation, not part of the term)
QUOTED_TERM_RE = re.compile(r"[“\"]([a-z][\w’' -]{1,48}?)[,.]?[”\"]")
INNER_PREPOSITIONS = {"of", "from", "for", "to", "in", "on", "with", "as", "across", "between", "over", "under",
                      "without", "against", "into", "per", "via", "vs"}


def _quoted_terms(c: Comment, spans: Taken) -> Iterator[Mention]:
    """A short lower-case phrase in quotation marks, headed by a noun: a term under discussion."""
    stop = stopwords()
    for m in QUOTED_TERM_RE.finditer(c.text):
        words = m.group(1).split()
        if not 1 < len(words) <= 4 or spans.covers(m.start(1), m.end(1)):
            continue
        inner_ok = all(w not in stop or (0 < i < len(words) - 1 and w in INNER_PREPOSITIONS)
                       for i, w in enumerate(words))
        tags = _tag([(w, 0, 0) for w in words])
        # a participle and its phrase is a predicate ('does "valued as bullion" mean'); a gerund names an
        # activity ("learning from scratch")
        predicate = tags[0] in ("VBN", "VBD") and words[1] in INNER_PREPOSITIONS
        if inner_ok and not predicate and tags[-1] in NOUN_TAGS and all(_is_word(w) for w in words):
            spans.append((m.start(1), m.end(1)))
            yield Mention.found(comment_id=c.id, kind="concept", surface=m.group(1), start=m.start(1), end=m.end(1),
                          extractor=NAME, score=0.75, key=concept_key(m.group(1)), attrs={"source": QUOTED_TERM})


# Heads that count or partition what follows "of" ("a lot of people", "the kind of thing", "a piece
# of code"): general English, so "N of N" phrases headed by them are no terms.
PARTITIVE_HEADS = frozenset("""lot lots kind kinds sort sorts type types number numbers amount amounts bunch
couple part parts piece pieces set sets range variety series lack rest half majority minority plenty ton tons
bit bits degree level levels way ways end side sides form forms example examples case cases instance instances
point points fraction share group groups list lists pair handful dozen dozens hundreds thousands millions
result results aspect aspects top bottom front back middle beginning start version versions sense matter
question questions idea ideas use thing things area areas source sources deal couple stack pile""".split())
OF_SPECIFICITY = 0.25  # the rarest word of "theory of mind" (5.0 on the Zipf scale) just passes


def _of_phrases(c: Comment, toks, tags, chunks: list[list[int]], spans: Taken, vocab: list[Mention]
                ) -> Iterator[Mention]:
    """'history of medicine', 'theory of mind', 'economies of scale': a noun, "of" and a short noun
    phrase with no determiner between them name one thing (Justeson and Katz's N-P-N term pattern)."""
    ends = [v.end for v in vocab]
    for a, b in zip(chunks, chunks[1:]):
        head = a[-1]
        if b[0] != head + 2 or toks[head + 1][0] != "of" or len(b) > 2 or tags[head] not in NOUN_TAGS:
            continue
        if len(a) > 1 and tags[a[-2]] in NOUN_TAGS and len(b) == 2:
            continue  # "rotation curves of spiral galaxies": a compound on each side, two terms, not one
        words = [toks[head][0]] + [toks[i][0] for i in b]
        s, e = toks[head][1], toks[b[-1]][2]
        if words[0].lower() in PARTITIVE_HEADS or specificity(words) < OF_SPECIFICITY \
                or overlapping_matches(vocab, ends, s, e) or spans.covers(s, e):
            continue
        spans.append((s, e))
        surface = c.text[s:e]
        yield Mention.found(comment_id=c.id, kind="concept", surface=surface, start=s, end=e, extractor=NAME,
                            score=round(0.45 + 0.4 * specificity(words), 3), key=concept_key(surface),
                            attrs={"source": "noun of noun"})


def find_concepts(c: Comment, ctx: Context) -> Iterator[Mention]:
    words, starts, ends = token_columns(c.text)
    toks = list(zip(words, starts, ends))
    tags, in_chunk = sentence_openers(c.text, starts, *_tag_and_chunk(words), _name_test(ctx))
    spans = Taken(len(c.text))
    yield from _abbreviation_definitions(c, spans)
    vocab = [m for m in _vocab_matches(c, ctx, (words, starts, ends)) if not spans.covers(m.start, m.end)]
    yield from vocab
    yield from _quoted_terms(c, spans)
    yield from find_terms(c, ctx, spans)
    chunks = list(_chunks(toks, tags, in_chunk))
    yield from _of_phrases(c, toks, tags, chunks, spans, vocab)
    yield from _phrases(c, toks, tags, chunks, spans, vocab)
    yield from particle_verb_phrases(c, toks, tags, starts)
    taken = spans.copy()
    for m in vocab:
        taken.append((m.start, m.end))
    yield from _proper_terms(c, ctx, taken)


def _name_test(ctx: Context):
    """Whether a capitalised word is a name the lexicons or the page's full names hold."""
    lex = ctx.lexicons
    return lambda word: word in lex.first_names or word in lex.people or word in lex.organizations \
        or word in ctx.corpus_surnames


register(Extractor(NAME, ("concept",), find_concepts))
