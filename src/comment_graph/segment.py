"""Split a flat page dump into comments, drop page furniture, and find quoted passages.

A scraped page keeps no markup: comments follow each other separated only by
blank lines (or single newlines). Boundaries are scored from evidence that does
not depend on any one page: discourse openers and continuation markers, a
preceding colon or quote, sign-offs, lexical cohesion between neighbouring
paragraphs (TextTiling-style) and quote-then-reply patterns. Every gap's score
and features are kept as `Boundary` records so a user can see why.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from .models import Boundary, Comment, Quote
from .furniture import TITLE_PREFIX_RE, classify_block, looks_like_name, words_of
from .quotes import quote_features
from .text import content_words, digest, unique_ids

CONTINUATION_RE = re.compile(
    r"^(so|and|but|or|i\.e\.|e\.g\.|for example|for instance|also|specifically|separately|again|"
    r"anyway|still|then|thus|however|moreover|furthermore|similarly|relatedly|in other words|"
    r"that said|ok,? so|okay,? so|well,|otherwise|instead|meanwhile|plus|as for|speaking of|"
    r"on the other hand|on the contrary|by contrast|in particular|finally|first|second|third|"
    r"next|lastly|besides|hence|therefore|because|which|whereas|unless)\b",
    re.IGNORECASE,
)
ANAPHORA_RE = re.compile(r"^(that|this|these|those|it|it[’']s|such|they|there)\b", re.IGNORECASE)
REPLY_OPENER_RE = re.compile(
    r"^(i agree|i disagree|i find|i[’']m not sure|i am not sure|i wonder|i like|i love|"
    r"i don[’']t think|i do not think|seems|nice|thanks|thank you|great|yes\b|no,|agreed|hmm|"
    r"interesting|follow-up|followup|this post|this comment|good point|strong upvote|fair|"
    r"sure,|right,|huh|hi\b|hello|oh\b|wait|re:|@|congrat|kudos|minor|nitpick|typo|"
    r"i think that if)",
    re.IGNORECASE,
)
# A new participant situating themselves: "more optimistic than most of this thread", "as others said upthread".
THREAD_REFERENCE_RE = re.compile(r"\b(this thread|the thread|upthread|up-thread|the OP|OP's|parent comment|"
                                 r"other commenters|others here|everyone here|sibling comment)\b", re.IGNORECASE)
SIGNOFF_RE = re.compile(r"^\(?\s*(cc|h/t|ht|edit|update|ps|p\.s\.)\b.*\)?$", re.IGNORECASE | re.DOTALL)
BULLET_RE = re.compile(r"^\s*([•◦▪\-*–]|\d+[.)])\s+")


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    role: str = "body"  # body | furniture | title | author | bio
    quote: float = 0.0
    quote_reasons: list[str] = field(default_factory=list)
    trailing_space: bool = False
    byline: str | None = None
    title: str | None = None
    opens_comment: bool = False


@dataclass
class Segmentation:
    """What the segmenter made of one flat text."""

    comments: list[Comment]
    boundaries: list[Boundary]
    page_author: str | None = None
    page_titles: list[str] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)


def split_paragraphs(text: str, mode: str = "auto") -> list[Paragraph]:
    """Paragraphs with offsets: blank-line separated, or one per line when the page uses single newlines."""
    blank_gaps = len(re.findall(r"\n[ \t\u00a0]*\n", text))
    lines = [ln for ln in text.split("\n") if ln.strip()]
    by_line = mode == "line" or (mode == "auto" and blank_gaps < max(2, len(lines) // 6))
    pattern = r"\n" if by_line else r"\n[ \t\u00a0]*\n"
    paras: list[Paragraph] = []
    pos = 0
    for m in list(re.finditer(pattern, text)) + [None]:
        end = m.start() if m else len(text)
        paras += _block(text, pos, end)
        pos = m.end() if m else len(text)
    if by_line:
        paras = _join_bullets(text, paras)
    return paras


def _block(text: str, start: int, end: int) -> list[Paragraph]:
    """One block, split further where `>` quote lines and plain lines alternate."""
    out: list[Paragraph] = []
    run_start, run_quoted = None, None
    pos = start
    for line in text[start:end].split("\n"):
        lstart, lend = pos, pos + len(line)
        pos = lend + 1
        if not line.strip():
            continue
        quoted = line.lstrip().startswith(">")
        if run_start is not None and quoted != run_quoted:
            out.append(_para(text, run_start, prev_end))
            run_start = None
        if run_start is None:
            run_start, run_quoted = lstart, quoted
        prev_end = lend
    if run_start is not None:
        out.append(_para(text, run_start, prev_end))
    return out


def _para(text: str, start: int, end: int) -> Paragraph:
    raw_end = end
    while start < end and text[start] in " \t\u00a0":
        start += 1
    while end > start and text[end - 1] in " \t\u00a0":
        end -= 1
    return Paragraph(start, end, text[start:end], trailing_space=end < raw_end)


def _join_bullets(text: str, paras: list[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    for p in paras:
        if out and BULLET_RE.match(p.text) and out[-1].role == "body":
            out[-1] = Paragraph(out[-1].start, p.end, text[out[-1].start:p.end])
        else:
            out.append(p)
    return out


# ---- page furniture -------------------------------------------------------------

def classify_furniture(paras: list[Paragraph]) -> str | None:
    """Mark furniture paragraphs in place; return the page author's name if the header gives one."""
    seen_body = False
    for i, p in enumerate(paras):
        info = classify_block(p.text, at_page_start=not seen_body)
        if info is None:
            seen_body = True
            continue
        p.role, p.title, p.byline = info.role, info.title, info.author
    _page_title_before_meta(paras)
    _lone_titles_are_text(paras)
    return _profile_header(paras)


def _lone_titles_are_text(paras: list[Paragraph]) -> None:
    """Mid-page, a one-line Title Case paragraph between comments is a short comment ("Great Answer
    From Geoffrey Hinton"), unless furniture stands next to it or it says it is a title ("Re: …")."""
    for i, p in enumerate(paras):
        if p.role != "title" or "\n" in p.text.strip() or TITLE_PREFIX_RE.match(p.text.strip()):
            continue
        before = paras[i - 1].role if i else None
        after = paras[i + 1].role if i + 1 < len(paras) else None
        if i and before == "body" and after == "body":
            p.role, p.title = "body", None


def _page_title_before_meta(paras: list[Paragraph]) -> None:
    """A short line opening the page right above a metadata line is the page's title."""
    if len(paras) > 1 and paras[0].role == "body" and paras[1].role != "body" and len(paras[0].text.split()) <= 25 \
            and "\n" not in paras[0].text and not paras[0].text.endswith("."):
        paras[0].role, paras[0].title = "title", paras[0].text.strip()


def _profile_header(paras: list[Paragraph]) -> str | None:
    """A profile page opens with its owner's name, maybe a bio, then navigation."""
    if not paras or paras[0].role == "body":
        return None
    first_line = paras[0].text.strip().split("\n")[0]
    if not looks_like_name(first_line):
        return None
    paras[0].role = "author"
    for k in (1, 2):  # a bio: prose right under the name, closed by more header lines
        if k + 1 < len(paras) and paras[k].role == "body" and paras[k + 1].role != "body":
            paras[k].role = "bio"
            break
        if k < len(paras) and paras[k].role == "body":
            break
    return first_line


def is_delimited(paras: list[Paragraph]) -> bool:
    """Whether furniture (bylines, titles, karma lines) stands between the comments of this page."""
    between = sum(1 for a, b in zip(paras, paras[1:]) if a.role == "body" and b.role in ("byline", "title", "furniture")
                  and b is not paras[-1])
    return between >= 2


# ---- boundaries -----------------------------------------------------------------

def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(a[k] * b[k] for k in a.keys() & b.keys())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def gap_features(prev: list[Paragraph], nxt: list[Paragraph], page_author: str | None) -> dict[str, float]:
    """Evidence for and against a comment boundary between the last of `prev` and the first of `nxt`."""
    a, b = prev[-1], nxt[0]
    f: dict[str, float] = {}
    head = b.text.lstrip("“\"'‘ ")
    if CONTINUATION_RE.match(head):
        f["continuation opener"] = -1.0
    elif head.startswith("("):
        f["parenthetical aside"] = -0.8
    elif BULLET_RE.match(b.text):
        f["list item"] = -1.0
    elif REPLY_OPENER_RE.match(head):
        f["reply opener"] = 0.5
    elif ANAPHORA_RE.match(head):
        f["refers back"] = -0.3
    if THREAD_REFERENCE_RE.search(b.text[:200]):
        f["speaks of the thread itself"] = 0.4
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
                f["point-by-point: this comment already quoted"] = -0.5
    if len(prev) == 1 and a.text.rstrip().endswith(("!", ":")) and len(words_of(a.text, limit=13)) <= 12:
        f["short preamble before it"] = -0.6
    if SIGNOFF_RE.match(a.text.strip()):
        f["previous is a sign-off"] = 1.0
    left = Counter(w for p in prev[-2:] for w in content_words(p.text))
    right = Counter(w for p in nxt[:1] for w in content_words(p.text))
    # too few words say nothing about cohesion, and a quote repeats the words of what it answers
    if min(sum(left.values()), sum(right.values())) >= 8 and b.quote < 0.5:
        f["cohesion"] = round(max(-0.6, min(0.4, 0.15 - 2.0 * _cosine(left, right))), 3)
    return f


def segment_text(text: str, source: str = "", *, strategy: str = "auto",
                 page_author: str | None = None) -> Segmentation:
    """Find the comments of a flat text. `strategy='paragraph'` makes each paragraph a comment."""
    paras = split_paragraphs(text)
    found_author = classify_furniture(paras)
    author = page_author or found_author
    body_runs = _runs(paras)
    delimited = is_delimited(paras)
    for run in body_runs:
        run[0].opens_comment = delimited and len(run) > 1  # furniture above it starts a comment here
        for i, p in enumerate(run):
            p.quote, p.quote_reasons = quote_features(run, i, author)
    boundaries: list[Boundary] = []
    groups: list[tuple[list[Paragraph], dict]] = []
    # where bylines or title lines separate the comments, only strong evidence splits a run further
    threshold = 1.0 if delimited and strategy == "auto" else 0.0
    position = {id(p): i for i, p in enumerate(paras)}
    for meta, run in _runs_in_context(paras):
        groups += [(g, meta) for g in _group(run, author, strategy, boundaries, position, threshold)]
    comments = [_comment(text, g, i, source, meta) for i, (g, meta) in enumerate(groups)]
    _dedupe_ids(comments)
    furniture = [p.text for p in paras if p.role != "body"]
    titles = [p.title for p in paras if p.title]
    return Segmentation(comments, boundaries, author, titles, furniture)


def _runs(paras: list[Paragraph]) -> list[list[Paragraph]]:
    return [run for _, run in _runs_in_context(paras)]


def _runs_in_context(paras: list[Paragraph]) -> list[tuple[dict, list[Paragraph]]]:
    """Maximal runs of body paragraphs, each with the post title and byline just above it (if any)."""
    runs: list[tuple[dict, list[Paragraph]]] = []
    meta: dict = {}
    current: list[Paragraph] = []
    for p in paras:
        if p.role == "body":
            current.append(p)
            continue
        if current:
            runs.append((meta, current))
            current, meta = [], {}
        if p.title:
            meta = {**meta, "title": p.title}
        if p.byline:
            meta = {**meta, "author": p.byline}
    if current:
        runs.append((meta, current))
    if runs and paras[0].role == "author":
        # a title in a profile header (a nav word, a sequence name) is not the first comment's post
        runs[0] = ({k: v for k, v in runs[0][0].items() if k != "title"}, runs[0][1])
    return runs


def _group(run: list[Paragraph], author: str | None, strategy: str, boundaries: list[Boundary],
           position: dict[int, int], threshold: float) -> list[list[Paragraph]]:
    groups = [[run[0]]]
    for j in range(1, len(run)):
        # the next paragraph alone: slicing the rest of the run here made segmentation quadratic
        f = {"paragraph strategy": 1.0} if strategy == "paragraph" else gap_features(groups[-1], run[j:j + 1], author)
        score = round(sum(f.values()), 3)
        cut = score > threshold
        boundaries.append(Boundary(paragraph=position[id(run[j])], score=score, is_boundary=cut,
                                   features=f, preview=run[j].text[:60]))
        if cut:
            groups.append([run[j]])
        else:
            groups[-1].append(run[j])
    return groups


def _comment(text: str, group: list[Paragraph], index: int, source: str, meta: dict) -> Comment:
    start, end = group[0].start, group[-1].end
    body = text[start:end]
    quotes = [Quote(start=p.start - start, end=p.end - start, text=p.text, score=min(1.0, p.quote),
                    reasons=p.quote_reasons) for p in group if p.quote >= 0.5]
    return Comment(id="c-" + digest(body, 10), text=body, index=index, source=source,
                   post_title=meta.get("title"), author=meta.get("author"), quotes=quotes)


def _dedupe_ids(comments: list[Comment]) -> None:
    """The same text twice keeps one id each: the second gets '-2', and so on."""
    for c, new in zip(comments, unique_ids([c.id for c in comments])):
        c.id = new
