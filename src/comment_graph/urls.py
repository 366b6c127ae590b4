"""What a link points at: a paper (arXiv, DOI), a forum post, a user's profile, or another page.

`classify(url)` normalises the URL (tracking parameters and fragments dropped, arXiv
versions dropped, DOIs lower-cased, forum post links reduced to their post id) and
gives the key two links must share to name the same work; a URL the standard library
cannot split (an unclosed IPv6 bracket, `http://[zz]/`) classifies as None: its words
stay text. `split_url` and `join_url` are the only ways the package splits and joins URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import SplitResult, parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

ARXIV_ID_RE = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?")
DOI_RE = re.compile(r"(10\.\d{4,9}/[^\s?#]+)")
FORUM_HOSTS = {"lesswrong.com": "lesswrong", "alignmentforum.org": "lesswrong",
               "forum.effectivealtruism.org": "eaforum", "greaterwrong.com": "lesswrong"}
CANONICAL_HOST = {"lesswrong": "www.lesswrong.com", "eaforum": "forum.effectivealtruism.org"}
TRACKING = re.compile(r"^(utm_\w+|ref|ref_src|fbclid|gclid|mc_cid|mc_eid|s|si|source)$")
GENERIC_ANCHORS = {"here", "this", "that", "link", "source", "this post", "this paper", "this one", "post", "paper",
                   "article", "this article", "the post", "the paper", "this comment", "comment", "thread",
                   "this thread", "see here", "click here", "pdf", "arxiv", "video", "this video", "blog", "website"}


@dataclass(frozen=True)
class LinkTarget:
    url: str                  # canonical URL
    key: str                  # identity of the thing linked: 'arxiv:2210.01790', 'doi:10.1000/abc', a URL
    kind: str                 # 'work', 'user' or 'comment'
    title: str | None = None  # a title the URL itself gives (a slug), when it gives one
    handle: str | None = None  # for 'user'


def split_url(url: str) -> SplitResult | None:
    """The URL's parts, or None for a URL one hostile comment can hold but urllib refuses with a
    ValueError (an unclosed or non-address IPv6 bracket, a host NFKC turns into '/' or '#'): one
    bad link must never end a build."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def join_url(base: str | None, href: str) -> str:
    """`href` resolved against a page's `base`; as given when either is malformed (see split_url),
    so the reader keeps it and the link check names it."""
    if not base:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return href


def _slug_title(slug: str) -> str | None:
    words = re.sub(r"[-_+]+", " ", unquote(slug)).strip()
    words = re.sub(r"\.(html?|pdf|php|aspx?)$", "", words)
    if not words or not re.search(r"[A-Za-z]{2}", words) or re.fullmatch(r"[0-9a-f]{6,}|[A-Za-z0-9]{15,20}", words):
        return None
    return words[:1].upper() + words[1:]


def _host(netloc: str) -> str:
    host = netloc.lower().split("@")[-1].split(":")[0]
    return host[4:] if host.startswith("www.") else host


@lru_cache(maxsize=65536)
def classify(url: str) -> LinkTarget | None:
    parts = split_url(url.strip())
    if parts is None:
        return None
    host, path = _host(parts.netloc), parts.path
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    if host.endswith("arxiv.org"):
        m = ARXIV_ID_RE.search(path)
        if m and re.match(r"/(abs|pdf|html|format)/", path):
            aid = m.group(1)
            return LinkTarget(f"https://arxiv.org/abs/{aid}", f"arxiv:{aid}", "work", f"arXiv:{aid}")
    doi = DOI_RE.search(unquote(path)) if host in ("doi.org", "dx.doi.org") or "/doi/" in path else None
    if doi:
        d = doi.group(1).rstrip(".").lower()
        for prefix in ("full/", "abs/", "pdf/", "epdf/"):
            d = d.replace(f"/{prefix}", "/")
        return LinkTarget(f"https://doi.org/{d}", f"doi:{d}", "work", f"doi:{d}")
    forum = next((name for h, name in FORUM_HOSTS.items() if host == h or host.endswith("." + h)), None)
    if forum:
        return _forum(forum, path, dict(query), parts.fragment)
    if host == "news.ycombinator.com":
        q = dict(query)
        if path == "/user" and q.get("id"):
            return LinkTarget(f"https://news.ycombinator.com/user?id={q['id']}", f"hn:user:{q['id']}", "user",
                              handle=q["id"])
        if path == "/item" and q.get("id"):
            return LinkTarget(f"https://news.ycombinator.com/item?id={q['id']}", f"hn:item:{q['id']}", "work")
    if host in ("youtube.com", "m.youtube.com", "youtu.be"):
        vid = dict(query).get("v") if host != "youtu.be" else path.strip("/")
        if vid:
            return LinkTarget(f"https://www.youtube.com/watch?v={vid}", f"youtube:{vid}", "work")
    canonical = urlunsplit((parts.scheme.lower() or "https", parts.netloc.lower(), path.rstrip("/") or "/",
                            urlencode(query), ""))
    last = next((seg for seg in reversed(path.split("/")) if seg), "")
    return LinkTarget(canonical, canonical, "work", _slug_title(last) if last else None)


def _forum(forum: str, path: str, query: dict[str, str], fragment: str) -> LinkTarget:
    host = CANONICAL_HOST[forum]
    segs = [s for s in path.split("/") if s]
    if len(segs) >= 2 and segs[0] == "posts":
        post_id, slug = segs[1], segs[2] if len(segs) > 2 else ""
        if query.get("commentId"):
            cid = query["commentId"]
            return LinkTarget(f"https://{host}/posts/{post_id}/{slug}?commentId={cid}".replace("/?", "?"),
                              f"{forum}:comment:{cid}", "comment")
        return LinkTarget(f"https://{host}/posts/{post_id}/{slug}".rstrip("/"), f"{forum}:post:{post_id}", "work",
                          _slug_title(slug) if slug else None)
    if len(segs) >= 2 and segs[0] in ("users", "user"):
        return LinkTarget(f"https://{host}/users/{segs[1]}", f"{forum}:user:{segs[1]}", "user", handle=segs[1])
    if len(segs) >= 2 and segs[0] == "s":
        return LinkTarget(f"https://{host}/s/{segs[1]}", f"{forum}:sequence:{segs[1]}", "work")
    canonical = f"https://{host}/{'/'.join(segs)}"
    return LinkTarget(canonical, canonical, "work", _slug_title(segs[-1]) if segs else None)


def descriptive(anchor: str) -> bool:
    """Whether a link's anchor text can serve as the title of what it links to."""
    a = " ".join(anchor.split()).strip(" .,:;()[]\"“”'’")
    if len(a) < 3 or a.lower() in GENERIC_ANCHORS or re.fullmatch(r"\[?\d+\]?", a):
        return False
    return not (a.startswith(("http://", "https://", "www.")) or (" " not in a and "/" in a and "." in a))


def handle_key(name: str) -> str:
    """A forum handle and a display name compare equal once case, spaces and punctuation are gone."""
    return re.sub(r"[\W_]+", "", name.lstrip("@")).lower()
