"""How the commands print rows: `--format table|csv|json`, one option and one renderer for all."""

from __future__ import annotations

import csv
import io
import json

import click

FORMATS = ("table", "csv", "json")


def output_options(f):
    """`--format table|csv|json`, shared by every command that prints rows."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="How to print the rows.")(f)


def render_rows(rows: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2, default=str)
    cols = list(rows[0]) if rows else []
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return buf.getvalue().rstrip("\n")
    if not rows:
        return "(no rows)"
    cells = [[_cell(r.get(c)) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    line = lambda vals: "  ".join(v.ljust(w) for v, w in zip(vals, widths)).rstrip()  # noqa: E731
    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _cell(v) -> str:
    s = "" if v is None else str(v)
    s = " ".join(s.split())
    return s if len(s) <= 80 else s[:79] + "…"


def hits_rows(hits, fmt: str) -> str:
    """Hits (comments-about, comments-mentioning, near) as rows: two evidence snippets each."""
    rows = [{"id": h.id, "label": h.label, "score": h.score,
             "evidence": " | ".join(e.snippet for e in h.evidence[:2])} for h in hits]
    return render_rows(rows, fmt)
