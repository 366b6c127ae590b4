"""HTML to plain comment text, keeping what the markup knew: quoted passages and link targets.

The text is what a reader sees: paragraphs separated by blank lines, list items as
"- item" lines, whitespace collapsed, entities decoded. `<blockquote>` becomes a quote
span and `<a href>` a link span, both as offsets into that text, so evidence spans
found later point into the same string that goes into the graph.

A small tolerant tree builder (stdlib `html.parser`) sits under it, so a saved forum
page can be cut into its comment elements before each is converted. Nothing here recurses
and nothing costs more per element the deeper it sits: a hostile page may nest 100,000 deep.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from ..models import Link, Span
from ..urls import join_url

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "area", "base", "col", "embed", "param",
        "track"}
SKIP = {"script", "style", "head", "template", "noscript", "svg", "iframe", "object", "button", "select",
        "textarea", "title"}
PARAGRAPH = {"p", "div", "section", "article", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
             "pre", "table", "header", "footer", "main", "aside", "figure", "figcaption", "dl", "details",
             "form", "hr", "address", "nav"}
LINE = {"li", "tr", "dt", "dd", "summary", "caption"}
CLOSES_P = PARAGRAPH | {"li"}
WS_RE = re.compile(r"[ \t\n\r\f\v]+")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").lower().split())


class _TreeBuilder(HTMLParser):
    """Parse into Nodes, forgiving what browsers forgive: unclosed <p> and <li>, stray end tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.open_tags: Counter[str] = Counter()  # tags on the stack: 'is a <p> open?' in constant time

    def handle_starttag(self, tag, attrs):
        if tag in CLOSES_P and self.open_tags["p"]:
            self._close("p")
        if tag == "li" and self.stack[-1].tag == "li":
            self._close("li")
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)
            self.open_tags[tag] += 1

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if self.open_tags[tag]:
            self._close(tag)

    def _close(self, tag):
        while len(self.stack) > 1:
            closed = self.stack.pop().tag
            self.open_tags[closed] -= 1
            if closed == tag:
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


@dataclass
class _Closing:
    """In the writer's to-do stack: the end of an element, after its content."""

    node: Node
    marker: list | None


class _Writer:
    """Plain text out of a Node tree, recording quote and link spans as it writes."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.parts: list[str] = []
        self.length = 0
        self.brk = 0            # newlines owed before the next text: 1 a line break, 2 a paragraph break
        self.space = False      # whitespace seen since the last text
        self.pending: list[list] = []   # [None] per open quote/link still waiting for its first text
        self.quotes: list[Span] = []
        self.links: list[Link] = []

    def text(self, s: str, pre: bool = False) -> None:
        trailing = False
        if not pre:
            if s[:1].isspace():
                self.space = True
            trailing = s[-1:].isspace()
            s = WS_RE.sub(" ", s).strip(" ")
            if not s:
                return
        if self.length:
            if self.brk:
                self._emit("\n" * self.brk)
            elif self.space:
                self._emit(" ")
        for marker in self.pending:
            marker[0] = self.length
        self.pending.clear()
        self._emit(s)
        self.brk, self.space = 0, trailing

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def brk_at_least(self, n: int) -> None:
        self.brk = max(self.brk, n) if self.length else 0

    def walk(self, node: Node) -> None:
        """Write the node's content in document order, from a to-do stack rather than by recursion."""
        todo: list[tuple[Node | str | _Closing, bool, str]] = [(ch, False, "") for ch in reversed(node.children)]
        while todo:
            item, pre, list_kind = todo.pop()
            if isinstance(item, str):
                self.text(item, pre)
            elif isinstance(item, _Closing):
                self._leave(item.node, item.marker)
            elif self._enter(item, pre, list_kind):
                marker = [None] if item.tag in ("blockquote", "a") else None
                if marker:
                    self.pending.append(marker)
                todo.append((_Closing(item, marker), pre, list_kind))
                inner = (pre or item.tag == "pre", item.tag if item.tag in ("ul", "ol") else list_kind)
                todo.extend((ch, *inner) for ch in reversed(item.children))

    def _enter(self, n: Node, pre: bool, list_kind: str) -> bool:
        """What comes before an element's content; False when its content is not written."""
        tag = n.tag
        if tag in SKIP:
            return False
        if tag == "br":
            self.brk = min(2, self.brk + 1) if self.length else 0
            return False
        if tag in PARAGRAPH:
            self.brk_at_least(2)
        elif tag in LINE:
            self.brk_at_least(1)
        if tag == "li":
            self.text("1." if list_kind == "ol" else "-", pre=True)
            self.space = True
        return True

    def _leave(self, n: Node, marker: list | None) -> None:
        if marker:
            if self.pending and self.pending[-1] is marker:
                self.pending.pop()  # no text inside: it spans nothing
            self._close_span(n.tag, n, marker[0])
        if n.tag in PARAGRAPH:
            self.brk_at_least(2)
        elif n.tag in LINE:
            self.brk_at_least(1)

    def _close_span(self, tag: str, n: Node, start: int | None) -> None:
        if start is None or start >= self.length:
            return
        if tag == "blockquote":
            self.quotes.append(Span(start=start, end=self.length))
            return
        href = n.attrs.get("href", "").strip()
        url = join_url(self.base_url, href)
        if url.startswith(("http://", "https://")):
            self.links.append(Link(start=start, end=self.length, url=url))

    def result(self) -> tuple[str, list[Span], list[Link]]:
        return "".join(self.parts), _outermost(self.quotes), sorted(self.links, key=lambda ln: (ln.start, ln.end))


def _outermost(quotes: list[Span]) -> list[Span]:
    """A quote inside a quote is one passage: the outer ones, in order (one sweep, however deep)."""
    outer: list[Span] = []
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if not outer or q.end > outer[-1].end:
            outer.append(q)
    return outer


def node_to_text(node: Node, base_url: str | None = None) -> tuple[str, list[Span], list[Link]]:
    w = _Writer(base_url)
    w.walk(node)
    return w.result()


def html_to_text(html: str, base_url: str | None = None) -> tuple[str, list[Span], list[Link]]:
    """Plain text of an HTML fragment, with its quote spans and link spans."""
    return node_to_text(parse_html(html), base_url)


# ---- a saved page of comments ------------------------------------------------------------

COMMENT_CLASS_RE = re.compile(r"^(comment|comtr|comment[-_](item|node|container|wrapper|thread-item)|commentitem)$")
AUTHOR_CLASSES = {"author", "username", "user", "hnuser", "byline", "commenter", "comment-author", "user-name",
                  "fn"}
BODY_CLASSES = {"commtext", "comment-body", "comment-content", "commentbody", "comment-text", "body", "content",
                "text", "md", "e-content"}
HEADER_CLASSES = {"comhead", "comment-meta", "comment-header", "meta", "actions", "reply", "navs", "votelinks",
                  "comment-footer", "toolbar"}


def _is_comment(n: Node) -> bool:
    if not n.attrs:  # most elements: asked of each, however many a page holds
        return n.tag == "article"
    return n.tag == "article" or any(COMMENT_CLASS_RE.match(c) for c in n.classes()) or \
        "schema.org/comment" in n.attrs.get("itemtype", "").lower()


def _find(n: Node, test) -> Node | None:
    """The first descendant passing `test` in document order, not looking inside nested comments."""
    todo = list(reversed(n.children))
    while todo:
        ch = todo.pop()
        if isinstance(ch, Node) and not _is_comment(ch):
            if test(ch):
                return ch
            todo.extend(reversed(ch.children))
    return None


def _plain(n: Node | None) -> str | None:
    if n is None:
        return None
    return " ".join(node_to_text(n)[0].split()) or None


def _without(n: Node, drop) -> Node:
    """A copy of `n` without nested comments and without descendants that `drop` names."""
    copy = Node(n.tag, n.attrs)
    todo = [(n, copy)]
    while todo:
        source, target = todo.pop()
        for ch in source.children:
            if isinstance(ch, str):
                target.children.append(ch)
            elif not (_is_comment(ch) or drop(ch)):
                target.children.append(Node(ch.tag, ch.attrs))
                todo.append((ch, target.children[-1]))
    return copy


def _comment_fields(n: Node, parent: str | None, base_url: str | None) -> dict:
    author_node = _find(n, lambda x: bool(x.classes() & AUTHOR_CLASSES) or x.attrs.get("rel") == "author"
                        or x.attrs.get("itemprop") == "author")
    time_node = _find(n, lambda x: x.tag == "time" or ("age" in x.classes() and "title" in x.attrs))
    body = _find(n, lambda x: bool(x.classes() & BODY_CLASSES) or x.attrs.get("itemprop") == "text")
    if body is None:
        chrome = {id(x) for x in (author_node, time_node) if x is not None}
        body = _without(n, lambda x: id(x) in chrome or bool(x.classes() & HEADER_CLASSES)
                        or x.tag in ("header", "footer", "nav"))
    text, quotes, links = node_to_text(_without(body, lambda x: False), base_url)
    when = (time_node.attrs.get("datetime") or time_node.attrs.get("title")) if time_node else None
    cid = n.attrs.get("data-comment-id") or n.attrs.get("data-id") or n.attrs.get("id") or None
    return {"id": cid, "author": _plain(author_node), "created_at": (when or "").split(" ")[0] or None,
            "parent_id": parent, "text": text, "quotes": quotes, "links": links}


def html_comments(root: Node, base_url: str | None = None) -> list[dict] | None:
    """Field dicts for each comment element of a page (<article>, class="comment", ...), replies
    knowing their parent; None when the page has no such structure."""
    out: list[dict] = []
    todo: list[tuple[Node | str, str | None]] = [(ch, None) for ch in reversed(root.children)]
    while todo:  # in document order, each element with the id of the comment it sits in
        ch, parent = todo.pop()
        if not isinstance(ch, Node) or ch.tag in SKIP:
            continue
        if _is_comment(ch):
            stated = ch.attrs.get("data-parent") or ch.attrs.get("data-parent-id")
            fields = _comment_fields(ch, stated or parent, base_url)
            if fields["text"].strip():
                out.append(fields)
            parent = fields["id"] or parent
        todo.extend((grandchild, parent) for grandchild in reversed(ch.children))
    return out or None


def hr_sections(root: Node) -> list[Node] | None:
    """The page cut at its top-level <hr> rules, when it has any."""
    body = _find(root, lambda x: x.tag == "body") or root
    if not any(isinstance(ch, Node) and ch.tag == "hr" for ch in body.children):
        return None
    sections, current = [], Node("div")
    for ch in body.children:
        if isinstance(ch, Node) and ch.tag == "hr":
            sections.append(current)
            current = Node("div")
        else:
            current.children.append(ch)
    return [s for s in sections + [current] if node_to_text(s)[0].strip()]
