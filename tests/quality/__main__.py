"""Print the quality table: `python -m tests.quality` from the repository root."""

import json
import sys
from dataclasses import asdict
from pathlib import Path

import comment_graph

sys.path.insert(0, str(Path(__file__).parent.parent))
from quality.score import score  # noqa: E402

folder = Path(__file__).parent
for gold_file in sorted(folder.glob("*.gold.json")):
    page = folder / gold_file.name.replace(".gold.json", ".txt")
    s = score(comment_graph.build(page), json.loads(gold_file.read_text(encoding="utf-8")),
              page.read_text(encoding="utf-8"))
    print(f"{page.stem:16}", "  ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                      for k, v in asdict(s).items()))
