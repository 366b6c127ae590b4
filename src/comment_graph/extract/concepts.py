"""Concepts: the terms a comment is about.

Candidates come from three places, none of which needs a downloaded model:
  * the SKOS vocabularies (longest match, acronyms case-sensitively);
  * abbreviations the text defines, "reward prediction error (RPE)" (Schwartz–Hearst);
  * noun phrases found with the part-of-speech lexicon bundled in TextBlob, cut
    at stop words and verbs, from which the most term-like suffix is kept.
Each candidate gets a termhood score; the resolver ranks them per comment with
corpus statistics and keeps the best.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..models import Comment, Mention
from ..text import concept_key, fold, stopwords, tokens
from . import Extractor, register
from .context import Context
from .names import covered

NAME = "concepts"
NOUN_TAGS = {"NN", "NNS"}
MODIFIER_TAGS = {"NN", "NNS", "JJ", "VBN", "VBG", "NNP"}
ABBR_DEF_RE = re.compile(r"\(([A-Z][A-Za-z0-9-]{1,9}s?)\)")
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$")
WORD_RE = re.compile(r"^[^\W\d_][\w’'-]*$")
MAX_WORDS = 4


@lru_cache(maxsize=1)
def _parser():
    from textblob.en import parser  # bundled lexicon + rules; no download

    return parser


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _tag(toks: list[tuple[str, int, int]]) -> list[str]:
    words = [t.replace("’", "'") for t, _, _ in toks]
    return [tag for _, tag in _parser().find_tags(words)] if words else []


def _is_word(tok: str) -> bool:
    return bool(WORD_RE.match(tok)) and not (tok.lower().endswith("ly") and len(tok) > 4)


def specificity(words: list[str]) -> float:
    """0..1: how far the words are from everyday English (rarer words score higher)."""
    parts = [p for w in words for p in re.split(r"[-’']", w.lower()) if p]
    if not parts:
        return 0.0
    return min(1.0, max(0.0, (6.0 - min(zipf(p) for p in parts)) / 4.0))


def _vocab_matches(c: Comment, toks, ctx: Context, spans: list) -> Iterator[Mention]:
    vocab, acr = ctx.lexicons.concepts, ctx.lexicons.acronyms
    i = 0
    while i < len(toks):
        hit = None
        for n in range(min(6, len(toks) - i), 0, -1):
            window = toks[i:i + n]
            if not all(_is_word(t) or t in "-/" for t, _, _ in window):
                continue
            s, e = window[0][1], window[-1][2]
            surface = re.sub(r"[’']s$", "", c.text[s:e])
            e = s + len(surface)
            if n == 1 and (surface in acr or surface.rstrip("s") in acr):
                hit = (s, e, (acr.get(surface) or acr[surface.rstrip("s")]).pref, n)
                break
            vc = vocab.get(concept_key(surface))
            if vc and not (n == 1 and surface[:1].isupper() and surface.upper() != surface and s > 0):
                hit = (s, e, vc.pref, n)
                break
        if hit:
            s, e, pref, n = hit
            spans.append((s, e))
            yield Mention(comment_id=c.id, kind="concept", surface=c.text[s:e], start=s, end=e,
                          extractor=NAME, score=1.0, key=concept_key(pref), attrs={"source": "vocabulary"})
            i += n
        else:
            i += 1


def _abbreviation_definitions(c: Comment, spans: list) -> Iterator[Mention]:
    """'long form (ABBR)': the long form's initials spell the abbreviation (Schwartz–Hearst)."""
    for m in ABBR_DEF_RE.finditer(c.text):
        abbr = m.group(1).rstrip("s") if m.group(1).endswith("s") and m.group(1)[:-1].isupper() else m.group(1)
        if not any(ch.isupper() for ch in abbr[1:] + abbr[0]) or len(abbr) < 2:
            continue
        before = c.text[max(0, m.start() - 120):m.start()].rstrip()
        words = list(re.finditer(r"[\w-]+", before))[-min(len(abbr) + 5, 2 * len(abbr)):]
        for k in range(len(words)):
            cand = words[k:]
            initials = "".join(w.group()[0] for w in cand).lower()
            if initials == abbr.lower() or (cand[0].group()[0].lower() == abbr[0].lower()
                                            and _letters_in_order(abbr.lower(), " ".join(w.group() for w in cand).lower())
                                            and len(cand) <= len(abbr)):
                off = m.start() - len(before)
                s, e = off + cand[0].start(), off + cand[-1].end()
                spans.append((s, e))
                yield Mention(comment_id=c.id, kind="concept", surface=c.text[s:e], start=s, end=e,
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


def _chunks(toks, tags) -> Iterator[list[int]]:
    """Maximal runs of modifier/noun tokens that end in a noun, cut at stop words."""
    stop = stopwords()
    run: list[int] = []
    for i, ((tok, _, _), tag) in enumerate(zip(toks, tags)):
        if _is_word(tok) and tag in MODIFIER_TAGS and fold(tok) not in stop and not tok[:1].isupper() \
                or (ACRONYM_RE.match(tok) and tag.startswith("NN")):
            run.append(i)
            continue
        yield from _trim(run, toks, tags)
        run = []
    yield from _trim(run, toks, tags)


def _trim(run: list[int], toks, tags) -> Iterator[list[int]]:
    while run and tags[run[-1]] not in NOUN_TAGS | {"NNP"}:
        run = run[:-1]
    if run:
        yield run[-MAX_WORDS:]


def _best_suffix(idx: list[int], toks, ctx: Context) -> tuple[list[int], float] | None:
    """The most term-like suffix of a noun phrase ("government money market funds" -> "money market funds")."""
    best = None
    for k in range(len(idx)):
        sub = idx[k:]
        words = [toks[i][0] for i in sub]
        spec = specificity(words)
        if len(sub) == 1:
            if not ACRONYM_RE.match(words[0]) and spec < 0.55:
                continue
            score = 0.35 + 0.4 * spec
        else:
            if specificity(words[:1]) < 0.05 and k + 1 < len(idx):
                continue  # an everyday leading modifier ("good", "whole"): try the shorter phrase
            score = 0.5 + 0.4 * spec + 0.05 * min(len(sub), 3)
        if best is None or score > best[1] + 0.02:
            best = (sub, round(min(score, 0.95), 3))
    return best


def _phrases(c: Comment, toks, ctx: Context, spans: list) -> Iterator[Mention]:
    tags = _tag(toks)
    for idx in _chunks(toks, tags):
        best = _best_suffix(idx, toks, ctx)
        if not best:
            continue
        sub, score = best
        s, e = toks[sub[0]][1], toks[sub[-1]][2]
        if covered(spans, s, e):
            continue
        surface = c.text[s:e]
        spans.append((s, e))
        yield Mention(comment_id=c.id, kind="concept", surface=surface, start=s, end=e, extractor=NAME,
                      score=score, key=concept_key(surface), attrs={"source": "noun phrase"})


def find_concepts(c: Comment, ctx: Context) -> Iterator[Mention]:
    toks = tokens(c.text)
    spans: list[tuple[int, int]] = []
    yield from _abbreviation_definitions(c, spans)
    for m in _vocab_matches(c, toks, ctx, []):
        if not covered(spans, m.start, m.end):
            spans.append((m.start, m.end))
            yield m
    yield from _phrases(c, toks, ctx, spans)


register(Extractor(NAME, ("concept",), find_concepts))
