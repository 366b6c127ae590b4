"""Terms the vocabulary lacks, marked as terms by the text itself rather than by a word list.

Each scan serves one class of comment text:
  * a single word in quotation marks, or named as a term: the term “grader”, an “accident” scenario
    (a word under discussion: the noun phrases leave out single everyday words);
  * a capitalised compound mid-sentence that is no person, organization or title: "we think
    Constitutional Classifiers are robust", "Sparse Autoencoders find…" (a named method or product);
  * a coined word ending in -ing that English barely knows: "safetywashing", "sandbagging" (tagged
    as a verb by suffix, so the noun phrases never keep it alone);
  * a phrase the comment defines or names as a term: "by value drift I mean…", "the concept of
    moral patienthood", "so-called grokking", "Reward hacking is when…" (whatever its words' frequency);
  * an action named by a phrasal verb and its object, "turning off commenting" here and "turn off
    commenting" there: kept only where two comments of the corpus name it (`particle_verb_phrases`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from ..lexicon import zipf
from ..models import Comment, Mention
from ..text import concept_key, not_after, stopwords
from .context import Context
from .names import Taken, sentence_initial
from .proper_terms import kind_noun_end
from .tagging import pos_lexicon

NAME = "concepts"
PHRASAL_VERB = "phrasal verb"  # sources (`attrs["source"]`) that resolution reads
QUOTED_TERM = "quoted term"
QUOTED_WORD_RE = re.compile(r"[“\"‘]([a-z][a-z-]{2,30})[”\"’](?![a-z])")
CAP_WORD = r"[A-Z][a-z]+(?:-[A-Za-z]+)?"
# (the opening capital written with not_after rather than after a look-behind: scanned in C)
CAP_COMPOUND_RE = re.compile("(" + not_after(r"[\w’'@#-]", "[A-Z]") + rf"{CAP_WORD[5:]}(?:\s{CAP_WORD}){{1,2}})(?![\w’'-])")
CAP_COMPOUND_BREAKS = {"The", "A", "An", "And", "Or", "But", "I", "In", "On", "Of", "For", "To", "If", "So", "As",
                       "My", "We", "It", "This", "That", "Mr", "Ms", "Dr", "Prof"}
TERM_WORDS = r"[A-Za-z][\w-]*(?:\s[a-z][\w-]*){0,3}"
# each definition pattern with the strings one of which every match holds: a text lacking them is not scanned
DEFINED_RES = (
    (re.compile(rf"\b(?:the\s+(?:term|phrase|concept|notion)(?:\s+of)?|so-called|what\s+(?:I|we|people|they)\s+"
                rf"(?:call|mean\s+by))\s+[“\"‘]?({TERM_WORDS})"), ("the term", "the phrase", "the concept", "the notion",
                                                            "so-called", " call ", "mean by")),
    (re.compile(rf"\b[Bb]y\s+[“\"‘]?({TERM_WORDS})[”\"’]?,?\s+(?:I|we)\s+mean\b"), (" mean",)),
    (re.compile(rf"(?:^|(?<=[.!?:\n]\s)|(?<=\n))[“\"‘]?({TERM_WORDS})[”\"’]?\s+(?:is|means)\s+(?:when|where)\b"),
     (" is when", " is where", " means when", " means where")),
)
CODE_ING_RE = re.compile(r"\b([a-z]{5,}ing)\b")  # the neighbours (hyphen, apostrophe) checked after a match
ING_END_RE = re.compile(r"ing\b")  # where every match of CODE_ING_RE ends: a search the engine skips in C


def _code_ing_matches(text: str) -> Iterator[re.Match]:
    """The matches of CODE_ING_RE.finditer(text), in order. A match is a whole run of a-z letters
    (it opens after \b and, being all letters, ends at \b only where the run ends) ending in "ing":
    so each "ing" at a word's end is walked back to the start of its run of a-z letters, the only
    place a match ending there can start, and CODE_ING_RE is tried there alone, not at every
    position of the text. The runs are disjoint and come in order, as finditer's matches do."""
    for end in ING_END_RE.finditer(text):
        start = end.start()
        while start and "a" <= text[start - 1] <= "z":
            start -= 1
        m = CODE_ING_RE.match(text, start)
        if m is not None:
            yield m


def _concept(c: Comment, s: int, e: int, score: float, source: str) -> Mention:
    surface = c.text[s:e]
    return Mention.found(comment_id=c.id, kind="concept", surface=surface, start=s, end=e, extractor=NAME,
                         score=score, key=concept_key(surface), attrs={"source": source})


def _quoted_words(c: Comment, spans: Taken) -> Iterator[Mention]:
    """A lone word in quotation marks, a noun English uses less than everyday words: a term in use."""
    if "“" not in c.text and '"' not in c.text and "‘" not in c.text:
        return
    tags = pos_lexicon()
    for m in QUOTED_WORD_RE.finditer(c.text):
        word, (s, e) = m.group(1), m.span(1)
        if spans.covers(s, e) or word in stopwords() or tags.get(word, "NN") not in ("NN", "NNS"):
            continue
        if "-" not in word and zipf(word) >= 5.0:
            continue  # “time”, “thing”: too common to be a term however it is quoted
        spans.append((s, e))
        yield _concept(c, s, e, 0.7, QUOTED_TERM)


def _capitalised_compounds(c: Comment, ctx: Context, spans: Taken) -> Iterator[Mention]:
    """Two or three capitalised words mid-sentence naming a thing: no first name leads them, no
    name list knows them, and their last word is an English noun ("Classifiers", "Autoencoders")."""
    lex = ctx.lexicons
    for m in CAP_COMPOUND_RE.finditer(c.text):
        words, (s, e) = m.group(1).split(), m.span(1)
        if spans.covers(s, e) or sentence_initial(c.text, s) or words[0] in lex.first_names:
            continue
        if any(w in CAP_COMPOUND_BREAKS for w in words) or m.group(1) in lex.organizations \
                or m.group(1) in lex.people or any(w in lex.people or w in lex.organizations for w in words):
            continue
        last, lexicon = words[-1].lower(), pos_lexicon()
        # (the lexicon holds some British spellings capitalised only: "Defence")
        if (lexicon.get(last) or lexicon.get(words[-1]) or lexicon.get(last.rstrip("s"))) not in ("NN", "NNS"):
            continue  # "Lost Harbour", "Kind Regards": a place, a name, a phrase
        e = kind_noun_end(c.text, e) or e  # "the Blue Shift hypothesis": the kind is part of the name
        spans.append((s, e))
        yield _concept(c, s, e, 0.7, "capitalised compound")


def _coined_gerunds(c: Comment, spans: Taken) -> Iterator[Mention]:
    """'safetywashing', 'sandbagging': an -ing word English barely uses is a coined noun of the field."""
    for m in _code_ing_matches(c.text) if "ing" in c.text else ():
        word, (s, e) = m.group(1), m.span(1)
        if c.text[s - 1:s] in ("-", "’", "'", "_") or c.text[e:e + 1] in ("-", "’", "'", "_"):
            continue  # a part of a compound or a contraction
        if not spans.covers(s, e) and word not in pos_lexicon() and zipf(word) < 2.0:
            spans.append((s, e))
            yield _concept(c, s, e, 0.85, "coined word")  # as specific as words get: no English use


def _defined_terms(c: Comment, spans: Taken) -> Iterator[Mention]:
    """The phrase a definition marks, cut at its first function word and ending in a noun or gerund."""
    stop, tags = stopwords(), pos_lexicon()
    for pattern, cues in DEFINED_RES:
        if not any(cue in c.text for cue in cues):
            continue  # most comments define nothing: skip the scan
        for m in pattern.finditer(c.text):
            words = m.group(1).split()
            cut = next((i for i, w in enumerate(words) if w.lower() in stop), len(words))
            words = words[:cut]
            if not words or tags.get(words[-1].lower(), "NN") not in ("NN", "NNS", "VBG"):
                continue
            s = m.start(1)
            e = s + len(" ".join(words))
            if c.text[s:e] != " ".join(words) or spans.covers(s, e):
                continue  # the words were not single-spaced: leave them to the noun phrases
            spans.append((s, e))
            yield _concept(c, s, e, 0.85, "defined term")


def find_terms(c: Comment, ctx: Context, spans: Taken) -> Iterator[Mention]:
    """The terms the scans above find, claiming their spans in `spans` (shared with concepts.py)."""
    yield from _defined_terms(c, spans)
    yield from _quoted_words(c, spans)
    yield from _capitalised_compounds(c, ctx, spans)
    yield from _coined_gerunds(c, spans)


# after a space ("in", "on" mostly open a prepositional phrase: "keep in mind"); the space is matched,
# not looked behind for, so that the engine skips to spaces in C instead of trying every position
PARTICLE_RE = re.compile(r" (?:off|out|up|down|away|back)\b")
VERB_TAGS = {"VB", "VBP", "VBG"}
OBJECT_TAGS = {"NN", "NNS", "VBG"}


def particle_verb_phrases(c: Comment, toks, tags, starts: list[int]) -> Iterator[Mention]:
    """An action a discussion is about, named by a phrasal verb and the noun it acts on: "turning
    off commenting", "turn off commenting", "scaling up pretraining". Verb forms share one key (the
    verb's base form), and the mention is corpus-checked: an action named in one comment only is a
    passing clause, one that comments come back to is a topic."""
    stop = stopwords()
    for m in PARTICLE_RE.finditer(c.text):  # the few particles found in C; their tokens looked up after
        at = m.start() + 1  # the particle, after its space
        i = bisect_left(starts, at) - 1
        if i < 0 or i + 3 > len(toks) or starts[i + 1] != at or not _verb_here(tags, i):
            continue
        verb = _base_verb(toks[i][0]) if tags[i] == "VBG" else toks[i][0].lower()
        obj = []
        for word, _, _ in toks[i + 2:i + 4]:
            if not word.islower() or word in stop or not word.isalpha():
                break
            obj.append(word)
        while obj and tags[i + 1 + len(obj)] not in OBJECT_TAGS:
            obj.pop()
        if verb is None or not obj or verb in stop:
            continue
        s, e = toks[i][1], toks[i + 1 + len(obj)][2]
        # no span is claimed: the object stays a noun phrase of its own, kept where the action is not
        yield Mention.found(comment_id=c.id, kind="concept", surface=c.text[s:e], start=s, end=e, extractor=NAME,
                            score=0.6, key=f"{verb} {toks[i + 1][0]} {concept_key(' '.join(obj))}",
                            attrs={"source": PHRASAL_VERB}, corpus_checked=True)


def _verb_here(tags, i: int) -> bool:
    """A verb by the lexicon, or a word it reads as a noun where only a verb stands: after a
    pronoun, "to" or a modal ("you switch off", "to hand out", "could hand back")."""
    return tags[i] in VERB_TAGS or (tags[i] == "NN" and i > 0 and tags[i - 1] in ("PRP", "TO", "MD"))


def _base_verb(gerund: str) -> str | None:
    """'turning' -> 'turn', 'making' -> 'make', 'stopping' -> 'stop': the first form the lexicon
    knows (under any tag: it gives one per word, "switch" a noun's)."""
    stem = gerund.lower()[:-3]
    lexicon = pos_lexicon()
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None):
        if cand and cand in lexicon:
            return cand
    return None
