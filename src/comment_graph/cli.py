"""The `comment-graph` command: thin adapters over the Python API. Nothing else prints."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from .choices import INPUT_FORMATS
from .errors import CommentGraphError
from .rows import hits_rows as _hits
from .rows import output_options, render_rows
from .runtime import signals_stop_like_ctrl_c

NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click 8.2 and later


def fail(message: str) -> NoReturn:
    """The README's promise for every error: one line on stderr, `error: …`, exit code 1."""
    click.echo("error: " + " ".join(message.splitlines()), err=True)
    sys.exit(1)


def friendly_errors(f):
    """Turn CommentGraphError (and a few OS errors) into one line on stderr and exit code 1."""
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except CommentGraphError as e:
            fail(str(e))
        except click.ClickException:  # a usage error (`--bind x`): OneLineErrors reports it
            raise
        except KeyboardInterrupt as e:  # Ctrl-C, or Stopped by SIGTERM or SIGHUP (see main)
            signum = getattr(e, "signum", signal.SIGINT)
            click.echo(f"{'interrupted' if signum == signal.SIGINT else 'stopped by ' + str(e)}; "
                       "outputs left as they were", err=True)
            sys.exit(128 + signum)
        except Exception as e:  # a bug: still one line, unless the user asks for the traceback
            if os.environ.get("COMMENT_GRAPH_DEBUG"):
                raise
            click.echo(f"error: unexpected {type(e).__name__}: {e} (set COMMENT_GRAPH_DEBUG=1 for the traceback; "
                       "please report it)", err=True)
            sys.exit(2)
    return wrapper


class OneLineErrors(click.Group):
    """Click's own usage errors (a bad option value, an unknown option, a missing argument) print
    a usage block and exit 2; here they are one `error:` line and exit 1 like every other error."""

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            with signals_stop_like_ctrl_c():  # `kill` and a closed terminal clean up as Ctrl-C does
                code = super().main(*args, standalone_mode=False, **kwargs)  # --help, --version: 0
        except NO_ARGS_IS_HELP as e:  # `comment-graph` alone: the help, as before click 8.2
            click.echo(e.ctx.get_help())
            sys.exit(0)
        except click.ClickException as e:
            fail(_usage_message(e))
        except (click.Abort, KeyboardInterrupt) as e:  # stopped while click still reads the command line
            click.echo("interrupted", err=True)
            sys.exit(128 + getattr(e, "signum", signal.SIGINT))
        sys.exit(code if isinstance(code, int) else 0)


def _usage_message(e: click.ClickException) -> str:
    """Click's message (naming the option and what it accepts), and where to read more."""
    ctx = getattr(e, "ctx", None)
    more = f" (see '{ctx.command_path} --help')" if isinstance(e, click.UsageError) and ctx else ""
    return e.format_message().rstrip(".") + more


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="comment-graph")
def main() -> None:
    """Turn discussion comments into a knowledge graph with evidence for every link."""


class _ProgressBar:
    """A one-line bar per stage on stderr, shown only once a build has run for a moment
    (short builds stay quiet) and only on a terminal."""

    DELAY = 1.5

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.stage_start: dict[str, float] = {}
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        self.stage_start.setdefault(stage, now)
        finished = done >= total
        if now - self.started < self.DELAY or (not finished and now - self.last < 0.2):
            return
        self.last = now
        width = 30
        filled = int(width * done / total) if total else width
        elapsed = now - self.stage_start[stage]
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = f"  ETA {int((total - done) / rate)}s" if rate and not finished else ""
        line = f"\r{stage:8} [{'#' * filled}{'-' * (width - filled)}] {done:,}/{total:,} {rate:,.0f}/s{eta}"
        click.echo(line.ljust(80), err=True, nl=finished)


def _progress_printer(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    return _ProgressBar()


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder for graph.ttl and graph.html.")
@click.option("--input-format", "input_format", type=click.Choice(["auto", *INPUT_FORMATS]), default="auto",
              show_default=True, help="Input format (the API's input_format); auto detects it from the file.")
@click.option("--format", "old_input_format", type=click.Choice(["auto", *INPUT_FORMATS]), default=None,
              hidden=True, help="The former name of --input-format (--format now always means output rows).")
@click.option("--segmenter", type=click.Choice(["auto", "paragraph"]), default="auto", show_default=True,
              help="How to split flat text into comments.")
@click.option("--people", "people_files", multiple=True, type=click.Path(path_type=Path),
              help="Extra people file (JSON: name, aliases, same_as). Repeatable.")
@click.option("--vocab", "vocab_files", multiple=True, type=click.Path(path_type=Path),
              help="Extra SKOS vocabulary (Turtle). Repeatable.")
@click.option("--page-author", default=None, help="The page's author, when the page header does not name one.")
@click.option("--rdf", "rdf_formats", default="ttl", show_default=True,
              help="RDF files to write, comma-separated: ttl, nt, jsonld.")
@click.option("--store", "with_store", is_flag=True,
              help="Also load the graph into an Oxigraph store in DIR/store (fast SPARQL for large corpora).")
@click.option("--base-iri", default=None, help="Base for the IRIs the graph mints.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes for extraction, and helpers for writing (large corpora; results are identical).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where extraction runs: this machine, or a Dask cluster (pip install 'comment-graph[dask]'); "
                   "the outputs are the same.")
@click.option("--scheduler", default=None, help="The Dask scheduler's address (--engine dask); without it a local "
                                                "cluster of max(2, --jobs) worker processes runs the build.")
@click.option("--strict", is_flag=True, help="Fail on a malformed JSON line instead of skipping it.")
@click.option("--allow-empty", is_flag=True,
              help="Build (or append) even when the inputs hold no comments; by default that is an error and "
                   "--out is left as it was.")
@click.option("--append", "append_", is_flag=True,
              help="Add INPUTS to the graph already in --out (extracting only the new comments, with that "
                   "build's options).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@friendly_errors
def build(inputs, out_dir, input_format, segmenter, people_files, vocab_files, page_author, rdf_formats, with_store,
          base_iri, jobs, engine, scheduler, strict, allow_empty, append_, quiet, old_input_format):
    """Build the graph of INPUTS (default: the bundled sample page) into --out."""
    from .api import append, write
    from .api import build as build_graph
    from .compute import engine_session
    from .config import DEFAULT_BASE_IRI

    input_format = old_input_format or input_format
    if append_ and not inputs:
        raise click.UsageError("--append needs the INPUTS to add")
    # the build and its write share one cluster (the RDF's ranges of comments are written on it)
    with engine_session(engine, scheduler, jobs) if engine == "dask" else contextlib.nullcontext():
        if append_:
            kg = append(out_dir, list(inputs), progress=_progress_printer(quiet), jobs=jobs, engine=engine, scheduler=scheduler,
                        input_format=input_format, strict=strict, allow_empty=allow_empty)
        else:
            kg = build_graph(list(inputs) or None, input_format=input_format, segmenter=segmenter,
                             people_files=list(people_files), vocab_files=list(vocab_files), page_author=page_author,
                             strict=strict, base_iri=DEFAULT_BASE_IRI if base_iri is None else base_iri, jobs=jobs,
                             engine=engine, scheduler=scheduler, allow_empty=allow_empty, progress=_progress_printer(quiet))
        paths = write(kg, out_dir, rdf=tuple(f.strip() for f in rdf_formats.split(",") if f.strip()), store=with_store,
                      progress=_progress_printer(quiet))
    if quiet:
        return
    for w in kg.warnings:
        click.echo(f"warning: {w}", err=True)
    s = kg.summary()
    click.echo(f"Read {', '.join(f'{p} ({f})' for p, f in zip(s.inputs, s.formats))}")
    click.echo(f"Found {s.comments} comments, " + ", ".join(
        f"{n} {k}{'' if n == 1 else 's'}" for k, n in s.counts.items()))
    for kind, rows in s.top.items():
        if rows:
            click.echo(f"  top {kind}s: " + "; ".join(f"{r.label} ({r.comments})" for r in rows))
    for path in paths.values():
        click.echo(f"Wrote {path}")


def _is_built(source: Path | None) -> bool:
    """A built output folder or its graph.json (read, not rebuilt); None is the bundled sample."""
    return source is not None and (source.is_dir() or source.name.endswith("graph.json"))


def _graph(source: Path | None):
    """A built output folder or graph.json is loaded; anything else (None: the sample) is built."""
    from .api import build as build_graph
    from .api import load

    return load(source) if _is_built(source) else build_graph(source)


def _answers(source: Path | None):
    """What answers related, comments-about, comments-mentioning and near: a built folder's index
    (index.sqlite, a few pages read) when it has one made with its graph.json, else the graph
    itself (graph.json loaded: a minute at 100,000 comments; or an input, built now)."""
    if not _is_built(source):
        return _graph(source)
    from .errors import GraphIndexError
    from .index.read import open_index

    try:
        index = open_index(source)
    except GraphIndexError as e:
        warning = f"warning: {e}; answering from graph.json instead"
    else:
        if index is not None:
            return index
        warning = (f"note: {source} has no index.sqlite (an earlier version built it); answered from graph.json, "
                   "slow for a large build: rebuild to add the index")
    kg = _graph(source)  # said once it loaded: an error loading it stays the one line printed
    click.echo(warning, err=True)
    return kg


def _bindings(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{pair}' is not NAME=VALUE", param_hint="--bind")
        out[name.strip().lstrip("?")] = value
    return out


@main.command()
@click.argument("args", nargs=-1)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@click.option("--bind", "binds", multiple=True, metavar="NAME=VALUE",
              help="Bind a query variable to a string value (repeatable); never pasted into the query.")
@output_options
@friendly_errors
def query(args, list_queries, binds, fmt):
    """Run SPARQL over a built graph: `query SOURCE "SELECT ..."` or `query NAME SOURCE`.

    SOURCE is a .ttl/.nt/.jsonld file, an Oxigraph store folder, or an output folder (its store
    if it has one, else its graph.ttl). NAME is a named query (see --list); the standard
    prefixes are declared for you."""
    from .sparql import named_queries
    from .sparql import query as run_query

    if list_queries:
        click.echo(render_rows([{"name": n, "description": d} for n, (d, _) in named_queries().items()], fmt))
        return
    if len(args) != 2:
        raise click.UsageError("give SOURCE and a query (text or name), or --list")
    first, second = args
    source, text = (second, first) if first in named_queries() else (first, second)
    click.echo(render_rows(run_query(source, text, _bindings(binds)), fmt))


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("comment_id")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=5, show_default=True, help="How many results.")
@click.option("--min-score", type=float, default=0.05, show_default=True, help="Drop results scoring below this.")
@output_options
@friendly_errors
def related(source, comment_id, k, min_score, fmt):
    """Comments related to COMMENT_ID (an id, or '#N' for the N-th comment) in SOURCE.

    SOURCE is an input file (built now) or an output folder (its graph.json, no rebuild)."""
    kg = _answers(source)
    rows = [{"comment_id": r.comment_id, "score": r.score,
             "reasons": "; ".join(f"{x.signal}: {x.label} (+{x.contribution})" for x in r.reasons[:4]),
             "preview": r.preview} for r in kg.related(comment_id, k=k, min_score=min_score)]
    click.echo(render_rows(rows, fmt))


@main.command()
@click.argument("source", type=click.Path(path_type=Path), required=False)
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=None,
              help="The page to write (default: SOURCE/graph.html or SOURCE/around-KIND-NAME-dN.html for a "
                   "built folder, output/INPUT-STEM[-around-KIND-NAME-dN].html otherwise).")
@click.option("--around", default=None, help="Only the part of the graph around this person, concept or work.")
@click.option("--depth", type=click.IntRange(1, 6), default=2, show_default=True, help="Links out from --around.")
@click.option("--graphml", type=click.Path(path_type=Path), default=None, help="Also write GraphML (for Gephi).")
@friendly_errors
def html(source, out_file, around, depth, graphml):
    """Write the HTML page of SOURCE, whole or around one entity: an output folder (its graph.json,
    no rebuild), an input file (built now) or, when omitted, the bundled sample."""
    from .export.folder import page_lock, page_path
    from .export.html import MAX_PAGE_COMMENTS, write_html
    from .export.nx import write_graphml

    kg = centre = None
    if around:  # the page is named by the entity found (its unique id), however it was asked for
        kg = _graph(source)
        centre = kg.find_entity(around)
    page = out_file or page_path(source, _is_built(source), centre and centre.id, depth)
    with page_lock(page):
        kg = kg.around(centre.id, depth) if centre else _graph(source)
        written = write_html(kg, page, heading=centre and f"Around {centre.label}, depth {depth}")
    near = f", around {centre.label}" if centre else ""
    held = min(len(kg.comments), MAX_PAGE_COMMENTS)  # what the page carries (it says so when it holds fewer)
    of = f" of {len(kg.comments):,}" if held < len(kg.comments) else ""
    click.echo(f"Wrote {written} ({held:,}{of} comment{'s' * (len(kg.comments) != 1)}, "
               f"{len(kg.entities):,} entit{'ies' if len(kg.entities) != 1 else 'y'}{near})")
    if graphml:
        click.echo(f"Wrote {write_graphml(kg, graphml)}")


@main.command()
@click.argument("source", type=click.Path(path_type=Path), default=Path("output"))
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (localhost by default).")
@friendly_errors
def serve(source, port, host):
    """Serve SOURCE's Oxigraph store read-only as a SPARQL 1.1 endpoint (http://HOST:PORT/query)."""
    from .server import serve_store

    serve_store(source, host, port, on_ready=lambda url: click.echo(f"SPARQL endpoint at {url}/query (Ctrl-C stops)"))


@main.command()
@click.argument("source", type=click.Path(path_type=Path), default=Path("output"))
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://localhost:3030/ds/data.")
@click.option("--graph", "graph_iri", default=None, help="Named graph to replace (default: the default graph).")
@friendly_errors
def push(source, endpoint, graph_iri):
    """Load SOURCE's graph.ttl into any store that speaks the SPARQL 1.1 Graph Store Protocol."""
    from .server import push_graph

    n = push_graph(source, endpoint, graph_iri)
    click.echo(f"Pushed {n:,} bytes of Turtle to {endpoint}")


def _limit(f):
    """`-k N` of comments-about and comments-mentioning: the first N comments (all by default; a
    concept of a 100,000-comment build can be in 30,000, and printing those takes seconds)."""
    return click.option("-k", "k", type=click.IntRange(1), default=None, help="At most this many comments "
                        "(the most central first).  [default: all]")(f)


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("concept")
@_limit
@output_options
@friendly_errors
def comments_about(source, concept, k, fmt):
    """Comments about CONCEPT in SOURCE (an output folder or an input), with the words as evidence."""
    click.echo(_hits(_answers(source).comments_about(concept, k), fmt))


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("name")
@_limit
@output_options
@friendly_errors
def comments_mentioning(source, name, k, fmt):
    """Comments that name NAME (a person, organization or work), with the words as evidence."""
    click.echo(_hits(_answers(source).comments_mentioning(name, k), fmt))


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("name")
@click.option("-k", "k", type=click.IntRange(1, 1000), default=10, show_default=True)
@output_options
@friendly_errors
def near(source, name, k, fmt):
    """People near a person, or concepts near a concept: named in the same comments (or linked)."""
    click.echo(_hits(_answers(source).near(name, k), fmt))


# The former names of comments-about and comments-mentioning, kept working (not listed).
main.add_command(click.Command("about", params=comments_about.params, callback=comments_about.callback,
                               help=comments_about.help, hidden=True))
main.add_command(click.Command("mentions", params=comments_mentioning.params, callback=comments_mentioning.callback,
                               help=comments_mentioning.help, hidden=True))


if __name__ == "__main__":  # python -m comment_graph.cli
    main()
