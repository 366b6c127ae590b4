"""Parts of speech for the concepts extractor: TextBlob's English lexicon read directly, a tag per
token (with suffix rules for unknown words), and how specific (rare in English) a phrase's words are."""

from __future__ import annotations

import importlib.util
import re
from bisect import bisect_left
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from ..lexicon import zipf
from ..text import fold, stopwords

MODIFIER_TAGS = {"NN", "NNS", "JJ", "VBN", "VBG", "NNP"}
ACRONYM_RE = re.compile(r"^[A-Z][A-Z0-9]{1,6}s?$")
WORD_RE = re.compile(r"^[^\W\d_][\w’'-]*$")


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
    if "VBD" in tags:  # the context rules below start from a past-tense verb: most texts lack one
        tags, in_chunk = _participle_modifiers(words, list(tags), list(in_chunk))
    if "VBP" in tags:
        tags, in_chunk = _wise_modifiers(words, tags, in_chunk)
    return tags, in_chunk


def _wise_modifiers(words: list[str], tags: tuple[str, ...], in_chunk: tuple[bool, ...]
                    ) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """A "-wise" word the lexicon lacks gets TextBlob's verb suffix rule ("-ise"); before a noun it is an
    adjective: "pairwise summation", "elementwise product", "layerwise relevance"."""
    fixed = [i for i in range(len(tags) - 1)
             if tags[i] == "VBP" and words[i].endswith("wise") and tags[i + 1] in ("NN", "NNS")]
    if not fixed:
        return tags, in_chunk
    tags_, in_chunk_ = list(tags), list(in_chunk)
    for i in fixed:
        tags_[i] = "JJ"
        in_chunk_[i] = _in_chunk(words[i], "JJ")
    return tuple(tags_), tuple(in_chunk_)


ATTRIBUTIVE_BEFORE = {"DT", "IN", "PRP$", "POS"}


def _participle_modifiers(words: list[str], tags: list[str], in_chunk: list[bool]
                          ) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """A Brill-style context rule the context-free lexicon lacks: a word it calls a past-tense verb
    is a participle modifying a noun between a determiner, preposition or possessive and that noun
    ("a felt sense", "for learned features", "its trained policy"), so it can open a noun phrase.
    "that" is left out: it is as often a relative pronoun ("that changed things")."""
    for i in range(1, len(tags) - 1):
        if tags[i] == "VBD" and tags[i - 1] in ATTRIBUTIVE_BEFORE and tags[i + 1] in ("NN", "NNS") \
                and words[i - 1].lower() != "that":
            tags[i] = "VBN"
            in_chunk[i] = _in_chunk(words[i], "VBN")
    return tuple(tags), tuple(in_chunk)


# The first word of a sentence, a line or a bracket (opening with a character class: scanned in C)
SENTENCE_OPENER_RE = re.compile(r"[.!?:\n“\"(•—–][ \t\u00a0]*([A-Z][a-z]+(?:-[a-z]+)*)(?![\w’'])")
# Endings English derives common nouns and adjectives with, and names seldom have ("Mercantilism",
# "Stackless"): a capitalised word the lexicon lacks that ends so is a word, not a name
DERIVED_ENDINGS = ("ism", "ity", "tion", "ness", "ment", "less", "ous", "ive", "able", "ible")


def sentence_openers(text: str, starts: list[int], tags: tuple[str, ...], in_chunk: tuple[bool, ...],
                     is_name) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """Tags and chunk flags with the capitalised first word of each sentence read as the word it
    is ("Effect handlers make…", "One-shot continuations mean…", "Stackless coroutines buy…"): the
    capital there is the sentence's, so the word may open a noun phrase, where elsewhere a capital
    marks a name. A word the lexicon knows only with its capital, or that a name list or the page's
    names hold (`is_name`), stays a name."""
    fixed: dict[int, tuple[str, bool]] = {}
    openings = [m for m in SENTENCE_OPENER_RE.finditer(text)]
    first = re.match(r"[ \t]*([A-Z][a-z]+(?:-[a-z]+)*)(?![\w’'])", text)
    for m in ([first] if first else []) + openings:
        i = bisect_left(starts, m.start(1))
        if i >= len(starts) or starts[i] != m.start(1) or in_chunk[i] or is_name(m.group(1)):
            continue
        word = m.group(1).lower()
        # alone, a known word may still be a name ("Rust compiles", "(Turkey)"): it must open a phrase
        opens_phrase = i + 1 < len(in_chunk) and in_chunk[i + 1] and starts[i + 1] == m.end(1) + 1
        if (opens_phrase and _known_lower_case(word)) or (word not in pos_lexicon() and word.endswith(DERIVED_ENDINGS)):
            tag = _word_tag(word, False)
            if tag != "VBG":  # "Eliminating minimums cut rents": a gerund opening a sentence is its verb
                fixed[i] = (tag, _in_chunk(word, tag))
    if not fixed:
        return tags, in_chunk
    tags_, in_chunk_ = list(tags), list(in_chunk)
    for i, (tag, ok) in fixed.items():
        tags_[i], in_chunk_[i] = tag, ok
    return tuple(tags_), tuple(in_chunk_)


def _known_lower_case(word: str) -> bool:
    """Whether English writes the word in lower case: the lexicon has it so, or the last part of a
    compound ("multi-shot"), or it ends as derived common words do."""
    lexicon = pos_lexicon()
    return word in lexicon or ("-" in word and word.rsplit("-", 1)[1] in lexicon) or word.endswith(DERIVED_ENDINGS)


@lru_cache(maxsize=1 << 17)
def _token_info(token: str, first: bool) -> tuple[str, bool]:
    tag = _word_tag(token.replace("’", "'"), first)
    return tag, _in_chunk(token, tag)


@lru_cache(maxsize=1 << 17)
def _inner_token_info(token: str) -> tuple[str, bool]:
    """`_token_info` of a token that does not open the text."""
    return _token_info(token, False)


NUMBER_RE = re.compile(r"^[0-9\-\,\.\:\/\%\$]+$")  # TextBlob's CD


NOUN_SUFFIXES = ("tion", "sion", "ness", "ism")  # suffixes English makes nouns with, and nothing else


@lru_cache(maxsize=1 << 17)
def _word_tag(word: str, first: bool) -> str:
    # TextBlob's parser tags without context rules: the lexicon (lower-cased only for the first
    # word), then capitalisation, digits and suffix rules. The same steps, on one word, are cacheable.
    lexicon = pos_lexicon()
    tag = lexicon.get(word, first and lexicon.get(word.lower()) or None)
    if tag == "JJ" and "-" not in word and word.endswith(NOUN_SUFFIXES):
        return "NN"  # the lexicon's few slips ("fermentation", "regionalism"): English derives only nouns so
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
    if "-" in word and pos_lexicon().get(word.rsplit("-", 1)[1]) in ("NN", "NNS"):
        tag = pos_lexicon()[word.rsplit("-", 1)[1]]  # "in-distribution", "worst-case": a compound ending in a noun
    if word.endswith("ed"):
        tag = "VBN"
    if word.endswith(("ate", "ify", "ise", "ize")):
        tag = "VBP"
    return tag


def _is_word(tok: str) -> bool:
    """A word, and no adverb: "-ly" marks one ("really", "broadly") unless the lexicon knows the word
    as a noun ("money supply", "a family", "an anomaly", "assembly language")."""
    return bool(WORD_RE.match(tok)) and not (tok.lower().endswith("ly") and len(tok) > 4
                                             and pos_lexicon().get(tok.lower()) not in ("NN", "NNS"))


def specificity(words: list[str]) -> float:
    """0..1: how far the words are from everyday English (rarer words score higher)."""
    return _specificity(tuple(words))


@lru_cache(maxsize=1 << 16)
def _specificity(words: tuple[str, ...]) -> float:
    parts = [p for w in words for p in re.split(r"[-’']", w.lower()) if p]
    if not parts:
        return 0.0
    return min(1.0, max(0.0, (6.0 - min(zipf(p) for p in parts)) / 4.0))


@lru_cache(maxsize=1 << 17)
def _in_chunk(tok: str, tag: str) -> bool:
    """Whether a tagged token may stand in a noun phrase (cached: words and their tags repeat)."""
    return (tag in MODIFIER_TAGS and not tok[:1].isupper() and _is_word(tok) and fold(tok) not in stopwords()
            and not tok.endswith(("'", "’", "'s", "’s"))) or (tag.startswith("NN") and ACRONYM_RE.match(tok) is not None
                                                               and fold(tok) not in stopwords())  # "IMO", "IIUC"
