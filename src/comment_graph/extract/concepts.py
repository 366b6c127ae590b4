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

import importlib.util
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import compress, count
from operator import itemgetter
from pathlib import Path

from ..errors import ConfigError
from ..models import Comment, Mention
from ..text import concept_key, fold, not_after, singular, stopwords, token_columns
from . import Extractor, register
from .context import Context
from .names import Taken, sentence_initial

NAME = "concepts"
NOUN_TAGS = {"NN", "NNS"}
MODIFIER_TAGS = {"NN", "NNS", "JJ", "VBN", "VBG", "NNP"}
ABBR_DEF_RE = re.compile(r"\(([A-Z][A-Za-z0-9-]{1,9}s?)\)")
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$")
WORD_RE = re.compile(r"^[^\W\d_][\w’'-]*$")
MAX_WORDS = 4
CORPUS_CHECKED = 0.4  # the score of a lone everyday-ish noun, flagged `corpus_checked`: kept only if other comments use it too


@lru_cache(maxsize=1)
def pos_lexicon() -> dict[str, str]:
    """Word -> part-of-speech tag: the English lexicon TextBlob ships (Brill's, from the Brown
    corpus and the Penn Treebank), read from its data file as TextBlob reads it. Importing
    textblob itself would pull in nltk and scipy: 1.3 s in every process that tags."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("the textblob package (its English lexicon) is missing; reinstall comment-graph")
    path = Path(spec.submodule_search_locations[0]) / "en" / "en-lexicon.txt"
    try:
        with open(path, encoding="utf-8") as f:
            lines = (line.strip() for line in f)
            return dict(line.split(" ")[:2] for line in lines if line and not line.startswith(";;;"))
    except OSError as e:
        raise ConfigError(f"cannot read TextBlob's English lexicon ({path}): {e.strerror or e}; "
                          "reinstall comment-graph") from None


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def _tag(toks: list[tuple[str, int, int]]) -> list[str]:
    """Part-of-speech tags as TextBlob's English parser gives them, one cached lookup per word."""
    return [_word_tag(t.replace("’", "'"), i == 0) for i, (t, _, _) in enumerate(toks)]


def _tag_and_chunk(words: list[str]) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """Each token's tag, and whether it may stand in a noun phrase: one cached lookup per token."""
    if not words:
        return (), ()
    info = list(map(_inner_token_info, words))  # the cached lookups called from C, not from a loop here
    info[0] = _token_info(words[0], True)
    tags, in_chunk = zip(*info)
    return tags, in_chunk


@lru_cache(maxsize=1 << 17)
def _token_info(token: str, first: bool) -> tuple[str, bool]:
    tag = _word_tag(token.replace("’", "'"), first)
    return tag, _in_chunk(token, tag)


@lru_cache(maxsize=1 << 17)
def _inner_token_info(token: str) -> tuple[str, bool]:
    """`_token_info` of a token that does not open the text."""
    return _token_info(token, False)


NUMBER_RE = re.compile(r"^[0-9\-\,\.\:\/\%\$]+$")  # TextBlob's CD


@lru_cache(maxsize=1 << 17)
def _word_tag(word: str, first: bool) -> str:
    # TextBlob's parser tags without context rules: the lexicon (lower-cased only for the first
    # word), then capitalisation, digits and suffix rules. The same steps, on one word, are cacheable.
    lexicon = pos_lexicon()
    tag = lexicon.get(word, first and lexicon.get(word.lower()) or None)
    if tag is not None:
        return tag
    if word.istitle():
        return "NNP"
    if NUMBER_RE.match(word) is not None:
        return "CD"
    return _suffix_tag(word)



def _suffix_tag(word: str) -> str:
    """TextBlob's tag for a word its lexicon lacks, from the suffix (`_suffix_rules`): later rules win."""
    tag = "NN"
    if word.endswith("ing"):
        tag = "VBG"
    if word.endswith("ly"):
        tag = "RB"
    if word.endswith("s") and not word.endswith(("is", "ous", "ss")):
        tag = "NNS"
    if word.endswith(("able", "al", "ful", "ible", "ient", "ish", "ive", "less", "tic", "ous")) or "-" in word:
        tag = "JJ"
    if word.endswith("ed"):
        tag = "VBN"
    if word.endswith(("ate", "ify", "ise", "ize")):
        tag = "VBP"
    return tag


def _is_word(tok: str) -> bool:
    return bool(WORD_RE.match(tok)) and not (tok.lower().endswith("ly") and len(tok) > 4)


def specificity(words: list[str]) -> float:
    """0..1: how far the words are from everyday English (rarer words score higher)."""
    return _specificity(tuple(words))


@lru_cache(maxsize=1 << 16)
def _specificity(words: tuple[str, ...]) -> float:
    parts = [p for w in words for p in re.split(r"[-’']", w.lower()) if p]
    if not parts:
        return 0.0
    return min(1.0, max(0.0, (6.0 - min(zipf(p) for p in parts)) / 4.0))


FINE_TOKEN_RE = re.compile(r"[^\W_]\w*(?:['’.&+](?=[^\W_])\w*)*")  # runs of \w at once, as TOKEN_RE
# What may follow a term inside a hyphen compound: "wireheading-adjacent", "CoinRun-style".
RELATIONAL_SUFFIXES = {"adjacent", "like", "style", "based", "related", "type", "ish", "esque", "specific",
                       "free", "level", "oriented", "driven", "aware", "relevant", "shaped", "inspired", "scale",
                       "sized", "proof", "centric", "focused", "heavy", "laden", "agnostic", "friendly"}


ALL_BUT_LAST = itemgetter(slice(None, -1))
WORD_HYPHEN_BEFORE_RE = re.compile(r"([^\W_]+)-$")
HYPHEN_WORD_AFTER_RE = re.compile(r"-([^\W_]+)")
POSSESSIVE_END_RE = re.compile(r"[’']s$")


@lru_cache(maxsize=1 << 17)
def _vocab_word(token: str) -> str:
    """A token as vocabulary keys spell it: folded, possessive dropped, singular."""
    return singular(re.sub(r"'s$", "", fold(token)))


def _compound_ok(text: str, s: int, e: int) -> bool:
    """A match inside a hyphen compound must start at its start or after a function word,
    and end at its end or before a relational suffix ("-adjacent", "-style")."""
    if s > 0 and text[s - 1] == "-":
        before = WORD_HYPHEN_BEFORE_RE.search(text, max(0, s - 80), s)
        if not before or fold(before.group(1)) not in stopwords():
            return False
    if e < len(text) and text[e] == "-":
        after = HYPHEN_WORD_AFTER_RE.match(text, e)
        if not after or after.group(1).lower() not in RELATIONAL_SUFFIXES and fold(after.group(1)) not in stopwords():
            return False
    return True


def _vocab_hit(c: Comment, window, ctx: Context):
    s, e = window[0][1], window[-1][2]
    gaps = [c.text[a[2]:b[1]] for a, b in zip(window, window[1:])]
    if any(g not in (" ", "-", " ") for g in gaps) or not _compound_ok(c.text, s, e):
        return None
    surface = POSSESSIVE_END_RE.sub("", c.text[s:e])
    e = s + len(surface)
    acr = ctx.lexicons.acronyms
    if len(window) == 1 and (surface in acr or (surface.endswith("s") and surface[:-1] in acr)):
        return s, e, (acr.get(surface) or acr[surface[:-1]]).pref
    vc = ctx.lexicons.concepts.get(concept_key(surface))
    if vc is None:
        return None
    if len(window) == 1 and surface[:1].isupper() and not surface.isupper() and not sentence_initial(c.text, s):
        return None  # a capitalised word mid-sentence is a name, not the common noun
    return s, e, vc.pref


def _acronym_form(token: str, acronyms) -> bool:
    """Whether a token is an acronym as `_vocab_hit` reads it: possessive dropped, maybe plural."""
    surface = POSSESSIVE_END_RE.sub("", token)
    return surface in acronyms or (surface.endswith("s") and surface[:-1] in acronyms)


def _vocab_matches(c: Comment, ctx: Context) -> Iterator[Mention]:
    """Longest vocabulary match at each position, over words and the parts of hyphen compounds."""
    strings, token_starts, token_ends = token_columns(c.text, FINE_TOKEN_RE)  # hyphen compounds in parts
    toks = list(zip(strings, token_starts, token_ends))
    lex = ctx.lexicons
    words = list(map(_vocab_word, strings))
    trie, first_words, acronyms = lex.key_trie(), lex.key_first_words(), lex.acronyms
    # most words start no key and are no acronym: set lookups, looped in C, settle them before the loop below
    opens_key = map(first_words.__contains__, words)
    acronym = map(acronyms.__contains__, strings)
    acronym_and_one = map(acronyms.__contains__, map(ALL_BUT_LAST, strings))  # "LLMs", "RL’"
    starts = list(compress(count(), map(any, zip(opens_key, acronym, acronym_and_one))))
    free = 0  # the first token not inside an earlier match
    for i in starts:
        if i < free:
            continue
        # the full check (gaps, compounds, the key of the exact surface) only where the words spell a
        # key, longest first, then for one word where it may be an acronym ("RL's", "LLMs")
        tries = _key_lengths(trie, words, i)
        token = toks[i][0]
        if (words[i] in first_words and _acronym_form(token, acronyms)) or token in acronyms \
                or token[:-1] in acronyms:
            tries.append(1)
        hit = None
        for n in tries:
            hit = _vocab_hit(c, toks[i:i + n], ctx)
            if hit:
                break
        if hit:
            s, e, pref = hit
            yield Mention.found(comment_id=c.id, kind="concept", surface=c.text[s:e], start=s, end=e,
                                extractor=NAME, score=1.0, key=concept_key(pref), attrs={"source": "vocabulary"})
            free = i + n


def _key_lengths(trie: dict[str, list], words: list[str], i: int) -> list[int]:
    """How many words from `i` on spell a vocabulary key (at most six), longest first."""
    ends = []
    entry, n = trie.get(words[i]), 1
    while entry is not None:
        if entry[0]:
            ends.append(n)
        if n == 6 or i + n >= len(words):
            break
        entry, n = entry[1].get(words[i + n]), n + 1
    return ends[::-1]


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
        if ok:
            run.append(i)
        elif run:  # a possessive ends one noun phrase and starts the next, as does any other word
            yield from _trim(run, toks, tags)
            run = []
    if run:
        yield from _trim(run, toks, tags)


@lru_cache(maxsize=1 << 17)
def _in_chunk(tok: str, tag: str) -> bool:
    """Whether a tagged token may stand in a noun phrase (cached: words and their tags repeat)."""
    return (tag in MODIFIER_TAGS and not tok[:1].isupper() and _is_word(tok) and fold(tok) not in stopwords()
            and not tok.endswith(("'", "’", "'s", "’s"))) or (tag.startswith("NN") and ACRONYM_RE.match(tok) is not None)


VERB_CONTEXT_TAGS = {"DT", "PRP", "PRP$", "IN", "RB", "TO", "RP", "JJ"}


def _trim(run: list[int], toks, tags) -> Iterator[list[int]]:
    # "the article undersells the", "post links the": a plural-looking last word before a determiner,
    # pronoun or preposition is a verb in the present tense, not part of the noun phrase
    if len(run) > 1 and tags[run[-1]] == "NNS" and run[-1] + 1 < len(tags) and tags[run[-1] + 1] in VERB_CONTEXT_TAGS:
        run = run[:-1]
    while run and tags[run[-1]] not in NOUN_TAGS | {"NNP"}:
        run = run[:-1]
    if run:
        yield run[-MAX_WORDS:]


def _recurs(text: str, words: list[str]) -> bool:
    """Whether a phrase occurs at least twice in a text, ignoring case, hyphens and a final plural."""
    low = _lower(text)
    lowered = [w.lower() for w in words]
    # most phrases occur once: a word that is not even twice a substring settles it without a scan
    if any(low.count(w) < 2 for w in lowered[:-1]) or low.count(singular(lowered[-1])) < 2:
        return False
    return _count(text, tuple(lowered)) >= 2


@lru_cache(maxsize=1024)  # keyed by the comment's text: it only ever hits within one comment
def _count(text: str, words: tuple[str, ...]) -> int:
    if any(not PLAIN_WORD_RE.fullmatch(w) for w in words):
        return len(_phrase_re(words).findall(_lower(text)))  # a word with other punctuation: the slow way
    return _word_runs(text).count(words)


PLAIN_WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
RUN_RE = re.compile(r"([^\W_]+)")
SEPARATOR_RE = re.compile(r"[\s-]+")


class _WordRuns:
    """A text's runs of letters and digits, indexed so that a phrase is counted without a regex scan.

    Counts what `_phrase_re` finds: the words in order, separated by spaces or hyphens only, the
    first not preceded by a hyphen or underscore, the last allowed a plural "s"/"es"."""

    def __init__(self, text: str):
        pieces = RUN_RE.split(_lower(text))  # gap, word, gap, word, ..., gap
        self.words = pieces[1::2]
        self.gaps = pieces[0::2]  # gaps[i] precedes words[i]; gaps[i + 1] follows it

    def _positions(self, word: str) -> Iterator[int]:
        i = -1
        try:
            while True:
                i = self.words.index(word, i + 1)  # a scan in C, not a loop here
                yield i
        except ValueError:
            return

    def count(self, words: tuple[str, ...]) -> int:
        tail = singular(words[-1]).split("-")
        parts = [p for w in words[:-1] for p in w.split("-")] + tail[:-1]
        endings = (tail[-1], tail[-1] + "s", tail[-1] + "es")
        if parts:
            starts: Iterable[int] = self._positions(parts[0])
        else:
            starts = sorted(i for e in endings for i in self._positions(e))
        n, found, free_from = len(parts), 0, 0
        words_, gaps = self.words, self.gaps
        for i in starts:
            j = i + n
            if i < free_from or j >= len(words_) or gaps[i][-1:] in ("_", "-") or gaps[j + 1][:1] == "_":
                continue
            if words_[i:j] == parts and words_[j] in endings \
                    and all(g == " " or SEPARATOR_RE.fullmatch(g) for g in gaps[i + 1:j + 1]):
                found += 1
                free_from = j + 1  # matches do not overlap, as with findall
        return found


@lru_cache(maxsize=16)
def _word_runs(text: str) -> _WordRuns:
    return _WordRuns(text)


@lru_cache(maxsize=4096)
def _phrase_re(words: tuple[str, ...]) -> re.Pattern:
    pattern = r"[\s-]+".join(re.escape(w) for w in words[:-1])
    last = re.escape(singular(words[-1]))
    pattern = (pattern + r"[\s-]+" if pattern else "") + last + r"(?:s|es)?\b"
    return re.compile(r"(?<![\w-])" + pattern)


@lru_cache(maxsize=64)
def _lower(text: str) -> str:
    return text.lower().replace("’", "'")


def _best_suffix(idx: list[int], toks, tags, text: str) -> tuple[list[int], float] | None:
    """The most term-like suffix of a noun phrase: everyday leading adjectives and gerunds are dropped
    unless the whole phrase recurs ("negative reward" four times is a term; "different slices" is not)."""
    for k in range(len(idx)):
        sub = idx[k:]
        words = [toks[i][0] for i in sub]
        first, first_tag = words[0], tags[sub[0]]
        if len(sub) > 1:
            if first_tag == "VBG" and k == 0:
                continue  # "following social norms" is a verb phrase
            recurs = _recurs(text, words)  # (a scan of the text: asked once, and only where it counts)
            if first_tag in ("JJ", "VBN", "VBG", "NNP") and "-" not in first and zipf(first.lower()) >= 4.0 \
                    and not recurs:
                continue
            if not recurs and (len(sub) > 3 or _recurring_tail(idx[k + 1:], toks, text)):
                continue  # prefer the nested phrase that recurs on its own (C-value), and at most 3 words
            score = 0.5 + 0.4 * specificity(words) + 0.05 * min(len(sub), 3)
            return sub, round(min(score, 0.95), 3)
        if len(first) < 2:
            return None  # a lone character ("ツ" of a shrug) is no term
        spec = specificity(words)
        if ACRONYM_RE.match(first) or ("-" in first and spec >= 0.3) or spec >= 0.6 \
                or (spec >= 0.4 and _recurs(text, words)):
            return sub, round(0.35 + 0.4 * spec, 3)  # a lone word must be rare in English, or recur here
        if spec >= 0.35 and first_tag in NOUN_TAGS:
            return sub, CORPUS_CHECKED  # or recur across the corpus: the resolver decides
    return None


def _recurring_tail(idx: list[int], toks, text: str) -> bool:
    """Whether a shorter multi-word ending of the phrase occurs at least twice in the text."""
    return any(_recurs(text, [toks[i][0] for i in idx[k:]]) for k in range(len(idx) - 1))


def _phrases(c: Comment, toks, tags, in_chunk, spans: Taken, vocab: list[Mention]) -> Iterator[Mention]:
    for idx in _chunks(toks, tags, in_chunk):
        best = _best_suffix(idx, toks, tags, c.text)
        if not best:
            continue
        sub, score = best
        s, e = toks[sub[0]][1], toks[sub[-1]][2]
        if spans.covers(s, e):
            continue
        overlapping = [v for v in vocab if v.start < e and s < v.end]
        if overlapping and (any(v.start < s or v.end > e for v in overlapping)
                            or not _extends_term(c.text, s, e, overlapping, [toks[i][0] for i in sub])):
            continue  # a vocabulary term crosses the phrase's edge, or the phrase adds nothing to it
        surface = c.text[s:e]
        spans.append((s, e))
        if overlapping and not _recurs(c.text, [toks[i][0] for i in sub]):
            score = min(score, 0.6)  # a one-off phrase around a known term ranks below the term itself
        yield Mention.found(comment_id=c.id, kind="concept", surface=surface, start=s, end=e, extractor=NAME,
                      score=score, key=concept_key(surface), attrs={"source": "noun phrase"},
                      corpus_checked=score == CORPUS_CHECKED)


def _extends_term(text: str, s: int, e: int, inside: list[Mention], words: list[str]) -> bool:
    """A phrase around a vocabulary term is a term of its own when its head differs ("reward signal")
    or it recurs or its modifier is specific ("negative reward" x4, "misaligned motivation")."""
    if (s, e) in {(v.start, v.end) for v in inside}:
        return False
    if all(v.end < e for v in inside):
        return True  # the head is not a known term: "reward signal" is a kind of signal
    if any(v.start > s for v in inside if v.end == e) and len(inside) > 1:
        return False  # two known terms side by side ("situationally-aware AI"): both are already found
    return _recurs(text, words)  # "negative reward" four times is a term of its own


QUOTED_TERM_RE = re.compile(r"[“\"]([a-z][\w’' -]{1,48}?)[”\"]")
INNER_PREPOSITIONS = {"of", "from", "for", "to", "in", "on", "with", "as"}


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
        if inner_ok and tags[-1] in NOUN_TAGS and all(_is_word(w) for w in words):
            spans.append((m.start(1), m.end(1)))
            yield Mention.found(comment_id=c.id, kind="concept", surface=m.group(1), start=m.start(1), end=m.end(1),
                          extractor=NAME, score=0.75, key=concept_key(m.group(1)), attrs={"source": "quoted term"})


# "(?<![\w@#’'-])([A-Z][a-z]+(?:[A-Z][a-z0-9]+)*|[A-Z][a-z]*[A-Z][A-Za-z0-9]*)(?![\w’'-])", with the capital
# both branches open with taken out and written with not_after: the engine scans it fastest.
PROPER_RE = re.compile("(" + not_after(r"[\w@#’'-]", "[A-Z]") + r"(?:[a-z]+(?:[A-Z][a-z0-9]+)*|[a-z]*[A-Z][A-Za-z0-9]*))"
                       r"(?![\w’'-])")


def _proper_terms(c: Comment, ctx: Context, spans: Taken) -> Iterator[Mention]:
    """Named things that are topics, not people or organizations: "Kafka", "Raft", "RabbitMQ".
    A capitalised word mid-sentence that no name list knows counts once other comments use it too."""
    lex = ctx.lexicons
    for m in PROPER_RE.finditer(c.text):
        word, s, e = m.group(1), m.start(1), m.end(1)
        if spans.covers(s, e) or sentence_initial(c.text, s) or word in lex.first_names or word in lex.people \
                or word in lex.organizations or word in ctx.corpus_surnames or zipf(word.lower()) >= 4.0:
            continue
        spans.append((s, e))
        yield Mention.found(comment_id=c.id, kind="concept", surface=word, start=s, end=e, extractor=NAME,
                      score=CORPUS_CHECKED, key=concept_key(word), attrs={"source": "proper name"},
                      corpus_checked=True)


def find_concepts(c: Comment, ctx: Context) -> Iterator[Mention]:
    words, starts, ends = token_columns(c.text)
    toks = list(zip(words, starts, ends))
    tags, in_chunk = _tag_and_chunk(words)
    spans = Taken(len(c.text))
    yield from _abbreviation_definitions(c, spans)
    vocab = [m for m in _vocab_matches(c, ctx) if not spans.covers(m.start, m.end)]
    yield from vocab
    yield from _quoted_terms(c, spans)
    yield from _phrases(c, toks, tags, in_chunk, spans, vocab)
    taken = spans.copy()
    for m in vocab:
        taken.append((m.start, m.end))
    yield from _proper_terms(c, ctx, taken)


register(Extractor(NAME, ("concept",), find_concepts))
