"""Vocabulary terms for the concepts extractor: the SKOS labels (and their acronyms) found in a
comment's tokens, longest first, with hyphen compounds checked at their edges."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from itertools import compress, count, islice
from operator import itemgetter

from ..models import Comment, Mention
from ..text import concept_key, fold, singular, stopwords, token_columns
from .context import Context
from .names import sentence_initial

NAME = "concepts"  # the extractor (concepts.py) whose mentions these are
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


def _vocab_matches(c: Comment, ctx: Context, columns: tuple[list[str], list[int], list[int]] | None = None
                   ) -> Iterator[Mention]:
    """Longest vocabulary match at each position, over words and the parts of hyphen compounds.
    `columns`, if given, are the comment's `token_columns`, which the parts are read from."""
    # hyphen compounds in parts
    strings, token_starts, token_ends = token_columns(c.text, FINE_TOKEN_RE) if columns is None \
        else fine_columns(*columns)
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
        token = toks[i][0]
        acronym_form = token in acronyms or token[:-1] in acronyms or (
            token.endswith(("'s", "’s")) and words[i] in first_words and _acronym_form(token, acronyms))
        entry = trie.get(words[i])
        if not acronym_form and (entry is None or not entry[0] and (i + 1 == len(words) or words[i + 1] not in entry[1])):
            continue  # most starts open only longer keys, which the next word does not go on with
        # the full check (gaps, compounds, the key of the exact surface) only where the words spell a
        # key, longest first, then for one word where it may be an acronym ("RL's", "LLMs")
        tries = _key_lengths(trie, words, i)
        if acronym_form:
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


JOINER_RE = re.compile(r"[-/]")


def fine_columns(words: list[str], starts: list[int], ends: list[int]) -> tuple[list[str], list[int], list[int]]:
    """What `token_columns(text, FINE_TOKEN_RE)` gives, read from `token_columns(text)`: the word
    tokens, an "@" or "#" before one dropped, split at the hyphens and slashes that join their parts
    (TOKEN_RE takes those as joiners only before a letter or digit, so every part is a fine token);
    the other tokens are punctuation, which FINE_TOKEN_RE skips. One pass over the tokens the
    caller has anyway costs about half what a second scan of the text would."""
    fine_words: list[str] = []
    fine_starts: list[int] = []
    fine_ends: list[int] = []
    for word, s, e in zip(words, starts, ends):
        if not word[0].isalnum():  # str.isalnum: the characters [^\W_] matches
            if len(word) == 1 or word[0] not in "@#":
                continue
            word, s = word[1:], s + 1
        if "-" in word or "/" in word:
            for part in JOINER_RE.split(word):
                fine_words.append(part)
                fine_starts.append(s)
                fine_ends.append(s + len(part))
                s += len(part) + 1
        else:
            fine_words.append(word)
            fine_starts.append(s)
            fine_ends.append(e)
    return fine_words, fine_starts, fine_ends


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


def overlapping_matches(vocab: list[Mention], ends: list[int], s: int, e: int) -> list[Mention]:
    """The vocabulary matches overlapping s:e. `vocab` is in text order and its matches do not
    overlap, so their ends (`ends`) are in order too: a bisection finds the first, not a scan."""
    out = []
    for v in islice(vocab, bisect_right(ends, s), None):
        if v.start >= e:
            break
        out.append(v)
    return out
