"""HTML to plain comment text, keeping what the markup knew: quoted passages and link targets.

The text is what a reader sees: paragraphs separated by blank lines, list items as
"- item" lines, whitespace collapsed, entities decoded. `<blockquote>` becomes a quote
span and `<a href>` a link span, both as offsets into that text, so evidence spans
found later point into the same string that goes into the graph.

A small tolerant tree builder (stdlib `html.parser`) sits under it, so a saved forum
page can be cut into its comment elements before each is converted.
"""

from __future__ import annotations

import re
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

    def descendants(self):
        for ch in self.children:
            if isinstance(ch, Node):
                yield ch
                yield from ch.descendants()


class _TreeBuilder(HTMLParser):
    """Parse into Nodes, forgiving what browsers forgive: unclosed <p> and <li>, stray end tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag in CLOSES_P and any(n.tag == "p" for n in self.stack):
            self._close("p")
        if tag == "li" and self.stack[-1].tag == "li":
            self._close("li")
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        if any(n.tag == tag for n in self.stack[1:]):
            self._close(tag)

    def _close(self, tag):
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


class _Writer:
    """Plain text out of a Node tree, recording quote and link spans as it writes."""

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.parts: list[str] = []
        self.length = 0
        self.brk = 0            # newlines owed before the next text: 1 a line break, 2 a paragraph break
        self.space = False      # whitespace seen since the last text
        self.open: list[list] = []   # [start or None] per open quote/link, filled at their first text
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
        for o in self.open:
            if o[0] is None:
                o[0] = self.length
        self._emit(s)
        self.brk, self.space = 0, trailing

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def brk_at_least(self, n: int) -> None:
        self.brk = max(self.brk, n) if self.length else 0

    def walk(self, node: Node, pre: bool = False, list_kind: str = "") -> None:
        for ch in node.children:
            if isinstance(ch, str):
                self.text(ch, pre)
            else:
                self.element(ch, pre, list_kind)

    def element(self, n: Node, pre: bool, list_kind: str) -> None:
        tag = n.tag
        if tag in SKIP:
            return
        if tag == "br":
            self.brk = min(2, self.brk + 1) if self.length else 0
            return
        if tag in PARAGRAPH:
            self.brk_at_least(2)
        elif tag in LINE:
            self.brk_at_least(1)
        if tag == "li":
            self.text("1." if list_kind == "ol" else "-", pre=True)
            self.space = True
        marker = [None] if tag in ("blockquote", "a") else None
        if marker:
            self.open.append(marker)
        self.walk(n, pre or tag == "pre", tag if tag in ("ul", "ol") else list_kind)
        if marker:
            self.open.remove(marker)
            self._close_span(tag, n, marker[0])
        if tag in PARAGRAPH:
            self.brk_at_least(2)
        elif tag in LINE:
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
        quotes = sorted(self.quotes, key=lambda q: (q.start, q.end))
        outer = [q for q in quotes if not any(o is not q and o.start <= q.start and q.end <= o.end
                                              for o in quotes)]  # a quote inside a quote is one passage
        return "".join(self.parts), outer, sorted(self.links, key=lambda ln: (ln.start, ln.end))


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
    return n.tag == "article" or any(COMMENT_CLASS_RE.match(c) for c in n.classes()) or \
        "schema.org/comment" in n.attrs.get("itemtype", "").lower()


def _find(n: Node, test) -> Node | None:
    """The first descendant passing `test`, not looking inside nested comments."""
    for ch in n.children:
        if isinstance(ch, Node) and not _is_comment(ch):
            if test(ch):
                return ch
            found = _find(ch, test)
            if found:
                return found
    return None


def _plain(n: Node | None) -> str | None:
    if n is None:
        return None
    return " ".join(node_to_text(n)[0].split()) or None


def _without(n: Node, drop) -> Node:
    """A copy of `n` without nested comments and without children that `drop` names."""
    kept = [ch if isinstance(ch, str) else _without(ch, drop) for ch in n.children
            if isinstance(ch, str) or not (_is_comment(ch) or drop(ch))]
    return Node(n.tag, n.attrs, kept)


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

    def visit(n: Node, parent: str | None) -> None:
        for ch in n.children:
            if not isinstance(ch, Node) or ch.tag in SKIP:
                continue
            if _is_comment(ch):
                stated = ch.attrs.get("data-parent") or ch.attrs.get("data-parent-id")
                fields = _comment_fields(ch, stated or parent, base_url)
                if fields["text"].strip():
                    out.append(fields)
                visit(ch, fields["id"] or parent)
            else:
                visit(ch, parent)

    visit(root, None)
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
