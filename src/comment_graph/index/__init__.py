"""The query index: `index.sqlite` in a build's output folder, so `related`, `comments-about`,
`comments-mentioning` and `near` answer a 100,000-comment build in well under a second instead
of loading its graph.json (600 MB, a minute).

Why one SQLite file (the standard library's `sqlite3`, nothing to install):
- the four questions are lookups by key (an entity by label or alias, a comment by id, the
  mentions of one entity, the comments of one comment's words): B-trees answer them reading a
  few pages, from a cold process, with no parsing of the rest;
- `related()`'s sparse matrices are stored as one BLOB per row and per column (int32 indices,
  float64 values, little-endian): a query reads the query comment's rows and the columns those
  rows use, exactly the slices `related.py` takes from its scipy matrices in memory, and sums
  them in the same order, so scores agree to the last bit without importing scipy;
- it is one file, so it joins the folder's atomic output set like graph.json (staged under a
  temporary name, moved in with the rest); .npy files would need a folder of them, and
  memory-mapping buys little over reading the few columns a query needs;
- it is deterministic: the same rows inserted in the same order by the same SQLite library, in
  one transaction with no journal, give the same bytes (tests build twice and compare).

The index does not replace graph.json (the record `load()` and `--append` read); it is made from
the same graph at the same time and carries a fingerprint of the graph.json it was made with
(`fingerprint`), so an index left beside a graph.json it does not belong to is never used.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

INDEX_FILE = "index.sqlite"
FORMAT = "comment-graph-index"
VERSION = 1
SAMPLES = 16         # blocks of graph.json hashed into its fingerprint
SAMPLE_BYTES = 1 << 16


def fingerprint(path: Path) -> str:
    """A cheap, deterministic identity of a graph.json: its size and the SHA-256 of 16 blocks of
    64 KiB spread over it (1 MB read, a millisecond; hashing all 600 MB took over a second). Any
    rebuild changes the size or those bytes; only a hand edit that keeps both could pass."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with open(path, "rb") as f:
        for i in range(SAMPLES):
            f.seek(max(0, size - SAMPLE_BYTES) * i // (SAMPLES - 1))
            digest.update(f.read(SAMPLE_BYTES))
    return f"{size}:{digest.hexdigest()}"
