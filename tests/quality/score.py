"""The project's own scorer for the pages in this folder (gold in the same JSON shape as the
project's evaluation files): segmentation, quotes, people, works and concepts, per comment.

It reads the built graph through the Python API, so CI guards the numbers without any
file outside the repository.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).replace("’", "'").lower().lstrip("@#")
    s = re.sub(r"[-_/]+", " ", s)
    s = re.sub(r"[^\w\s']", " ", s)
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in s.split())


def squash(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


def paragraphs(text: str, split: str) -> list[str]:
    pattern = r"\n" if split == "line" else r"\n\s*\n"
    return [p.strip() for p in re.split(pattern, text.replace("\r\n", "\n")) if p.strip()]


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else (1.0 if not fp and not fn else 0.0)


@dataclass
class Scores:
    exact_f1: float
    boundary_f1: float
    chrome_leaked: int
    quotes_f1: float
    people_f1: float
    works_f1: float
    concept_recall: float


def _owners(kg, paras):
    texts = {c.id: squash(c.text) for c in kg.comments}
    owner = {}
    for i, p in enumerate(paras):
        hits = [cid for cid, t in texts.items() if squash(p) in t]
        owner[i] = hits[0] if len(hits) == 1 else None
    return owner


def _names(kg, cid, kind):
    out = {}
    for m in kg.mentions_in(cid):
        e = kg.entities[m.entity_id]
        if e.kind == kind:
            out[e.id] = {norm(e.label), *(norm(a) for a in e.aliases)}
    return out


def _match(found: dict, gold: list[dict], key: str) -> tuple[int, int, int]:
    forms = [{norm(g[key]), *(norm(a) for a in g.get("aliases", []))} for g in gold]
    hit, fp = set(), 0
    for names in found.values():
        idx = [i for i, f in enumerate(forms) if names & f]
        if idx:
            hit.add(idx[0])
        else:
            fp += 1
    return len(hit), fp, len(gold) - len(hit)


def score(kg, gold: dict, text: str) -> Scores:
    paras = paragraphs(text, gold.get("paragraph_split", "blank-line"))
    owner = _owners(kg, paras)
    chrome = set(gold["chrome_paragraphs"])
    exact, gold_node = 0, {}
    for gc in gold["comments"]:
        nodes = {owner[i] for i in gc["paragraphs"]}
        node = nodes.pop() if len(nodes) == 1 else None
        if node and not [i for i, o in owner.items() if o == node and i not in gc["paragraphs"]]:
            exact += 1
        votes = [owner[i] for i in gc["paragraphs"] if owner[i]]
        gold_node[gc["id"]] = max(votes, key=lambda v: (votes.count(v), -votes.index(v))) if votes else None  # ties: the first
    of = {i: gc["id"] for gc in gold["comments"] for i in gc["paragraphs"]}
    body = [i for i in range(len(paras)) if i not in chrome]
    b = [0, 0, 0]
    for x, y in zip(body, body[1:]):
        g, f = of.get(x) != of.get(y), owner[x] != owner[y] or owner[x] is None
        b[0] += g and f
        b[1] += f and not g
        b[2] += g and not f
    gold_quotes = {squash(paras[i]) for gc in gold["comments"] for i in gc["quote_paragraphs"]}
    found_quotes = [squash(q.text) for c in kg.comments for q in c.quotes]
    q_tp = sum(any(f in g or g in f for g in gold_quotes) for f in found_quotes)
    q_fn = sum(not any(f in g or g in f for f in found_quotes) for g in gold_quotes)
    totals = {"person": [0, 0, 0], "work": [0, 0, 0], "concept": [0, 0, 0]}
    for gc in gold["comments"]:
        cid = gold_node[gc["id"]]
        for kind, items, key in (("person", gc["people"], "name"), ("work", gc["works"], "title"),
                                 ("concept", gc["core_concepts"], "label")):
            tp, fp, fn = _match(_names(kg, cid, kind) if cid else {}, items, key)
            totals[kind] = [a + b for a, b in zip(totals[kind], (tp, fp, fn))]
    c_tp, _, c_fn = totals["concept"]
    return Scores(exact_f1=f1(exact, len(kg.comments) - exact, len(gold["comments"]) - exact),
                  boundary_f1=f1(*b), chrome_leaked=sum(1 for i in chrome if owner[i]),
                  quotes_f1=f1(q_tp, len(found_quotes) - q_tp, q_fn), people_f1=f1(*totals["person"]),
                  works_f1=f1(*totals["work"]), concept_recall=c_tp / max(1, c_tp + c_fn))
