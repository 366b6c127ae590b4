#!/usr/bin/env python3
"""Hostile cases of issue #24, run against one source tree of comment-graph.

    .venv/bin/python benchmarks/hostile.py . [category ...] [-k SUBSTRING] [--full-kill] [--keep] [--json FILE]

A checker, not a test: the cases that can fail quickly are in tests/ (test_faults.py,
test_hostile_inputs.py, test_empty_and_graphml.py); this runs all 120, kills included (about 15
minutes), and can be pointed at an older checkout (SRC_DIR) to compare.

Every case runs `python -m comment_graph.cli ...` (the venv's python, PYTHONPATH=SRC_DIR/src)
in a subprocess, in its own temporary folder under /tmp, and prints one line:
category, name, PASS/FAIL and a short reason. A table of tried/passed per category ends the run.
Only the standard library is imported here; rdflib is used through the venv's python.

Categories: links deep surrogate state people options pipes empty jsonl graphml bytes kill
store serve (`--list` prints the cases). `kill` is the slow one: it measures a ~20,000-comment
build once per mode (store, no store, --jobs 2) and then kills copies of it; by default it runs
all signals x fractions for --store and a rotation of them for the two other modes
(`--full-kill`: every combination). HOSTILE_KILL_COMMENTS sets the corpus size.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

VENV_PY = sys.executable  # run it with the project's venv python: the cases use rdflib through it
MAKE_CORPUS = str(Path(__file__).resolve().parents[2] / "shared" / "bench" / "make_corpus.py")
CACHE = Path(tempfile.gettempdir()) / f"hostile-cache-{os.getuid()}"  # generated inputs only
CATEGORIES = ["links", "deep", "surrogate", "state", "people", "options", "pipes", "empty", "jsonl",
              "graphml", "bytes", "kill", "store", "serve"]

GOOD_TEXT = (
    "I think Yann LeCun is right about reinforcement learning here, and Ada Zebrafish agrees.\n\n"
    "Paul Christiano wrote about goal misgeneralization in his post on the Alignment Forum.\n\n"
    "Another point: interpretability research at Anthropic matters for reward hacking.\n"
)
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


# --------------------------------------------------------------------------- running things

@dataclass
class Run:
    rc: int | None          # None: timed out (and killed)
    out: str
    err: str
    secs: float

    @property
    def timed_out(self) -> bool:
        return self.rc is None

    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    def brief(self) -> str:
        first = (self.lines() or [""])[0]
        return f"exit {self.rc}, {len(self.lines())} stderr line(s): {first[:110]}"


class Ctx:
    def __init__(self, src: Path, keep: bool, full_kill: bool):
        self.src = src.resolve()
        self.py = VENV_PY
        self.env = dict(os.environ, PYTHONPATH=str(self.src / "src"), COLUMNS="200", PYTHONIOENCODING="utf-8")
        self.env.pop("COMMENT_GRAPH_DEBUG", None)
        self.keep = keep
        self.full_kill = full_kill
        self.fixtures: dict[str, object] = {}
        self.fixture_root = Path(tempfile.mkdtemp(prefix="hostile-fixtures-", dir="/tmp"))

    def cmd(self, *args: str) -> list[str]:
        return [self.py, "-m", "comment_graph.cli", *map(str, args)]

    def cli(self, *args, cwd: Path, timeout: float = 60, stdin=None, extra_env=None, prefix=()) -> Run:
        return run([*prefix, *self.cmd(*args)], cwd=cwd, timeout=timeout, stdin=stdin,
                   env=dict(self.env, **(extra_env or {})))

    def bash(self, script: str, cwd: Path, timeout: float = 60) -> Run:
        return run(["bash", "-c", script], cwd=cwd, timeout=timeout, env=self.env)

    def shell_cli(self) -> str:
        """The CLI as a shell word list, for bash -c cases."""
        return f"{self.py} -m comment_graph.cli"

    def fixture(self, name: str, make: Callable[[], object]):
        """Made once per run; a failure is remembered and re-raised for every case needing it."""
        if name not in self.fixtures:
            try:
                self.fixtures[name] = make()
            except Exception as e:  # noqa: BLE001
                self.fixtures[name] = SetupError(f"setup {name}: {e}")
        value = self.fixtures[name]
        if isinstance(value, SetupError):
            raise value
        return value


class SetupError(Exception):
    pass


def run(argv, *, cwd, timeout, env, stdin=None) -> Run:
    """Runs in its own session; on timeout the whole process group we started is killed."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        kill_group(p.pid)
        out, err = p.communicate()
        rc = None
    reap_session(p.pid)
    return Run(rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - t0)


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def reap_session(sid: int) -> None:
    """Kill what is left of a session we started (forked workers, servers) by process id."""
    for pid, _ in procs(sid=sid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def procs(needle: str | None = None, sid: int | None = None) -> list[tuple[int, str]]:
    """Live processes (not zombies) whose command line holds `needle` or whose session is `sid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        state, session = fields[0], int(fields[3])
        if state == "Z":
            continue
        if (needle and needle in cmdline) or (sid is not None and session == sid):
            found.append((int(entry), cmdline.strip()[:100]))
    return found


def kill_pids(found: list[tuple[int, str]]) -> None:
    for pid, _ in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --------------------------------------------------------------------------- checks

def one_error(r: Run) -> tuple[bool, str]:
    if r.timed_out:
        return False, "timeout"
    lines = r.lines()
    if r.rc == 1 and len(lines) == 1 and lines[0].startswith("error:"):
        return True, lines[0][:120]
    return False, r.brief()


def graph_made(r: Run, out: Path) -> tuple[bool, str]:
    if r.timed_out:
        return False, "timeout"
    if r.rc != 0:
        return False, r.brief()
    if not (out / "graph.ttl").is_file():
        return False, "exit 0 but no graph.ttl"
    warning = f"; {r.lines()[0][:70]}" if r.lines() else ""
    return True, f"exit 0, {comment_count(out)} comments{warning}"


def graph_or_error(r: Run, out: Path) -> tuple[bool, str]:
    """Exit 0 with a graph, or exit 1 with one `error:` line; never exit 2 (and never a hang)."""
    if r.rc == 0:
        return graph_made(r, out)
    return one_error(r)


def comments(out: Path) -> list[dict] | None:
    try:
        data = json.loads((out / "graph.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("comments"), list):
        return data["comments"]
    return None


def comment_count(out: Path) -> int | None:
    found = comments(out)
    return None if found is None else len(found)


def text_kept(out: Path, word: str) -> bool:
    found = comments(out)
    if found is None:
        return False
    return any(word in (c.get("text") or "") for c in found if isinstance(c, dict))


def sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def snapshot(out: Path) -> dict[str, str]:
    """Hash of every output file (store/ included), temporaries (dot names) left out."""
    hashes = {}
    for root, dirs, files in os.walk(out, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") and Path(root) == out:
                continue
            p = Path(root) / name
            hashes[str(p.relative_to(out))] = sha(p)
    return hashes


def diff_snapshots(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def temporaries(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".")) if out.is_dir() else []


def rdflib_count(ctx: Ctx, ttl: Path) -> int:
    code = ("import rdflib,sys; g=rdflib.Graph(); g.parse(sys.argv[1], format='turtle'); print(len(g))")
    r = run([ctx.py, "-c", code, str(ttl)], cwd=ttl.parent, timeout=600, env=dict(os.environ))
    if r.rc != 0:
        raise ValueError(f"rdflib cannot read {ttl.name}: {(r.lines() or ['?'])[-1][:100]}")
    return int(r.out.strip())


def query_count(ctx: Ctx, source: Path, timeout: float = 300) -> tuple[int | None, Run]:
    r = ctx.cli("query", source, COUNT_QUERY, "--format", "json", cwd=source.parent, timeout=timeout)
    if r.rc != 0:
        return None, r
    try:
        rows = json.loads(r.out)
        row = rows[0] if isinstance(rows, list) else rows["results"]["bindings"][0]
        value = row["n"]
        value = value["value"] if isinstance(value, dict) else value
        return int(value), r
    except (ValueError, KeyError, IndexError, TypeError):
        digits = "".join(ch for ch in r.out if ch.isdigit())
        return (int(digits) if digits else None), r


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, "utf-8")
    return path


def jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def corpus(n: int, seed: int = 1) -> Path:
    """A generated JSON Lines corpus (make_corpus.py, deterministic), cached across runs."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"corpus-{n}-{seed}.jsonl"
    if not path.exists():
        tmp = path.with_suffix(".part")
        with open(tmp, "wb") as f:
            subprocess.run([VENV_PY, MAKE_CORPUS, "--comments", str(n), "--format", "jsonl", "--seed", str(seed)],
                           stdout=f, check=True, timeout=600)
        tmp.rename(path)
    return path


def good_out(ctx: Ctx, store: bool = False) -> Path:
    """A previous good build of GOOD_TEXT (with a store if asked), made once per run."""
    def make() -> Path:
        d = ctx.fixture_root / ("good-store" if store else "good")
        page = write(d / "page.txt", GOOD_TEXT)
        r = ctx.cli("build", page, "--out", d / "out", *(["--store"] if store else []), cwd=d, timeout=300)
        ok, why = graph_made(r, d / "out")
        if not ok or not comment_count(d / "out"):
            raise SetupError(f"good build failed: {why}")
        return d / "out"
    return ctx.fixture("good-store" if store else "good", make)


def copy_out(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


# --------------------------------------------------------------------------- registry

@dataclass
class Case:
    category: str
    name: str
    fn: Callable[[Ctx, Path], tuple[bool, str]]


CASES: list[Case] = []


def case(category: str, name: str):
    def register(fn):
        CASES.append(Case(category, name, fn))
        return fn
    return register


def add(category: str, name: str, fn: Callable[[Ctx, Path], tuple[bool, str]]) -> None:
    CASES.append(Case(category, name, fn))


# --------------------------------------------------------------------------- links

BAD_URLS = {"ipv6-open": "http://[::1", "bracket": "http://[", "port": "http://a:99999999",
            "space": "http://exa mple.com", "percent": "https://%zz"}


def link_input(fmt: str, url: str) -> tuple[str, str, list[str]]:
    """(file name, content, extra args) with the bad URL and the marker word 'zebrafish'."""
    other = "Another reply about reinforcement learning by Paul Christiano."
    if fmt == "text":
        return "page.txt", f"I looked at {url} yesterday and the zebrafish page was odd.\n\n{other}\n", []
    if fmt == "markdown":
        return ("page.md", f"# Thread\n\nI looked at [the page]({url}) about zebrafish, and <{url}> too.\n\n"
                f"{other}\n", ["--input-format", "markdown"])
    if fmt == "html":
        return ("page.html", f'<html><body><div class="comment"><p>I looked at <a href="{url}">this page</a> '
                f'about zebrafish.</p></div><div class="comment"><p>{other}</p></div></body></html>\n',
                ["--input-format", "html"])
    if fmt == "jsonl-text":
        return "c.jsonl", jsonl([{"id": "a1", "author": "ann", "text": f"I looked at {url} about zebrafish."},
                                 {"id": "a2", "author": "bob", "text": other}]), []
    if fmt == "jsonl-links":
        text = "I looked at this page about zebrafish."
        return "c.jsonl", jsonl([{"id": "a1", "author": "ann", "text": text,
                                  "links": [{"start": 11, "end": 20, "url": url}]},
                                 {"id": "a2", "author": "bob", "text": other}]), []
    if fmt == "hn":
        items = [{"id": 1, "type": "comment", "by": "ann", "time": 1600000000, "parent": 9,
                  "text": f'I looked at <a href="{url}" rel="nofollow">{url}</a> about zebrafish.'},
                 {"id": 2, "type": "comment", "by": "bob", "time": 1600000100, "parent": 9, "text": other}]
        return "hn.json", json.dumps(items), ["--input-format", "hn"]
    raise ValueError(fmt)


def links_case(fmt: str, url: str):
    def fn(ctx: Ctx, d: Path):
        name, content, extra = link_input(fmt, url)
        src = write(d / name, content)
        r = ctx.cli("build", src, "--out", d / "out", *extra, cwd=d)
        ok, why = graph_made(r, d / "out")
        if ok and not text_kept(d / "out", "zebrafish"):
            return False, "graph written but the comment text was lost"
        return ok, why
    return fn


for _key, _url in BAD_URLS.items():
    add("links", f"text-{_key}", links_case("text", _url))
for _fmt, _key in [("markdown", "ipv6-open"), ("markdown", "port"), ("html", "ipv6-open"), ("html", "space"),
                   ("jsonl-text", "ipv6-open"), ("jsonl-text", "percent"), ("jsonl-links", "ipv6-open"),
                   ("jsonl-links", "bracket"), ("hn", "ipv6-open"), ("hn", "port")]:
    add("links", f"{_fmt}-{_key}", links_case(_fmt, BAD_URLS[_key]))


# --------------------------------------------------------------------------- deep

def nested(n: int) -> str:
    return "[" * n + "]" * n


def deep_case(kind: str, n: int):
    def fn(ctx: Ctx, d: Path):
        good = {"id": "ok1", "author": "ann", "text": "A plain comment about reinforcement learning."}
        if kind == "json-doc":
            src = write(d / "deep.json", "[" * n + json.dumps({"id": "d1", "text": "Deep comment about zebrafish."})
                        + "]" * n)
        elif kind == "jsonl-line":
            src = write(d / "deep.jsonl", json.dumps(good) + "\n" + nested(n) + "\n")
        elif kind == "jsonl-extra":
            line = json.dumps({"id": "d1", "text": "Deep comment about zebrafish."})[:-1] + f', "deep": {nested(n)}}}'
            src = write(d / "deep.jsonl", json.dumps(good) + "\n" + line + "\n")
        elif kind == "html":
            src = write(d / "deep.html", "<html><body>" + "<div>" * n + "<p>Deep comment about zebrafish.</p>"
                        + "</div>" * n + "</body></html>\n")
        else:
            raise ValueError(kind)
        r = ctx.cli("build", src, "--out", d / "out", cwd=d, timeout=60)
        ok, why = graph_or_error(r, d / "out")
        return ok, f"{why} ({r.secs:.0f} s)"
    return fn


for _kind, _depths in [("json-doc", (1000, 5000, 100000)), ("jsonl-line", (1000, 5000, 100000)),
                       ("jsonl-extra", (1000, 5000, 100000)), ("html", (600, 5000, 100000))]:
    for _n in _depths:
        add("deep", f"{_kind}-{_n}", deep_case(_kind, _n))


# --------------------------------------------------------------------------- surrogate

def surrogate_case(fld: str):
    def fn(ctx: Ctx, d: Path):
        rec = {"id": "s1", "author": "bob", "post_title": "A post", "text": "Hello about zebrafish.", "mood": "ok"}
        key = {"author": "author", "title": "post_title", "id": "id", "text": "text", "unknown": "mood"}[fld]
        line = json.dumps(rec).replace(f'"{key}": "{rec[key]}"', f'"{key}": "{rec[key]}\\ud800x"')
        assert "\\ud800" in line
        src = write(d / "s.jsonl", line + "\n" + json.dumps({"id": "s2", "text": "Another comment."}) + "\n")
        r = ctx.cli("build", src, "--out", d / "out", cwd=d)
        return graph_or_error(r, d / "out")
    return fn


for _f in ("author", "title", "id", "text", "unknown"):
    add("surrogate", _f, surrogate_case(_f))


# --------------------------------------------------------------------------- state

def bad_state(kind: str, ctx: Ctx) -> bytes:
    if kind == "list":
        return b"[]"
    if kind == "string":
        return b'"hello"'
    if kind == "object":
        return b"{}"
    if kind == "truncated":
        data = (good_out(ctx) / "graph.json").read_bytes()
        return data[: len(data) // 2]
    if kind == "binary":
        return bytes(range(256)) * 4
    raise ValueError(kind)


def state_case(kind: str, command: str):
    def fn(ctx: Ctx, d: Path):
        out = d / "out"
        write(out / "graph.json", bad_state(kind, ctx))
        if command == "append":
            page = write(d / "new.txt", GOOD_TEXT)
            r = ctx.cli("build", page, "--out", out, "--append", cwd=d)
        elif command == "related":
            r = ctx.cli("related", out, "#1", cwd=d)
        elif command == "about":
            r = ctx.cli("about", out, "reinforcement learning", cwd=d)
        else:
            r = ctx.cli("mentions", out, "Paul Christiano", cwd=d)
        return one_error(r)
    return fn


for _cmd in ("append", "related", "about", "mentions"):
    for _kind in ("list", "string", "object", "truncated", "binary"):
        add("state", f"{_cmd}-{_kind}", state_case(_kind, _cmd))


# --------------------------------------------------------------------------- people

PEOPLE = {
    "same-as-number": [{"name": "Ada Zebrafish", "aliases": ["Zebrafish"], "same_as": 42}],
    "empty-name": [{"name": "", "aliases": ["Zebrafish"]}],
    "empty-alias": [{"name": "Ada Zebrafish", "aliases": [""]}],
    "aliases-string": [{"name": "Ada Zebrafish", "aliases": "Ada"}],
    "same-as-space": [{"name": "Ada Zebrafish", "aliases": [], "same_as": "http://example.org/ada zebrafish"}],
    "unknown-key": [{"name": "Ada Zebrafish", "aliases": [], "colour": "red"}],
}


def people_case(key: str):
    def fn(ctx: Ctx, d: Path):
        page = write(d / "page.txt", GOOD_TEXT)
        if key == "directory":
            people = d / "people.json"
            people.mkdir()
        else:
            people = write(d / "people.json", json.dumps(PEOPLE[key]))
        r = ctx.cli("build", page, "--out", d / "out", "--people", people, cwd=d)
        return one_error(r)
    return fn


for _key in ("directory", *PEOPLE):
    add("people", _key, people_case(_key))


# --------------------------------------------------------------------------- options

def options_build(*args, pre: Callable[[Path], list] | None = None):
    def fn(ctx: Ctx, d: Path):
        page = write(d / "page.txt", GOOD_TEXT)
        extra = pre(d) if pre else []
        r = ctx.cli("build", *(a if a != "PAGE" else page for a in args), *extra, "--out", d / "out", cwd=d)
        return one_error(r)
    return fn


def unreadable(ctx: Ctx, d: Path):
    page = write(d / "page.txt", GOOD_TEXT)
    os.chmod(page, 0)
    prefix = ()
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        if not shutil.which("setpriv"):
            return False, "harness: running as root without setpriv"
        prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")
    r = ctx.cli("build", page, "--out", d / "out", cwd=d, prefix=prefix)
    return one_error(r)


def on_good_out(*args):
    """A command run on a copy of a good output folder; OUT in args is replaced by it."""
    def fn(ctx: Ctx, d: Path):
        out = copy_out(good_out(ctx), d / "out")
        r = ctx.cli(*(out if a == "OUT" else a for a in args), cwd=d)
        return one_error(r)
    return fn


def base_iri_urn(ctx: Ctx, d: Path):
    page = write(d / "page.txt", GOOD_TEXT)
    r = ctx.cli("build", page, "--out", d / "out", "--base-iri", "urn:x:", cwd=d)
    ok, why = graph_made(r, d / "out")
    if not ok:
        return ok, why
    try:
        n = rdflib_count(ctx, d / "out" / "graph.ttl")
    except ValueError as e:
        return False, str(e)
    return True, f"{why}; rdflib reads {n} triples"


add("options", "unreadable-input", unreadable)
add("options", "missing-input", lambda ctx, d: one_error(ctx.cli("build", d / "nope.txt", "--out", d / "out", cwd=d)))
add("options", "jobs-0", options_build("PAGE", "--jobs", "0"))
add("options", "jobs-minus-1", options_build("PAGE", "--jobs", "-1"))
add("options", "rdf-bogus", options_build("PAGE", "--rdf", "bogus"))
add("options", "vocab-not-turtle",
    options_build("PAGE", pre=lambda d: ["--vocab", write(d / "v.ttl", "this is { not turtle <<< at all ;;\n")]))
add("options", "base-iri-notaniri", options_build("PAGE", "--base-iri", "notaniri"))
add("options", "base-iri-space", options_build("PAGE", "--base-iri", "http://a b/"))
add("options", "unknown-option", options_build("PAGE", "--no-such-option"))
add("options", "query-bind-noequals", on_good_out("query", "OUT", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
                                                  "--bind", "noequals"))
add("options", "query-syntax-error", on_good_out("query", "OUT", "SELEC ?s WHERE { ?s ?p "))
add("options", "push-notaurl", on_good_out("push", "OUT", "--endpoint", "notaurl"))
add("options", "html-missing-dir",
    lambda ctx, d: one_error(ctx.cli("html", d / "missing-dir", "--out", d / "p.html", cwd=d)))
add("options", "base-iri-urn-x-colon", base_iri_urn)


# --------------------------------------------------------------------------- pipes

def pipe_result(r: Run, out: Path) -> tuple[bool, str]:
    ok, why = graph_made(r, out)
    if not ok:
        return ok, why
    n = comment_count(out)
    if not n:
        return False, f"exit 0 but {n} comments in graph.json"
    ttl = (out / "graph.ttl").read_text("utf-8", "replace")
    if "sioc:Post" not in ttl and "rdfs.org/sioc/ns#Post" not in ttl:
        return False, "graph.ttl has no sioc:Post"
    return True, why


def pipe_case(how: str):
    def fn(ctx: Ctx, d: Path):
        page = write(d / "page.txt", GOOD_TEXT)
        out = d / "out"
        if how == "dash":
            with open(page, "rb") as f:
                r = ctx.cli("build", "-", "--out", out, cwd=d, stdin=f)
        elif how == "dev-stdin":
            r = ctx.bash(f"{ctx.shell_cli()} build /dev/stdin --out '{out}' < '{page}'", cwd=d)
        elif how == "dev-stdin-pipe":
            r = ctx.bash(f"cat '{page}' | {ctx.shell_cli()} build /dev/stdin --out '{out}'", cwd=d)
        elif how == "process-substitution":
            r = ctx.bash(f"{ctx.shell_cli()} build <(cat '{page}') --out '{out}'", cwd=d)
        else:  # a FIFO fed by a background writer
            fifo = d / "page.fifo"
            os.mkfifo(fifo)

            def feed():
                with open(fifo, "wb") as f:
                    f.write(GOOD_TEXT.encode())
            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            r = ctx.cli("build", fifo, "--out", out, cwd=d, timeout=30)
            if writer.is_alive():  # never opened: unblock the writer
                fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
                writer.join(2)
                os.close(fd)
        return pipe_result(r, out)
    return fn


for _how in ("dash", "dev-stdin", "dev-stdin-pipe", "process-substitution", "fifo"):
    add("pipes", _how, pipe_case(_how))


# --------------------------------------------------------------------------- empty

EMPTY_INPUTS = {
    "furniture": ("page.txt", "Load More\n\nShare\n\nReply\n"),
    "scripts-only": ("page.html", "<html><head><script>var a = 1;</script></head><body>"
                                  "<script>document.title = 'x';</script></body></html>\n"),
    "whitespace": ("page.txt", "   \n\n\t\n   \n\n"),
}


def empty_case(key: str, allow: bool = False, store: bool = False):
    def fn(ctx: Ctx, d: Path):
        out = copy_out(good_out(ctx, store=store), d / "out")
        before = snapshot(out)
        name, content = EMPTY_INPUTS[key]
        src = write(d / name, content)
        flags = (["--allow-empty"] if allow else []) + (["--store"] if store else [])
        r = ctx.cli("build", src, "--out", out, *flags, cwd=d)
        if allow:
            if r.rc == 0:
                return True, f"exit 0, {comment_count(out)} comments"
            return False, r.brief() if not r.timed_out else "timeout"
        ok, why = one_error(r)
        changed = diff_snapshots(before, snapshot(out))
        if r.rc == 0:
            why = f"exit 0 with {comment_count(out)} comments" + (", previous outputs replaced" if changed else "")
        if ok and changed:
            return False, f"refused but outputs changed: {', '.join(changed[:4])}"
        return ok, why
    return fn


def many_words(ctx: Ctx, d: Path):
    words = ["apple", "banana", "cherry", "delta", "echo", "foxtrot", "golf", "hotel"]
    src = write(d / "words.txt", "".join(words[(i * 7 + i // 8) % 8] + "\n" for i in range(200_000)))
    r = ctx.cli("build", src, "--out", d / "out", cwd=d, timeout=600)
    ok, why = graph_made(r, d / "out")
    n = comment_count(d / "out")
    if ok and not n:
        return False, f"exit 0 with {n} comments (empty graph written silently)"
    return ok, f"{why} ({r.secs:.0f} s; one-word lines are comments, so a graph is right)"


for _key in EMPTY_INPUTS:
    add("empty", f"{_key}-refused", empty_case(_key))
for _key in EMPTY_INPUTS:
    add("empty", f"{_key}-allow-empty", empty_case(_key, allow=True))
add("empty", "furniture-refused-store", empty_case("furniture", store=True))
add("empty", "200k-one-word-lines", many_words)


# --------------------------------------------------------------------------- jsonl

def jsonl_case(where: str, strict: bool):
    def fn(ctx: Ctx, d: Path):
        good = [json.dumps({"id": f"j{i}", "author": "ann", "text": f"Comment {i} about reinforcement learning."})
                for i in range(3)]
        broken = '{"id": "bad", "text": "this line is cut'
        lines = [broken, *good] if where == "first" else [good[0], broken, *good[1:]]
        src = write(d / "c.jsonl", "\n".join(lines) + "\n")
        r = ctx.cli("build", src, "--out", d / "out", *(["--strict"] if strict else []), cwd=d)
        if strict:
            return one_error(r)
        ok, why = graph_made(r, d / "out")
        if ok and not r.lines():
            return False, "exit 0 but no warning"
        if ok and comment_count(d / "out") != 3:
            return False, f"exit 0 but {comment_count(d / 'out')} comments (3 expected)"
        return ok, why
    return fn


for _where in ("first", "later"):
    add("jsonl", f"broken-{_where}", jsonl_case(_where, False))
    add("jsonl", f"broken-{_where}-strict", jsonl_case(_where, True))


# --------------------------------------------------------------------------- graphml

def graphml_case(char: str):
    def fn(ctx: Ctx, d: Path):
        src = write(d / "c.jsonl", jsonl([
            {"id": "g1", "author": "ann", "text": f"Alarm{char}bell about Paul Christiano and reinforcement learning."},
            {"id": "g2", "author": "bob", "text": "Another comment about reinforcement learning."}]))
        out = d / "out"
        r = ctx.cli("build", src, "--out", out, cwd=d)
        if r.rc != 0:
            return False, f"build: {r.brief() if not r.timed_out else 'timeout'}"
        note = ""
        r = ctx.cli("html", out, "--out", d / "page.html", "--graphml", d / "g.graphml", cwd=d)
        if r.rc != 0:  # older trees take no output folder: give the input instead
            note = " (html OUT failed, input used)"
            r = ctx.cli("html", src, "--out", d / "page.html", "--graphml", d / "g.graphml", cwd=d)
        if r.rc != 0 or not (d / "g.graphml").is_file():
            return False, f"html --graphml: {r.brief() if not r.timed_out else 'timeout'}"
        try:
            ET.parse(d / "g.graphml")
        except ET.ParseError as e:
            return False, f"invalid XML: {e}{note}"
        return True, f"XML parses{note}"
    return fn


for _name, _char in [("bell", "\x07"), ("nul", "\x00"), ("escape", "\x1b"), ("u-fffe", "\ufffe")]:
    add("graphml", _name, graphml_case(_char))


# --------------------------------------------------------------------------- bytes

OUT_FILES = ("graph.ttl", "graph.json", "graph.html")


def same_bytes(a: Path, b: Path) -> tuple[bool, str]:
    differ = [n for n in OUT_FILES if not (a / n).is_file() or not (b / n).is_file() or sha(a / n) != sha(b / n)]
    return (not differ), ("identical" if not differ else f"differ: {', '.join(differ)}")


def bytes_folders(kind: str):
    def fn(ctx: Ctx, d: Path):
        if kind == "text":
            content = GOOD_TEXT.encode()
            name = "page.txt"
        else:
            content = corpus(2000).read_bytes()
            name = "c.jsonl"
        a, b = d / "one" / "x", d / "two" / "deeper" / "y"
        write(a / name, content)
        write(b / name, content)
        r1 = ctx.cli("build", name, "--out", "out", cwd=a, timeout=300)           # relative paths
        r2 = ctx.cli("build", b / name, "--out", b / "out", cwd=d, timeout=300)    # absolute paths
        for r in (r1, r2):
            if r.rc != 0:
                return False, "timeout" if r.timed_out else r.brief()
        return same_bytes(a / "out", b / "out")
    return fn


def bytes_jobs(ctx: Ctx, d: Path):
    src = corpus(2000)
    r1 = ctx.cli("build", src, "--out", d / "j1", "--jobs", "1", cwd=d, timeout=300)
    r2 = ctx.cli("build", src, "--out", d / "j2", "--jobs", "2", cwd=d, timeout=300)
    for r in (r1, r2):
        if r.rc != 0:
            return False, "timeout" if r.timed_out else r.brief()
    ok, why = same_bytes(d / "j1", d / "j2")
    return ok, f"{why} ({r1.secs:.0f} s / {r2.secs:.0f} s)"


add("bytes", "two-folders-text", bytes_folders("text"))
add("bytes", "two-folders-2000", bytes_folders("jsonl"))
add("bytes", "jobs-1-vs-2-2000", bytes_jobs)


# --------------------------------------------------------------------------- kill

KILL_MODES = {"store": ["--store"], "nostore": [], "jobs2": ["--jobs", "2"]}
SIGNALS = {"KILL": signal.SIGKILL, "TERM": signal.SIGTERM, "INT": signal.SIGINT}
FRACTIONS = (0.3, 0.6, 0.9)
KILL_DEFAULT = {"store": [(s, f) for s in SIGNALS for f in FRACTIONS],
                "nostore": [("KILL", 0.9), ("TERM", 0.3), ("INT", 0.6)],
                "jobs2": [("KILL", 0.3), ("KILL", 0.6), ("TERM", 0.6), ("INT", 0.9)]}


@dataclass
class KillSetup:
    big: Path
    small: Path
    golden: Path                      # a previous good build with a store
    golden_hashes: dict[str, str]
    secs: dict[str, float] = field(default_factory=dict)       # mode -> normal duration
    ref: dict[str, dict[str, str]] = field(default_factory=dict)  # mode -> hashes of a full new build
    ref_count: int | None = None      # triples of the full new graph (from its store)


def kill_setup(ctx: Ctx, mode: str) -> KillSetup:
    """The previous good build (made once), and the normal duration and outputs of a full build
    in `mode` (measured once per mode, when a case of that mode first needs it)."""
    def make() -> KillSetup:
        n = int(os.environ.get("HOSTILE_KILL_COMMENTS", "20000"))
        root = ctx.fixture_root / "kill"
        small = corpus(300, seed=2)
        golden = root / "golden"
        r = ctx.cli("build", small, "--out", golden, "--store", "-q", cwd=root.parent, timeout=600)
        if r.rc != 0:
            raise SetupError(f"previous build: {r.brief()}")
        return KillSetup(corpus(n), small, golden, snapshot(golden))

    def measure() -> float:
        out = copy_out(setup.golden, ctx.fixture_root / "kill" / f"measure-{mode}")
        r = ctx.cli("build", setup.big, "--out", out, "-q", *KILL_MODES[mode], cwd=out.parent, timeout=3600)
        if r.rc != 0:
            raise SetupError(f"normal {mode} build: {r.brief()}")
        setup.secs[mode] = r.secs
        setup.ref[mode] = {k: sha(out / k) for k in OUT_FILES}
        if "--store" in KILL_MODES[mode]:
            setup.ref_count, rq = query_count(ctx, out)
            if setup.ref_count is None:
                raise SetupError(f"count on the new store: {rq.brief()}")
        shutil.rmtree(out)
        print(f"   (kill setup: {mode} build of {setup.big.name} takes {r.secs:.0f} s)", flush=True)
        return r.secs

    setup = ctx.fixture("kill", make)
    ctx.fixture(f"kill-{mode}", measure)
    return setup


def kill_case(mode: str, sig_name: str, fraction: float):
    def fn(ctx: Ctx, d: Path):
        ks = kill_setup(ctx, mode)
        out = copy_out(ks.golden, d / "out")
        flags = KILL_MODES[mode]
        log = open(d / "build.log", "wb")
        p = subprocess.Popen(ctx.cmd("build", ks.big, "--out", out, "-q", *flags), cwd=d, env=ctx.env,
                             stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        notes = []
        try:
            try:
                p.wait(timeout=fraction * ks.secs[mode])
                notes.append("finished before the signal")
            except subprocess.TimeoutExpired:
                os.kill(p.pid, SIGNALS[sig_name])
            try:
                p.wait(timeout=60 + 0.5 * ks.secs[mode])
            except subprocess.TimeoutExpired:
                kill_group(p.pid)
                p.wait()
                return False, f"still running {60 + 0.5 * ks.secs[mode]:.0f} s after SIG{sig_name}"
            rc = p.returncode
            time.sleep(3)
            alive = procs(needle=str(d), sid=p.pid)
            kill_pids(alive)
        finally:
            log.close()
        problems = []
        if alive:
            problems.append(f"{len(alive)} process(es) of the build alive 3 s after it died")
        if sig_name != "KILL" and "finished before the signal" not in notes:
            if rc == 0:
                problems.append("exit 0 after the signal")
            if temporaries(out):
                problems.append(f"temporaries left: {', '.join(temporaries(out)[:3])}")
        # the previous set whole, or the new set whole and consistent (store included)
        after = snapshot(out)
        changed = diff_snapshots(ks.golden_hashes, after)
        if not changed:
            state = "previous outputs kept"
        else:
            new_files = all((out / k).is_file() and sha(out / k) == ks.ref[mode][k] for k in OUT_FILES)
            store_ok = True
            if new_files and ((out / "store").exists() or "--store" in flags):
                ref_count = kill_setup(ctx, "store").ref_count  # the new graph's triples
                n, _ = query_count(ctx, out)
                store_ok = n == ref_count
                if not store_ok:
                    problems.append(f"store answers {n} triples, new graph has {ref_count}")
            if new_files and store_ok:
                state = "new set complete"
            else:
                state = "mixed"
                if not new_files:
                    problems.append(f"mixed outputs (changed: {', '.join(changed[:3])}"
                                    f"{'...' if len(changed) > 3 else ''})")
        # the next normal build cleans up
        r = ctx.cli("build", ks.small, "--out", out, "-q", *flags, cwd=d, timeout=600)
        if r.rc != 0:
            problems.append(f"next build: {r.brief() if not r.timed_out else 'timeout'}")
        elif temporaries(out):
            problems.append(f"temporaries after the next build: {', '.join(temporaries(out)[:3])}")
        summary = f"rc {rc}, {state}" + (f", {notes[0]}" if notes else "")
        return (not problems), (summary if not problems else f"{'; '.join(problems)} [{summary}]")
    return fn


def kill_cases(full: bool) -> None:
    for mode in KILL_MODES:
        plan = [(s, f) for s in SIGNALS for f in FRACTIONS] if full else KILL_DEFAULT[mode]
        for sig_name, fraction in plan:
            add("kill", f"{mode}-{sig_name}-{int(fraction * 100)}", kill_case(mode, sig_name, fraction))


# --------------------------------------------------------------------------- store

def store_stale(ctx: Ctx, d: Path):
    out = d / "out"
    r = ctx.cli("build", corpus(200, seed=3), "--out", out, "--store", "-q", cwd=d, timeout=300)
    if r.rc != 0:
        return False, f"first build: {r.brief()}"
    r = ctx.cli("build", write(d / "page.txt", GOOD_TEXT), "--out", out, "-q", cwd=d)
    if r.rc != 0:
        return False, f"rebuild without --store: {r.brief()}"
    truth = rdflib_count(ctx, out / "graph.ttl")
    n, rq = query_count(ctx, out)
    if n is None:
        ok, why = one_error(rq)
        return ok, f"query refused: {why}" if ok else f"query: {why}"
    where = "store gone" if not (out / "store").exists() else "store kept"
    return n == truth, f"query answers {n}, graph.ttl holds {truth} ({where})"


def store_concurrent(ctx: Ctx, d: Path):
    out = d / "out"
    out.mkdir()
    procs_ = []
    for i, seed in enumerate((3, 4)):
        log = open(d / f"b{i}.err", "wb")
        procs_.append((subprocess.Popen(ctx.cmd("build", corpus(200 * (i + 1), seed=seed), "--out", out, "--store",
                                                "-q"), cwd=d, env=ctx.env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=log, start_new_session=True), log))
    runs = []
    for p, log in procs_:
        try:
            p.wait(timeout=600)
        except subprocess.TimeoutExpired:
            kill_group(p.pid)
            p.wait()
        log.close()
        err = Path(log.name).read_text("utf-8", "replace")
        runs.append(Run(p.returncode, "", err, 0.0))
    rcs = sorted(r.rc for r in runs)
    if rcs == [0, 1]:
        ok, why = one_error(next(r for r in runs if r.rc == 1))
        if not ok:
            return False, f"the refused build: {why}"
    elif rcs != [0, 0]:
        return False, "; ".join(r.brief() for r in runs)
    truth = rdflib_count(ctx, out / "graph.ttl")
    n, rq = query_count(ctx, out)
    return n == truth, f"exits {rcs}; store answers {n}, graph.ttl holds {truth}"


def store_bad_iri(ctx: Ctx, d: Path):
    """A same_as IRI with a space, with --store, over a previous good build with a store."""
    out = copy_out(good_out(ctx, store=True), d / "out")
    before = snapshot(out)
    people = write(d / "people.json", json.dumps(PEOPLE["same-as-space"]))
    r = ctx.cli("build", write(d / "page.txt", GOOD_TEXT), "--out", out, "--store", "--people", people, cwd=d)
    if r.rc != 0:
        ok, why = one_error(r)
        changed = diff_snapshots(before, snapshot(out))
        if ok and changed:
            return False, f"refused but outputs changed: {', '.join(changed[:3])}"
        return ok, why
    truth = rdflib_count(ctx, out / "graph.ttl")
    n, _ = query_count(ctx, out)
    return n == truth, f"exit 0; store answers {n}, graph.ttl holds {truth}"


add("store", "stale-store-after-plain-rebuild", store_stale)
add("store", "two-concurrent-store-builds", store_concurrent)
add("store", "bad-same-as-iri-with-store", store_bad_iri)


# --------------------------------------------------------------------------- serve

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_busy(ctx: Ctx, d: Path):
    out = copy_out(good_out(ctx, store=True), d / "out")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(5)
        port = s.getsockname()[1]
        r = ctx.cli("serve", out, "--port", str(port), cwd=d, timeout=20)
    return one_error(r)


def serve_signal(sig: signal.Signals):
    def fn(ctx: Ctx, d: Path):
        out = copy_out(good_out(ctx, store=True), d / "out")
        port = free_port()
        log = open(d / "serve.log", "wb")
        p = subprocess.Popen(ctx.cmd("serve", out, "--port", str(port)), cwd=d, env=ctx.env,
                             stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and p.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.3)
            if p.poll() is not None:
                return False, f"serve ended before the signal: {Path(log.name).read_text()[-120:].strip()}"
            servers = [x for x in procs(needle=str(d)) if x[0] != p.pid]
            if not servers:
                return False, "no server process found under serve"
            os.kill(p.pid, sig)
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                return False, f"serve still running 15 s after {sig.name}"
            left = []
            for _ in range(10 if sig == signal.SIGKILL else 5):  # 3 s after SIGKILL
                time.sleep(0.3)
                left = [x for x in procs(needle=str(d)) if x[0] != p.pid]
                if not left:
                    break
            kill_pids(left)
            if left:
                return False, f"{Path(left[0][1].split()[0]).name} (pid {left[0][0]}) still running after {sig.name} to serve"
            return True, f"serve rc {p.returncode}, server gone"
        finally:
            log.close()
            if p.poll() is None:
                kill_group(p.pid)
                p.wait()
            reap_session(p.pid)
    return fn


add("serve", "busy-port", serve_busy)
add("serve", "sigterm", serve_signal(signal.SIGTERM))
add("serve", "sighup", serve_signal(signal.SIGHUP))
add("serve", "sigkill", serve_signal(signal.SIGKILL))


# --------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, help="source tree (its src/ is put on PYTHONPATH)")
    ap.add_argument("categories", nargs="*", help=f"any of: {' '.join(CATEGORIES)} (default: all)")
    ap.add_argument("-k", dest="pattern", help="only cases whose name contains this")
    ap.add_argument("--full-kill", action="store_true", help="every signal x fraction for every kill mode")
    ap.add_argument("--keep", action="store_true", help="keep the cases' temporary folders")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args()
    unknown = [c for c in args.categories if c not in CATEGORIES]
    if unknown:
        ap.error(f"unknown categories: {', '.join(unknown)}")
    if not (args.src / "src" / "comment_graph").is_dir():
        ap.error(f"{args.src}/src/comment_graph: no such package")
    kill_cases(args.full_kill)
    chosen = [c for c in CASES if (not args.categories or c.category in args.categories)
              and (not args.pattern or args.pattern in c.name)]
    if args.list:
        for c in chosen:
            print(f"{c.category:10} {c.name}")
        return 0
    ctx = Ctx(args.src, args.keep, args.full_kill)
    print(f"# {ctx.src} ({len(chosen)} cases)", flush=True)
    results = []
    try:
        for c in chosen:
            d = Path(tempfile.mkdtemp(prefix=f"hostile-{c.category}-{c.name}-", dir="/tmp"))
            t0 = time.monotonic()
            try:
                ok, why = c.fn(ctx, d)
            except SetupError as e:
                ok, why = False, str(e)
            except subprocess.TimeoutExpired:
                ok, why = False, "timeout"
            except Exception as e:  # noqa: BLE001  (a harness fault is a FAIL, reported as such)
                ok, why = False, f"harness {type(e).__name__}: {e}"
            finally:
                if not ctx.keep:
                    shutil.rmtree(d, ignore_errors=True)
            why = " ".join(why.replace(str(d), "D").split())
            results.append({"category": c.category, "name": c.name, "pass": ok, "reason": why,
                            "secs": round(time.monotonic() - t0, 1)})
            print(f"{c.category:10} {c.name:36} {'PASS' if ok else 'FAIL'}  {why}", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    finally:
        if not ctx.keep:
            shutil.rmtree(ctx.fixture_root, ignore_errors=True)
    print()
    print(f"{'category':10} {'tried':>5} {'passed':>6}")
    total_tried = total_passed = 0
    for cat in CATEGORIES:
        rows = [r for r in results if r["category"] == cat]
        if rows:
            passed = sum(r["pass"] for r in rows)
            total_tried += len(rows)
            total_passed += passed
            print(f"{cat:10} {len(rows):5} {passed:6}")
    print(f"{'total':10} {total_tried:5} {total_passed:6}")
    if args.json:
        args.json.write_text(json.dumps({"src": str(ctx.src), "results": results}, indent=1))
    return 0 if total_passed == total_tried else 1


if __name__ == "__main__":
    sys.exit(main())
