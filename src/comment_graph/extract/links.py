"""Hyperlinks the input's markup kept (HTML `<a href>`, Markdown `[text](url)`): each names a work
(a post, paper, video, page) with its URL, or a forum user by their profile link.

The anchor text is the evidence span. A generic anchor ("here", "this post") gives no title;
the resolver then takes the title a work pattern found just before it ("Geoffrey Miller’s
post here"), or the title the URL's slug spells, or the URL.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Comment, Mention
from ..urls import classify, descriptive
from . import Extractor, register
from .context import Context

NAME = "links"


def find_links(c: Comment, ctx: Context) -> Iterator[Mention]:
    for link in c.links:
        anchor = c.text[link.start:link.end]
        start = link.start + len(anchor) - len(anchor.lstrip())
        end = link.end - (len(anchor) - len(anchor.rstrip()))
        if end <= start:
            continue  # an image link: nothing in the text to point at
        surface = c.text[start:end]
        target = classify(link.url)
        if target is None:
            continue  # a malformed URL (the reader warned of it): the anchor stays plain text
        if target.kind == "comment":
            continue  # a link to another comment is a thread relation, not a work
        if target.kind == "user":
            yield Mention.found(comment_id=c.id, kind="person", surface=surface, start=start, end=end, extractor=NAME,
                          score=0.95, key=" ".join(surface.lstrip("@").split()) if descriptive(surface)
                          else target.handle, attrs={"form": "profile-link", "handle": target.handle or ""})
            continue
        named = descriptive(surface)
        title = surface.strip(" “”\"") if named else (target.title or target.url)
        attrs = {"title": title, "url": target.url, "link": "1"}
        if not named:
            attrs["generic"] = "1"
        yield Mention.found(comment_id=c.id, kind="work", surface=surface, start=start, end=end, extractor=NAME,
                      score=0.9, key=target.key,
                      attrs=attrs)


register(Extractor(NAME, ("work", "person"), find_links))
