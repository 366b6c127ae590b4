"""Per-comment concept ranking: termhood x frequency in the comment x mild rarity in the corpus."""

from __future__ import annotations

import math
from collections import Counter

from ..models import Comment, Mention, Subject


def rank_concepts(comments: list[Comment], mentions: list[Mention], max_per_comment: int,
                  words: dict[str, int] | None = None) -> tuple[list[Mention], list[Subject], list[Subject]]:
    """Keep each comment's best concepts: termhood x frequency in the comment x mild rarity in the corpus.
    `words`: each comment's length in words, where the caller has counted them."""
    per_comment = _concept_tallies(mentions)
    df = Counter(eid for by_ent in per_comment.values() for eid in by_ent)  # comments using each concept
    n = max(1, len(comments))
    idf = {eid: math.log((n + 1) / (d + 0.5)) / math.log(n + 1.5) for eid, d in df.items()}
    rarity = {eid: 0.75 + 0.25 * v for eid, v in idf.items()}  # the factors of the weight below, worked out
    frequency = _FrequencyFactor()                               # once per concept and per count, not per use
    if words is None:
        words = {c.id: len(c.text.split()) for c in comments}
    keep: set[tuple[str, str]] = set()
    subjects: list[Subject] = []
    features: list[Subject] = []  # a wider set (twice the budget) that related() compares comments by
    for cid, by_ent in per_comment.items():
        # (-weight, id) sorts best first, ties by id; weight = score * (1 + 0.5 log tf) * (0.75 + 0.25 idf)
        ranked = sorted((-round(score * frequency[tf] * rarity[eid], 4), eid) for eid, (tf, score) in by_ent.items())
        # a longer comment discusses more: one more concept per 20 words (set on the real pages of
        # ../shared/eval/real, where it raised recall from 0.68 to 0.73 at a junk rate of 0.02)
        budget = max(5, min(max_per_comment, 6 + words.get(cid, 0) // 20))
        best = -ranked[0][0] if ranked else 1.0
        for i, (neg, eid) in enumerate(ranked[:2 * budget]):
            if -neg < 0.3:
                break
            # built from values checked above (ids, a weight in 0..1): validating each again costs more than ranking
            s = Subject.computed(cid, eid, round(min(1.0, -neg / best), 3))
            features.append(s)
            if i < budget:
                keep.add((cid, eid))
                subjects.append(s)
    kept = [m for m in mentions if m.kind != "concept" or (m.comment_id, m.entity_id) in keep]
    order = lambda s: (s.comment_id, -s.weight, s.entity_id)  # noqa: E731
    return kept, sorted(subjects, key=order), sorted(features, key=order)


class _FrequencyFactor(dict):
    """tf -> 1 + 0.5 log tf, each computed on first use (a comment's counts are few small numbers)."""

    def __missing__(self, tf: float) -> float:
        value = self[tf] = 1 + 0.5 * math.log(tf)
        return value


def _concept_tallies(mentions: list[Mention]) -> dict[str, dict[str, list[float]]]:
    """comment -> concept -> [occurrences (a quoted one counts half), best score]."""
    tallies: dict[str, dict[str, list[float]]] = {}
    for m in mentions:
        if m.kind != "concept":
            continue
        by_ent = tallies.get(m.comment_id)
        if by_ent is None:
            by_ent = tallies[m.comment_id] = {}
        tally = by_ent.get(m.entity_id)
        if tally is None:
            by_ent[m.entity_id] = [0.5 if m.in_quote else 1.0, m.score]
        else:
            tally[0] += 0.5 if m.in_quote else 1.0
            if m.score > tally[1]:
                tally[1] = m.score
    return tallies
