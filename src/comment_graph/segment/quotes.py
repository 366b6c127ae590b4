"""Tell a paragraph quoted from someone else from the author's own words.

Evidence that holds across sites: a `>` prefix; a lower-case fragment with no
sentence end (a pasted excerpt); straight quotation marks on a page whose
author types curly ones; an ellipsis marking an elided excerpt; the page
author named in the third person; and what follows reacting to it (a
parenthetical addressed to "you", a reply opener, or a word of it put in
quotation marks). Two kinds of evidence look beyond the neighbouring
paragraph: a lead-in that announces pasted words ("X writes:", "he says it's
fine to copy his reply here") quotes what follows it, and a paragraph that
repeats, word for word, a longer passage earlier on the page (the parent
comment, the post body) quotes that passage (`find_repeats`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property
from typing import Protocol


class _Para(Protocol):
    text: str


REACTION_RE = re.compile(r"^\((?=[^)]*\byou)", re.IGNORECASE)
# Discourse markers that open an answer to what was just said; general English, no page's wording.
REPLY_RE = re.compile(
    r"^(i (just )?want to (flag|note|push back)|i agree|i disagree|i find|i think|i[’']m not sure|"
    r"seems|this seems|yes|no,|agreed|i don[’']t think|hmm|strong(ly)? (dis)?agree|i was|"
    r"i (feel|believe|guess|suspect|expect)\b|i mean\b|i[’']m not (just )?saying|i didn[’']t (say|mean|claim)|i never (said|claimed))",
    re.IGNORECASE,
)
QUOTED_WORD_RE = re.compile(r"[“\"]([^”\"]{2,160})[”\"]")
WHOLLY_QUOTED_RE = re.compile(r"^[“\"][^“”\"]{8,}[”\"]$", re.DOTALL)
# The next paragraph judges this one: "I think this is about half right", "Honestly, I don't think…"
EVALUATION_RE = re.compile(
    r"^(i think (this|that)|this is|that[’']?s|that is|honestly|agreed|fair|true|not sure|i disagree|i agree|"
    r"partly|sort of|kind of|depends|yes|no\b|strong(ly)? (dis)?agree|i[’']m not sure (this|that))",
    re.IGNORECASE)
# A paragraph announcing that someone else's words follow (blogs, mailing lists and forums where a
# commenter pastes a reply from elsewhere): "Duncan writes:", "Here's what she said:", "he says it's
# fine to copy his reply over here", "quoting the FAQ:".
SPEECH_LEAD_IN_RE = re.compile(
    r"\b(writes|wrote|says|said|replied|replies|responded|responds|commented|posted|put it|asks|asked|"
    r"notes|noted|explains|explained|quoting|quote)\s*(\([^)]*\)\s*)?:\s*$",
    re.IGNORECASE)
PASTE_LEAD_IN_RE = re.compile(
    r"\b(cop(y|ied|ying)|past(e|ed|ing)|repost(ed|ing)?|reproduc(e|ed|ing)|quot(e|ed|ing)|forward(ed|ing)?)\b"
    r"[^.!?]{0,60}\b(reply|replies|response|answer|comment|message|email|e-mail|post|words|thread|note)\b"
    r"|\b(reply|response|answer|message|email|words)\b[^.!?]{0,40}\b(below|over here|here:)",
    re.IGNORECASE)
# A lead-in in the commenter's own voice ("My argument can be summarized as follows:") introduces
# their own words, not someone else's.
OWN_VOICE_RE = re.compile(r"^(i|i[’']ll|i[’']d|my|we|our|let me|here[’']s my|to summari[sz]e)\b", re.IGNORECASE)
DIVIDER_RE = re.compile(r"^[\W_]{1,12}$")
# The header a forum prints over a quoted post, on the first line of the quote's own block: phpBB's
# "knightmare64 wrote: ↑Tue Mar 12, 2024 8:41 pm", XenForo's "Ana said:", vBulletin's "Quote: Originally
# Posted by Ana". Only a name (a word or a few) before the verb, and nothing after but the arrow and date.
QUOTE_HEADER_RE = re.compile(r"(quote:?\s*)?(originally posted by\s+[\w.'’-]{2,40}( [\w.'’-]+){0,3}"
                             r"|@?[\w.'’-]{2,40}( [\w.'’-]+){0,3} (wrote|said|writes|says):(\s*↑.{0,60})?)",
                             re.IGNORECASE)
# "Name: description" and "Label — text": the items of a pasted list share this shape.
LABELLED_RE = re.compile(r"^[\w’'.\- ]{1,40}?\s?[:—–]\s")
LOWER_WORD_RE = re.compile(r"[a-z][a-z'’-]*[\s,;:]")
SENTENCE_END = tuple(".!?)”\"…:'’")
EMOTICON_END_RE = re.compile(r"[:;]-?[()DPp/]$")


def _typography(text: str) -> tuple[int, int]:
    straight = text.count('"')
    curly = sum(text.count(c) for c in "“”’‘")
    return straight, curly


def quote_features(run: list[_Para], i: int, page_author: str | None) -> tuple[float, list[str]]:
    """A score in [0, 1+] that paragraph `run[i]` quotes someone else, and the reasons."""
    p = run[i].text.strip()
    nxt = run[i + 1].text.strip() if i + 1 < len(run) else ""
    score, why = 0.0, []

    def add(w: float, reason: str) -> None:
        nonlocal score
        score += w
        why.append(reason)

    if p.startswith(">"):
        add(1.0, "starts with >")
    header, _, rest = p.partition("\n")
    if rest.strip() and QUOTE_HEADER_RE.fullmatch(header.strip()):
        add(1.0, f"opens with a forum's quote header: {header.strip()[:60]!r}")
    if WHOLLY_QUOTED_RE.match(p):
        add(0.8, "the whole paragraph is in quotation marks")
    if i == 0 and nxt and EVALUATION_RE.match(nxt) and getattr(run[i], "opens_comment", False):
        add(0.5, "opens a reply and the next paragraph judges it")
    if LOWER_WORD_RE.match(p):  # a word, not a code identifier ("np.sum", "x_1") that opens in lower case
        if not p.endswith(SENTENCE_END):
            add(0.7, "lower-case fragment without a sentence end")
        elif _page_is_capitalised(run):
            add(0.5, "opens in lower case where the page's paragraphs open in capitals")
    elif len(p.split()) >= 8 and not p.endswith(SENTENCE_END) and not EMOTICON_END_RE.search(p):
        add(0.3, "a sentence cut off before its end")
    if '"' in p and not _typography(p)[1] and _page_is_curly(run):
        add(0.5, "straight quotation marks on a curly-quote page")
    if "…" in p[1:-1] or "[...]" in p or "[…]" in p:
        add(0.3, "ellipsis marks an excerpt")
    if page_author and page_author.split()[-1] in p:
        add(0.6, "names the page author in the third person")
    if REACTION_RE.match(nxt):
        add(0.4, "next paragraph reacts to it")
    elif REPLY_RE.match(nxt):
        add(0.2, "next paragraph opens a reply")
    _echo(p, nxt, score, add)
    if getattr(run[i], "trailing_space", False):
        add(0.3, "trailing space left by a block quote")
    lead_in = _run_facts(run).lead_in.get(i)
    if lead_in is not None:
        add(1.0, f"follows a lead-in announcing someone else's words: {lead_in[:60]!r}")
    return round(score, 3), why


def _echo(p: str, nxt: str, score: float, add) -> None:
    """The next paragraph puts words of this one in quotation marks: it answers them."""
    head = nxt[:400]
    phrases: list[str] = []
    if '"' in head or "“" in head:
        mine = p.lower()
        phrases = [w for w in QUOTED_WORD_RE.findall(head) if w.lower() in mine]
    if any(len(w.split()) >= 4 for w in phrases):
        add(0.35, "next paragraph quotes a phrase of it")
    elif nxt and 0.2 <= score < 0.5 and _shared_run(p, nxt, ECHO_WORDS):  # asked only where it decides
        add(0.3, f"next paragraph repeats {ECHO_WORDS} words of it in a row")
    elif phrases:
        add(0.25, "next paragraph quotes its words")


ECHO_WORDS = 6  # six words in a row are rarely shared by chance; a reply restating what it answers shares them
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _shared_run(a: str, b: str, n: int) -> bool:
    """Whether `a` and `b` share `n` words in a row (within their first 800 characters): each run of
    `a`'s words is looked up in `b`'s words, joined with single spaces, in C."""
    words_a = _WORD_RE.findall(a[:800].lower())
    joined_b = " " + " ".join(_WORD_RE.findall(b[:800].lower())) + " "
    return any(" " + " ".join(words_a[k:k + n]) + " " in joined_b for k in range(len(words_a) - n + 1))


class _RunFacts:
    """What is counted once per run of paragraphs, not once per paragraph (that made pages quadratic),
    and only when a paragraph asks."""

    def __init__(self, run: list[_Para]) -> None:
        self.run, self.length = run, len(run)

    @cached_property
    def texts(self) -> list[str]:
        return [p.text.strip() for p in self.run]

    @cached_property
    def curly(self) -> bool:
        straight = curly = 0
        for t in self.texts:
            s, c = _typography(t)
            straight, curly = straight + s, curly + c
        return curly > 2 * straight

    @cached_property
    def capitalised(self) -> bool:
        """Whether, one lower-case paragraph aside, at least three and 80% of the run's paragraphs open
        in capitals: a writer who capitalises pasted someone else's fragment."""
        worded = [t for t in self.texts if t[:1].isalpha()]
        upper = sum(t[0].isupper() for t in worded)
        return upper >= 3 and upper >= 0.8 * (len(worded) - 1)

    @cached_property
    def lead_in(self) -> dict[int, str]:
        return _lead_in_blocks(self.texts)


_LAST_RUN: list = [None]  # quote_features is asked about every paragraph of one run in turn


def _run_facts(run: list[_Para]) -> _RunFacts:
    facts = _LAST_RUN[0]
    if facts is None or facts.run is not run or facts.length != len(run):
        facts = _LAST_RUN[0] = _RunFacts(run)
    return facts


def _page_is_curly(run: list[_Para]) -> bool:
    return _run_facts(run).curly


def _page_is_capitalised(run: list[_Para]) -> bool:
    return _run_facts(run).capitalised


def _lead_in_blocks(texts: list[str]) -> dict[int, str]:
    """Paragraphs pasted after a lead-in, each mapped to its lead-in. The block is the next paragraph
    (dividers skipped), extended over the following ones while they share its shape: the items of a
    pasted "Name: description" list. A reaction in the commenter's own voice ends it."""
    quoted: dict[int, str] = {}
    for k, text in enumerate(texts):
        if not _announces(text[-300:]) or not _announces(lead := _last_sentence(text[-300:])) or OWN_VOICE_RE.match(lead):
            continue  # a lead-in announces what follows, so it is its paragraph's last sentence
        j = k + 1
        while j < len(texts) and DIVIDER_RE.match(texts[j]):
            j += 1
        if j >= len(texts) or REPLY_RE.match(texts[j]) or EVALUATION_RE.match(texts[j]):
            continue
        quoted[j] = lead
        labelled = LABELLED_RE.match(texts[j])
        while labelled and j + 1 < len(texts) and LABELLED_RE.match(texts[j + 1]):
            j += 1
            quoted[j] = lead
    return quoted


_PASTE_HINTS = ("copy", "copie", "paste", "repost", "reproduc", "quot", "forward", "below", "here:", "over here")


def _announces(text: str) -> bool:
    """Whether `text` announces someone else's words; literal hints first, as the regexes are slow."""
    if text.rstrip().endswith(":") and SPEECH_LEAD_IN_RE.search(text):
        return True
    low = text.lower()
    return any(h in low for h in _PASTE_HINTS) and bool(PASTE_LEAD_IN_RE.search(text))


def _last_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+(?=\S)", text)[-1]


def _norm(text: str) -> str:
    """Text compared for verbatim repetition: case, quotation marks, `>` marks and spacing ignored.
    Each step is skipped where it has nothing to do (str.translate was ten times slower)."""
    text = text.lower()
    if not text.isascii():
        text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    if ">" in text:
        text = text.replace(">", " ")
    return " ".join(text.split()) if "\n" in text or "  " in text or "\t" in text else text.strip()


REPEAT_MIN_WORDS = 6
REPEAT_WINDOW = 40  # paragraphs back: a reply sits near what it answers on a thread page


def find_repeats(texts: list[str]) -> dict[int, int]:
    """Paragraphs that repeat, word for word, part of a longer paragraph earlier on the page: a reply
    quoting its parent, or a comment quoting the post body above it, with no mark at all.
    Maps the repeating paragraph's index to the index of the one it repeats. Looks back over a
    window of paragraphs and at the page's first ones (the post body), so the cost stays linear.
    A page that repeats its own sentences often (templated or machine-recombined text) makes
    repetition no evidence of quoting there, and nothing is returned."""
    normed = [_norm(t).strip(" \"'.,;:…") for t in texts]
    page = "\0".join(normed)  # searched in place between offsets: no window is copied
    offsets = [0]
    for text in normed:
        offsets.append(offsets[-1] + len(text) + 1)
    found: dict[int, int] = {}
    for i, words in enumerate(normed):
        if words.count(" ") + 1 < REPEAT_MIN_WORDS:
            continue
        lo = max(0, i - REPEAT_WINDOW)
        if page.find(words, offsets[lo], offsets[i]) < 0 and page.find(words, 0, offsets[min(8, lo)]) < 0:
            continue
        near = [*range(i - 1, lo - 1, -1), *range(min(8, lo) - 1, -1, -1)]  # where the scans above looked
        source = next(j for j in near if words in normed[j])
        if len(normed[source]) > len(words) * 1.1:
            found[i] = source
    return found if found and not _repeats_itself(normed) else {}


def _repeats_itself(normed: list[str], sample: int = 2000) -> bool:
    """Whether more than a tenth of the sentences in the page's first paragraphs occur twice or
    more: quoting repeats a few sentences of a page, templates and generators repeat many."""
    sentences = Counter(s for text in normed[:sample] for s in re.split(r"(?<=[.!?])\s+", text)
                        if s.count(" ") >= REPEAT_MIN_WORDS - 1)
    repeated = sum(n for n in sentences.values() if n > 1)
    return repeated > 0.1 * max(sum(sentences.values()), 1) and repeated > 4
