"""Forum export shapes: the LessWrong / Alignment Forum / EA Forum GraphQL comment, and the
Hacker News API item (the official Firebase API, and Algolia's nested `children` form).

Both carry HTML bodies; they become plain text with quote and link spans (html.py).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from ..urls import split_url
from .html import html_to_text
from .markdown import markdown_to_text

HN_BASE = "https://news.ycombinator.com/"
LW_BASE = "https://www.lesswrong.com/"
LW_HINTS = {"_id", "htmlBody", "parentCommentId", "postedAt", "pageUrl", "contents"}
HN_TYPES = {"comment", "story", "job", "poll", "pollopt"}


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow")


class ForumUser(_Shape):
    displayName: str | None = None
    username: str | None = None


class ForumPost(_Shape):
    title: str | None = None
    pageUrl: str | None = None
    slug: str | None = None


class LessWrongComment(_Shape):
    """A comment of the LessWrong / Alignment Forum / EA Forum GraphQL API, as exported."""

    id: str | None = Field(default=None, alias="_id")
    htmlBody: str | None = None
    contents: dict[str, Any] | None = None
    user: ForumUser | None = None
    post: ForumPost | None = None
    pageUrl: str | None = None
    parentCommentId: str | None = None
    postedAt: str | None = None


class HackerNewsItem(_Shape):
    """An item of the Hacker News API (Firebase), or of Algolia's search API (nested `children`)."""

    id: int | str | None = None
    by: str | None = None
    author: str | None = None
    text: str | None = None
    parent: int | str | None = None
    parent_id: int | str | None = None
    time: int | None = None
    type: str | None = None
    deleted: bool | None = None
    dead: bool | None = None
    title: str | None = None
    url: str | None = None
    children: list["HackerNewsItem"] | None = None


def check_shape(model: type[BaseModel], obj: dict[str, Any], path: str, line: int | None) -> None:
    """Wrong types in a forum record fail with the field's name, not deep inside a converter."""
    try:
        model.model_validate(obj)
    except ValidationError as e:
        err = e.errors()[0]
        raise InputError(err["msg"][:1].lower() + err["msg"][1:], path=path, line=line,
                         field=".".join(str(x) for x in err["loc"])) from None


def looks_like_lesswrong(obj: dict[str, Any]) -> bool:
    return len(LW_HINTS & set(obj)) >= 2 or "htmlBody" in obj


def looks_like_hn(obj: dict[str, Any]) -> bool:
    return ("by" in obj and "id" in obj) or ("story_id" in obj and "author" in obj) or \
        (obj.get("type") in HN_TYPES and ("time" in obj or "created_at_i" in obj))


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _body(html: Any, base: str) -> dict[str, Any]:
    if not isinstance(html, str):
        return {"text": html}  # let validation name the wrong type
    text, quotes, links = html_to_text(html, base)
    return {"text": text, "quotes": quotes, "links": links}


def lesswrong_shape(obj: dict[str, Any], path: str, line: int | None) -> tuple[dict[str, Any] | None, set[str]]:
    check_shape(LessWrongComment, obj, path, line)
    page = obj.get("pageUrl") if isinstance(obj.get("pageUrl"), str) else None
    parts = split_url(page) if page else None  # None also for a malformed pageUrl: links resolve on LessWrong
    base = f"{parts.scheme}://{parts.netloc}/" if parts and parts.netloc else LW_BASE
    if "htmlBody" in obj:
        body, used = _body(obj["htmlBody"], base), {"htmlBody"}
    elif isinstance(_get(obj, "contents", "html"), str):
        body, used = _body(_get(obj, "contents", "html"), base), {"contents"}
    elif isinstance(_get(obj, "contents", "markdown"), str):
        text, quotes, links = markdown_to_text(_get(obj, "contents", "markdown"))
        body, used = {"text": text, "quotes": quotes, "links": links}, {"contents"}
    else:
        body, used = {"text": obj.get("body", obj.get("text"))}, {"body", "text"}
    user = obj.get("user")
    author = (_get(user, "displayName") or _get(user, "username")) if isinstance(user, dict) else user
    post = obj.get("post") if isinstance(obj.get("post"), dict) else {}
    post_url = post.get("pageUrl") or (f"{base}posts/{post['_id']}/{post.get('slug', '')}".rstrip("/")
                                       if post.get("_id") else None)
    fields = {"id": obj.get("_id"), "author": author or obj.get("author"), **body,
              "post_title": post.get("title"), "post_url": post_url, "url": page,
              "parent_id": obj.get("parentCommentId"), "created_at": obj.get("postedAt")}
    used |= {"_id", "user", "author", "post", "pageUrl", "parentCommentId", "postedAt", "userId", "postId"}
    return {k: v for k, v in fields.items() if v is not None or k == "text"}, used


def hn_expand(obj: Any, parent: Any = None, story: dict | None = None):
    """An Algolia item with nested `children`, flattened; each child learns its parent and story."""
    if not isinstance(obj, dict):
        yield obj
        return
    if story is None and obj.get("type") in ("story", "poll", "job"):
        story = {"title": obj.get("title"), "id": obj.get("id")}
    children = obj.get("children")
    flat = {k: v for k, v in obj.items() if k != "children"}
    if parent is not None and "parent_id" not in flat and "parent" not in flat:
        flat["parent"] = parent
    if story and obj.get("type") == "comment":
        flat.setdefault("story_title", story["title"])
        flat.setdefault("story_id", story["id"])
    yield flat
    for child in children if isinstance(children, list) else ():
        yield from hn_expand(child, obj.get("id"), story)


def _hn_time(obj: dict[str, Any]) -> Any:
    t = obj.get("time", obj.get("created_at_i"))
    if isinstance(t, (int, float)) and not isinstance(t, bool):
        try:
            return datetime.fromtimestamp(t, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return t  # a timestamp no calendar holds: validation names the field
    return obj.get("created_at", t)


def hn_shape(obj: dict[str, Any], path: str, line: int | None) -> tuple[dict[str, Any] | None, set[str]]:
    used = {"id", "by", "author", "text", "comment_text", "parent", "parent_id", "time", "created_at",
            "created_at_i", "type", "kids", "deleted", "dead", "story_id", "story_title", "title", "url",
            "score", "points", "descendants", "story_url", "objectID", "_tags", "options"}
    check_shape(HackerNewsItem, obj, path, line)
    text = obj.get("text", obj.get("comment_text"))
    kind = obj.get("type", "comment")
    if obj.get("deleted") or obj.get("dead") or (kind != "comment" and not text) or kind == "pollopt":
        return None, used
    item = obj.get("id", obj.get("objectID"))
    story_id = obj.get("story_id", item if kind != "comment" else None)
    title = obj.get("story_title") or (obj.get("title") if kind != "comment" else None)
    fields = {"id": item, "author": obj.get("by", obj.get("author")), **_body(text, HN_BASE),
              "post_title": title, "post_url": f"{HN_BASE}item?id={story_id}" if story_id else None,
              "url": f"{HN_BASE}item?id={item}" if item is not None else None,
              "parent_id": obj.get("parent", obj.get("parent_id")) if kind == "comment" else None,
              "created_at": _hn_time(obj)}
    if fields["parent_id"] == story_id:
        fields["parent_id"] = None  # a top-level comment replies to the story, which is no comment here
    return {k: v for k, v in fields.items() if v is not None or k == "text"}, used
