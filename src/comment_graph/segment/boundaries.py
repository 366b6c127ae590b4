"""Where one comment ends and the next begins: each gap between paragraphs scored from discourse
openers and continuation markers, a preceding colon or quote, sign-offs, lexical cohesion between
neighbouring paragraphs (TextTiling-style) and quote-then-reply patterns."""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from ..models import Boundary
from ..text import content_words
from .furniture import words_of
from .paragraphs import BULLET_RE, Paragraph


CONTINUATION_RE = re.compile(
    r"^(so|and|but|or|i\.e\.|e\.g\.|for example|for instance|also|specifically|separately|again|"
    r"anyway|still|then|thus|however|moreover|furthermore|similarly|relatedly|in other words|"
    r"that said|ok,? so|okay,? so|well,|otherwise|instead|meanwhile|plus|as for|speaking of|"
    r"on the other hand|on the contrary|by contrast|in particular|finally|first|second|third|"
    r"next|lastly|besides|hence|therefore|because|which|whereas|unless)\b",
    re.IGNORECASE,
)
# Pointers back into the text just written: pronouns, and definite phrases naming a part of it
# ("The last bullet point…", "The above…", "The former…"): they carry a comment on.
ANAPHORA_RE = re.compile(r"^(that|this|these|those|it|it[’']s|such|they|there|the above|"
                         r"the (last|first|second|third|final|previous|preceding|former|latter|above|earlier) "
                         r"(\w+ )?(point|bullet|item|paragraph|list|example|sentence|claim|one|two|case|option|section)s?)\b",
                         re.IGNORECASE)
REPLY_OPENER_RE = re.compile(
    r"^(i agree|i disagree|i find|i[’']m not sure|i am not sure|i wonder|i like|i love|"
    r"i don[’']t think|i do not think|seems|nice|thanks|thank you|great|yes\b|no,|agreed|hmm|"
    r"interesting|follow-up|followup|this post|this comment|good point|strong upvote|fair|"
    r"sure,|right,|huh|hi\b|hello|oh\b|wait|re:|@|congrat|kudos|minor|nitpick|typo)",
    re.IGNORECASE,
)
# A new participant situating themselves: "more optimistic than most of this thread", "as others said upthread".
THREAD_REFERENCE_RE = re.compile(r"\b(this thread|the thread|upthread|up-thread|the OP|OP's|parent comment|"
                                 r"other commenters|others here|everyone here|sibling comment)\b", re.IGNORECASE)
LABEL_ITEM_RE = re.compile(r"^[A-Z][\w.'’-]*( [A-Z][\w.'’-]*){0,3}: \S")
POST_RE = re.compile(r"\b(this|the|your|that|OP[’']s) (post|article|essay|paper|piece|write-?up|sequence|thread)\b",
                     re.IGNORECASE)
LEAD_IN_RE = re.compile(r"^(on .{3,40}, )?@?[\w.'’ -]{2,40} (writes|wrote|said|says|posted):$", re.IGNORECASE)
YOU_RE = re.compile(r"\byou(r|[’']re|[’']ve|[’']d)?\b", re.IGNORECASE)
SEPARATOR_RE = re.compile(r"^[*⁂]( ?[*⁂])*$")  # an asterism: a section break inside one piece of writing
# A comment signed at its end with a dash, its author and a date: Stack Exchange comments
# ("… – jdoe Jan 4, 2021 at 3:02"), wiki talk pages ("— Jdoe (talk) 12:03, 4 May 2021 (UTC)"),
# mailing-list and guestbook entries. Whatever follows is another comment.
SIGNATURE_RE = re.compile(r"\s[–—-]{1,2}\s?@?(?P<name>[\w.'’ ()-]{2,40}?)\s+(\(talk\)\s*)?"
                          r"([A-Z][a-z]{2,8}\.? \d{1,2}(, \d{4})?( at \d{1,2}:\d{2})?|\d{1,2}:\d{2}.{0,30}\(UTC\)|"
                          r"\d{4}-\d{2}-\d{2}( \d{1,2}:\d{2})?)\s*$")
# A comment's closing move: an invitation to answer or to act, a wish that it helped. Replies end
# so on every forum; a paragraph in the middle of an argument rarely does.
CLOSING_RE = re.compile(r"(\b(i[’']d|i would|i[’']m|i am|would) (be )?(curious|happy|glad|keen|interested|love) to "
                        r"(hear|know|see|chat|talk|discuss|help|read)\b|\b(do )?let me know\b|\bfeel free to\b|"
                        r"\bhope (this|that|it) helps\b|\bi[’']d (encourage|recommend|urge) (anyone|everyone|people|you)\b|"
                        r"\breach(ing)? out\b|\bthanks in advance\b)[^.!?]*[.!?)]*\s*$", re.IGNORECASE)
SIGNOFF_RE = re.compile(r"^\(?\s*(cc|h/t|ht|edit|update|ps|p\.s\.)\b.*\)?$", re.IGNORECASE | re.DOTALL)


def _first_sentence(text: str) -> str:
    m = re.search(r"[.!?][\"”’')]*(\s|$)", text[:200])  # a closing quote may follow the full stop
    return text[:m.end()] if m else text[:200]


# Literal words one of which each pattern needs: a few `in` tests in C spare most texts the regex.
# Each is a necessary literal of its pattern (lower case): where none is in the text, the regex
# cannot match, so skipping it changes no decision.
THREAD_HINTS = ("thread", "the op", "op's", "op’s", "parent comment", "commenters", "others here", "everyone here",
                "sibling comment")
POST_HINTS = ("post", "article", "essay", "paper", "piece", "write", "sequence", "thread")
CLOSING_HINTS = ("curious", "happy", "glad", "keen", "interested", "love", "let me know", "feel free", "helps",
                 "encourage", "recommend", "urge", "reach", "thanks in advance")


def _hinted(text: str, hints: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(h in low for h in hints)


def _last_sentence(text: str) -> str:
    tail = text[-300:]
    cut = max(tail.rfind(". ", 0, len(tail) - 2), tail.rfind("! ", 0, len(tail) - 2), tail.rfind("? ", 0, len(tail) - 2))
    return tail[cut + 2:] if cut >= 0 else tail


@lru_cache(maxsize=4096)
def _bag(text: str) -> tuple[Counter, int, float]:
    """A paragraph's content-word counts, their total and squared norm: cached, because each
    paragraph stands on both sides of two or three gaps."""
    bag = Counter(content_words(text))
    return bag, sum(bag.values()), float(sum(v * v for v in bag.values()))


def _dot(a: Counter, b: Counter) -> float:
    if len(a) > len(b):
        a, b = b, a
    return float(sum(v * b[k] for k, v in a.items() if k in b))


def _cohesion(prev: list[Paragraph], b: Paragraph) -> tuple[int, int, float]:
    """(words before, words after, cosine) between the last two paragraphs of `prev` and `b`,
    from the paragraphs' cached bags: |x+y|² = |x|² + |y|² + 2·x·y spares building their sum."""
    right, n_right, norm_right = _bag(b.text)
    bags = [_bag(p.text) for p in prev[-2:]]
    n_left = sum(n for _, n, _ in bags)
    norm_left = sum(nn for _, _, nn in bags) + (2 * _dot(bags[0][0], bags[1][0]) if len(bags) == 2 else 0.0)
    dot = sum(_dot(bag, right) for bag, _, _ in bags)
    cosine = dot / (math.sqrt(norm_left) * math.sqrt(norm_right)) if norm_left and norm_right else 0.0
    return n_left, n_right, cosine


def gap_features(prev: list[Paragraph], nxt: list[Paragraph], page_author: str | None) -> dict[str, float]:
    """Evidence for and against a comment boundary between the last of `prev` and the first of `nxt`."""
    a, b = prev[-1], nxt[0]
    f: dict[str, float] = {}
    head = b.text.lstrip("“\"'‘ ")
    if b.quote >= 0.5:
        pass  # a quote's first words are someone else's: they say nothing about continuing or replying
    elif CONTINUATION_RE.match(head):
        f["continuation opener"] = -1.0
    elif head.startswith("("):
        f["parenthetical aside"] = -0.8
    elif BULLET_RE.match(b.text):
        f["list item"] = -1.0
    elif REPLY_OPENER_RE.match(head):
        f["reply opener"] = 0.5
    elif ANAPHORA_RE.match(head):
        f["refers back"] = -0.3
    tied = any(k in f for k in ("continuation opener", "parenthetical aside", "list item"))
    first = _first_sentence(b.text) if b.quote < 0.5 and not tied else ""
    if first and "you" in first.lower() and YOU_RE.search(first):
        # a reply speaks to the person it answers; a paragraph carrying on a comment rarely opens so
        f["addresses someone (you) in its first sentence"] = 0.3
    if first and _hinted(first, POST_HINTS) and POST_RE.search(first) \
            and not any(_hinted(p.text, POST_HINTS) and POST_RE.search(p.text) for p in prev[-3:]):
        # a new comment anchors itself on the post it answers; one already speaking of it needn't
        f["speaks of the post, which the paragraphs before did not"] = 0.3
    if LEAD_IN_RE.match(b.text.split("\n", 1)[0].strip()):
        # "Jane Doe writes:" / "On 3 May, kestrel wrote:" introduces the parent's words in a reply
        f["quote lead-in (X writes:)"] = 0.6
    if _hinted(b.text[:200], THREAD_HINTS) and THREAD_REFERENCE_RE.search(b.text[:200]):
        f["speaks of the thread itself"] = 0.4
    if LABEL_ITEM_RE.match(a.text) and LABEL_ITEM_RE.match(b.text):
        # "Name: description" paragraphs in a row are the items of one pasted list, not replies
        f["parallel 'Label: text' items"] = -1.0
    if SEPARATOR_RE.match(a.text.strip()) or SEPARATOR_RE.match(b.text.strip()):
        f["asterism: a section break inside one comment"] = -1.0
    if a.text.rstrip().endswith(":"):
        f["previous ends with colon"] = -1.0
    if a.quote >= 0.5:
        f["previous is a quote"] = -1.0
    if b.quote >= 0.5:
        if b.text.startswith(">") and any(p.text.startswith(">") for p in prev):
            f["another > quote in the same reply"] = -0.8
        else:
            f["opens with a quote"] = 0.6
            if any(p.quote >= 0.5 for p in prev):
                # a reply that already quoted its parent goes on point by point: quote, answer, quote
                f["point-by-point: this comment already quoted"] = -0.7
    if len(prev) == 1 and a.text.rstrip().endswith(("!", ":")) and len(words_of(a.text, limit=13)) <= 12:
        f["short preamble before it"] = -0.6
    if SIGNOFF_RE.match(a.text.strip()):
        f["previous is a sign-off"] = 1.0
    if _hinted(last := _last_sentence(a.text), CLOSING_HINTS) and CLOSING_RE.search(last):
        f["previous closes with an invitation or a wish"] = 0.3
    if SIGNATURE_RE.search(a.text[-90:]):
        f["previous ends with its author's signature and date"] = 1.5
    # too few words say nothing about cohesion, and a quote repeats the words of what it answers
    if b.quote < 0.5:
        n_left, n_right, cosine = _cohesion(prev, b)
        if min(n_left, n_right) >= 8:
            f["cohesion"] = round(max(-0.6, min(0.4, 0.15 - 2.0 * cosine)), 3)
    return f


def _group(run: list[Paragraph], author: str | None, strategy: str, boundaries: list[Boundary],
           position: dict[int, int], threshold: float, prior: dict[str, float] | None = None
           ) -> list[list[Paragraph]]:
    """Cut `run` into comments where a gap's evidence passes `threshold`; with a `prior` (recorded in
    every gap's features), a tie at the threshold cuts too."""
    groups = [[run[0]]]
    for j in range(1, len(run)):
        # the next paragraph alone: slicing the rest of the run here made segmentation quadratic
        f = {"paragraph strategy": 1.0} if strategy == "paragraph" else \
            {**gap_features(groups[-1], run[j:j + 1], author), **(prior or {})}
        score = round(sum(f.values()), 3)
        cut = score > threshold or (score == threshold and prior is not None and strategy != "paragraph")
        boundaries.append(Boundary(paragraph=position[id(run[j])], score=score, is_boundary=cut,
                                   features=f, preview=run[j].text[:60]))
        if cut:
            groups.append([run[j]])
        else:
            groups[-1].append(run[j])
    return groups
