"""The orchestrator: `build` and `append` chain the stages from inputs to a CommentGraph, `load`
reads one back, `write` chains the exporters into an output folder. Nothing else chains stages."""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from .compute import Engine, open_engine
from .compute.local import CHUNK
from .config import EXECUTION_OPTIONS, BuildConfig
from .errors import ConfigError, InputError, NoCommentsError
from .extract import get_extractor, run_extractors, surveys
from .extract.context import Context
from .graph import CommentGraph, InputInfo
from .ingest import Loaded
from .ingest import load as load_input
from .lexicon import load_lexicons
from .models import Comment, Mention, Quote
from .segment.quotes import quote_features
from .resolve import RESOLVE_STEPS, resolve
from .runtime import can_fork, freeze_survivors, shared_heap
from .segment import Segmentation, segment_text, split_paragraphs
from .text import digest, unique_ids

Progress = Callable[[str, int, int], None]


def load(path: str | Path) -> CommentGraph:
    """A graph built earlier: an output folder, or its graph.json (no extraction is re-run)."""
    from .export.state import load_state

    return load_state(path)


def sample_path() -> Path:
    """The bundled sample page (a researcher's profile page, scraped to plain text)."""
    return Path(str(resources.files("comment_graph.data").joinpath("byrnes_profile.txt")))


def _records_to_comments(loaded: Loaded, offset: int) -> list[Comment]:
    out = []
    for i, rec in enumerate(loaded.records):
        cid = rec.id or "c-" + digest(rec.text, 10)
        c = Comment(id=cid, text=rec.text, index=offset + i, source=loaded.name, author=rec.author,
                    post_title=rec.post_title, post_url=rec.post_url, url=rec.url, parent_id=rec.parent_id,
                    created_at=rec.created_at, links=rec.links, extra=rec.extra,
                    quotes=sorted((_markup_quote(rec.text, q.start, q.end) for q in rec.quotes), key=lambda q: q.start))
        out.append(c)
    return out


def _markup_quote(text: str, start: int, end: int) -> Quote:
    return Quote(start=start, end=end, text=text[start:end], score=1.0, reasons=["markup"])


def _quotes_in_record(c: Comment) -> list[Quote]:
    """Quote detection still runs on structured records, by paragraph, where the markup marked none."""
    paras = split_paragraphs(c.text)
    found = []
    if len(paras) < 2:
        return found  # a record's one paragraph is its own words: nothing to weigh it against
    for i, p in enumerate(paras):
        if c.in_quote(p.start, p.end):
            continue
        p.quote, p.quote_reasons = quote_features(paras, i, None)
        if p.quote >= 0.5:
            found.append(Quote(start=p.start, end=p.end, text=p.text, score=min(1.0, p.quote),
                               reasons=p.quote_reasons))
    return found


def _markup_spans(loaded: Loaded, comments: list[Comment]) -> None:
    """An HTML page read as flat text: its <blockquote> and <a href> spans, moved into the comments
    the segmenter cut (each comment's text is a slice of the page text)."""
    cursor = 0
    for c in comments:
        at = loaded.text.find(c.text, cursor)
        if at < 0:
            continue
        cursor, end = at + len(c.text), at + len(c.text)
        c.links = [ln.model_copy(update={"start": ln.start - at, "end": ln.end - at}) for ln in loaded.links
                   if at <= ln.start and ln.end <= end]
        marked = [_markup_quote(c.text, q.start - at, q.end - at) for q in loaded.quotes
                  if at <= q.start and q.end <= end]
        if marked:
            c.quotes = sorted(marked + [q for q in c.quotes if not any(m.start < q.end and q.start < m.end
                                                                       for m in marked)],
                              key=lambda q: q.start)


def _ingest(paths: Sequence[Path], config: BuildConfig, taken: Sequence[str] = (), progress: Progress | None = None
            ) -> tuple[list[Comment], list[Segmentation], list[InputInfo], list[str], set[int]]:
    """Read every input into comments; `taken` are ids already used (by the build appended to).
    Also returns which comments (positions in the list) came from records, whose quotes are
    detected later with the corpus survey (see `_context`), in parallel."""
    comments: list[Comment] = []
    records: set[int] = set()
    segs: list[Segmentation] = []
    infos: list[InputInfo] = []
    warnings: list[str] = []
    given: list[str] = []
    for p in paths:
        loaded = _load_one(p, config)
        warnings += loaded.warnings
        given.append(loaded.path)
        # outputs name an input by file name and content hash, never by where it sat: the same
        # input built on two machines gives the same bytes
        infos.append(InputInfo(loaded.name, loaded.format, loaded.sha256))
        if loaded.text is not None:
            seg = segment_text(loaded.text, loaded.name, strategy=config.segmenter, page_author=config.page_author,
                               progress=progress)
            _markup_spans(loaded, seg.comments)
            for c in seg.comments:
                c.index = len(taken) + len(comments)
                comments.append(c)
            segs.append(seg)
        else:
            records.update(range(len(comments), len(comments) + len(loaded.records)))
            comments += _records_to_comments(loaded, len(taken) + len(comments))
    if not comments and not config.allow_empty:
        # An empty graph would be written over the previous outputs, and exit 0: a page saved
        # wrong (all furniture, all scripts) would silently erase a good graph. Refused here,
        # before any output is touched.
        new, anyway = ("new ", "appends anyway") if taken else ("", "builds an empty graph anyway")
        raise InputError(f"no {new}comments found, only page furniture, markup or blank text; "
                         f"--allow-empty {anyway}", path=", ".join(given))
    _unique_ids(comments, taken)
    return comments, segs, infos, warnings, records


def _load_one(path: str | Path, config: BuildConfig):
    try:
        return load_input(path, config.input_format, strict=config.strict, max_chars=config.max_comment_chars,
                          allow_empty=config.allow_empty)
    except NoCommentsError as e:  # say what would build anyway
        raise NoCommentsError(f"{e.reason}; --allow-empty reads it as holding no comments",
                              path=e.path, line=e.line) from e


def _unique_ids(comments: list[Comment], taken: Sequence[str] = ()) -> None:
    for c, new in zip(comments, unique_ids([*taken, *(c.id for c in comments)])[len(taken):]):
        c.id = new


PARALLEL_MIN = 400   # below this many comments, starting processes costs more than it saves


def _parallel(config: BuildConfig, comments: list[Comment], engine: Engine) -> bool:
    """Whether the engine maps the stages over partitions (always, for a cluster) or this process
    runs them in one go."""
    return engine.ships or (config.jobs > 1 and len(comments) >= PARALLEL_MIN and can_fork())


def _extract_part(part: Sequence[Comment], start: int, own, *, shared) -> list[tuple]:
    """The mentions of a partition's comments, as rows: rows, not Mentions, cross the process
    boundary (a tuple pickles in a tenth of the time). `own`, for a partition shipped to a
    worker, is what the survey found in it (the broadcast context holds the corpus's names only)."""
    names, ctx = shared
    if own is not None:
        ctx = copy.copy(ctx)  # its cached patterns come along; only the partition's findings differ
        ctx.surveyed_full_names = dict(zip((c.id for c in part), own))
    return [m.as_row() for c in part for m in run_extractors(c, names, ctx)]


def _extract_all(comments: list[Comment], config: BuildConfig, ctx: Context, progress: Progress | None,
                 engine: Engine) -> list:
    """Run the extractors over every comment: in this process, or mapped over partitions by the
    engine (the per-comment stage is independent, so results are the same, in the same order)."""
    mentions: list = []
    if not _parallel(config, comments, engine):
        for i, c in enumerate(comments):
            mentions += run_extractors(c, config.extractors, ctx)
            if i % CHUNK == CHUNK - 1:
                freeze_survivors()  # called within the build's shared_heap, as below
            if progress:
                progress("extract", i + 1, len(comments))
        return mentions
    bounds, shared, own = engine.partitions(len(comments)), (config.extractors, ctx), None
    if engine.ships:  # each partition is sent its own survey findings, not the whole corpus's
        shared = (config.extractors, replace(ctx, surveyed_full_names={}))
        own = [[ctx.surveyed_full_names[c.id] for c in comments[a:b]] for a, b in bounds]
    if progress:  # the stage starts now, not when its first partition is done
        progress("extract", 0, len(comments))
    for done, rows in engine.map(_extract_part, comments, bounds, shared, own):
        mentions += map(Mention.from_row, rows)
        freeze_survivors()  # inside the build's shared_heap
        if progress:
            progress("extract", done, len(comments))
    return mentions


def _paths(sources) -> list[Path]:
    if sources is None:
        return [sample_path()]
    if isinstance(sources, (str, Path)):
        return [Path(sources)]
    return [Path(s) for s in sources]


def _config(config: BuildConfig | None, options: dict) -> BuildConfig:
    if config is not None:
        return config
    try:
        return BuildConfig(**options)
    except ValidationError as e:  # made one line: the option and what is wrong with it
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "options"
        raise ConfigError(f"{where}: {err['msg'].removeprefix('Value error, ')}") from None


def _context(comments: list[Comment], lex, page_author: str | None, page_titles: list[str],
             config: BuildConfig | None = None, records: set[int] = frozenset(),
             progress: Progress | None = None, engine: Engine | None = None) -> Context:
    """What extractors know of the whole corpus: names seen in full anywhere, the comment authors.
    The same pass over the comments detects the quotes of those at the positions in `records`."""
    ctx = Context(lex, page_author, page_titles)
    if progress:
        progress("survey", 0, len(comments))
    if engine is not None and config is not None and _parallel(config, comments, engine):
        bounds = engine.partitions(len(comments))
        own = [sorted(i for i in records if a <= i < b) for a, b in bounds] if records else [[]] * len(bounds)
        surveyed = engine.map(_survey_part, comments, bounds, ctx, own)
    else:
        surveyed = [(len(comments), _survey_part(comments, 0, sorted(records), shared=ctx))]
    ctx.corpus_full_names, ctx.cued_names = set(), set()
    start = 0
    for end, (names, quotes) in surveyed:
        for c, found in zip(comments[start:end], names):
            ctx.surveyed_full_names[c.id] = found
            for _, _, name in found:
                if name:  # (a cue's span whose word spreads nowhere has none)
                    (ctx.corpus_full_names if " " in name else ctx.cued_names).add(name)
        start = end
        for i, found in quotes:
            comments[i].quotes = sorted(comments[i].quotes + found, key=lambda q: q.start)
        if progress:
            progress("survey", end, len(comments))
    ctx.authors = {c.author for c in comments if c.author}
    names = {*ctx.authors, *(c.extra["author_name"] for c in comments if c.extra.get("author_name"))}
    ctx.corpus_full_names |= {a for a in names if " " in a and a[0].isupper()}
    return ctx


def _survey_part(part: Sequence[Comment], start: int, records: list[int], *, shared: Context
                 ) -> tuple[list[tuple[tuple[int, int, str], ...]], list[tuple[int, list[Quote]]]]:
    """The full names in each comment of a partition (where, and which), and the quotes found in
    those of them from records (`records`: their positions in the corpus, in order)."""
    hooks = surveys()
    names = [tuple(found for survey in hooks for found in survey(c.text, shared)) for c in part]
    quotes = [(i, found) for i in records for found in [_quotes_in_record(part[i - start])] if found]
    return names, quotes


APPEND_OPTIONS = ("jobs", "engine", "scheduler", "input_format", "strict", "allow_empty")  # what a build appended to an earlier one may choose


def build(sources: str | Path | Sequence[str | Path] | None = None, config: BuildConfig | None = None,
          *, progress: Progress | None = None, append_to: str | Path | None = None, **options) -> CommentGraph:
    """Build the graph of one or more input files (the bundled sample when none is given).

    Keyword options are BuildConfig fields, e.g. `build("page.txt", max_concepts_per_comment=8)`.
    `append_to` names an earlier build's output folder: the new inputs are added to it (see `append`).
    """
    if append_to is not None:
        ignored = sorted(set(options) - set(APPEND_OPTIONS)) + (["config"] if config is not None else [])
        if ignored:
            raise ConfigError(f"append_to keeps the earlier build's options; {', '.join(ignored)} cannot be "
                              f"given with it (only {', '.join(APPEND_OPTIONS)})")
        return append(append_to, sources, progress=progress, **options)
    config = _config(config, options)
    for name in config.extractors:
        get_extractor(name)  # fail before any work on a misspelt name
    with shared_heap():  # what each stage makes lives to the end: later collections need not scan it
        comments, segs, infos, warnings, records = _ingest(_paths(sources), config, progress=progress)
        page_author = config.page_author or next((s.page_author for s in segs if s.page_author), None)
        lex = _lexicons(config)
        page_titles = [t for s in segs for t in s.page_titles]
        with open_engine(config) as engine:
            ctx = _context(comments, lex, page_author, page_titles, config, records, progress, engine)
            freeze_survivors()
            raw = _extract_all(comments, config, ctx, progress, engine)
        freeze_survivors()
        return _resolved(comments, raw, lex, ctx, config, progress,
                         segmentation=[b for s in segs for b in s.boundaries], inputs=infos, warnings=warnings)


def _lexicons(config: BuildConfig):
    return load_lexicons(config.people_files, config.vocab_files, default_people=config.default_people,
                         default_vocab=config.default_vocab)


def _resolved(comments: list[Comment], raw: list, lex, ctx: Context, config: BuildConfig,
              progress: Progress | None = None, **parts) -> CommentGraph:
    from .related import text_matrix_meanwhile

    if progress:
        progress("resolve", 0, RESOLVE_STEPS)
    text = text_matrix_meanwhile(comments, config.jobs)  # on the other core: resolution runs on one
    res = resolve(comments, raw, lex, page_author=ctx.page_author, full_names=ctx.corpus_full_names,
                  max_concepts=config.max_concepts_per_comment, in_place=True,  # the rows are the build's own
                  progress=progress and functools.partial(progress, "resolve"))
    kg = CommentGraph(comments, res.entities, res.mentions, res.subjects, config=config,
                      page_author=ctx.page_author, features=res.features, feature_entities=res.feature_entities,
                      raw_mentions=res.raw, page_titles=ctx.page_titles, **parts)
    if text is not None:
        kg.prefetch_text(text)
    return kg


def append(out_dir: str | Path, sources: str | Path | Sequence[str | Path], *, progress: Progress | None = None,
           jobs: int = 1, engine: str = "local", scheduler: str | None = None, input_format: str = "auto",
           strict: bool = False, allow_empty: bool = False) -> CommentGraph:
    """The graph of an earlier build (its output folder) with more inputs added.

    Only the new comments go through extraction, with the earlier build's options; an
    earlier comment is extracted again only where the new comments taught the corpus a
    name it contains (a surname, an author's handle, a page title). Resolution then runs
    over every mention, so the result equals a build of all inputs at once; comment ids
    and the IRIs built from them are kept. Inputs that hold no new comment are refused unless
    `allow_empty`."""
    with shared_heap():  # as in build
        return _append(out_dir, sources, progress=progress, input_format=input_format, strict=strict,
                       allow_empty=allow_empty, run=dict(jobs=jobs, engine=engine, scheduler=scheduler))


def _append(out_dir: str | Path, sources, *, progress: Progress | None, input_format: str,
            strict: bool, allow_empty: bool, run: dict) -> CommentGraph:
    old = load(out_dir)
    if old.raw_mentions is None:
        raise InputError("this build keeps no extraction state to append to; rebuild it with this version",
                         path=str(out_dir))
    config = _config(None, old.config.model_dump(exclude=EXECUTION_OPTIONS) | run)  # validated: a scheduler needs dask
    reading = config.model_copy(update={"input_format": input_format, "strict": strict, "allow_empty": allow_empty})
    new, segs, infos, warnings, records = _ingest(_paths(sources), reading, taken=[c.id for c in old.comments],
                                                  progress=progress)
    comments = old.comments + new
    page_author = old.page_author or next((s.page_author for s in segs if s.page_author), None)
    lex = _lexicons(config)
    with open_engine(config) as engine:
        old_ctx = _context(old.comments, lex, old.page_author, old.page_titles, config, engine=engine)
        ctx = _context(comments, lex, page_author, old.page_titles + [t for s in segs for t in s.page_titles], config,
                       records={len(old.comments) + i for i in records}, engine=engine)
        stale = _stale(old.comments, old_ctx, ctx)
        redo = [c for c in old.comments if c.id in stale]
        fresh = _extract_all(redo + new, config, ctx, progress, engine)
    by_comment: dict[str, list] = {}
    for m in [m for m in old.raw_mentions if m.comment_id not in stale] + fresh:
        by_comment.setdefault(m.comment_id, []).append(m)
    raw = [m for c in comments for m in by_comment.get(c.id, [])]
    freeze_survivors()
    return _resolved(comments, raw, lex, ctx, config, progress, segmentation=old.segmentation + [b for s in segs for b in s.boundaries],
                     inputs=old.inputs + infos, warnings=warnings)


def _stale(comments: list[Comment], before: Context, after: Context) -> set[str]:
    """Earlier comments whose extraction the grown corpus could change."""
    if before.page_author != after.page_author:
        return {c.id for c in comments}
    words = (after.corpus_surnames - before.corpus_surnames) | (after.authors - before.authors)
    words |= {re.split(r"[_.\d]", a)[0] for a in after.authors - before.authors}
    titles = [t for t in after.page_titles if t not in before.page_titles]
    return {c.id for c in comments
            if words & set(re.findall(r"[\w.]+", c.text)) or any(t in c.text for t in titles)}


def write(kg: CommentGraph, out_dir: str | Path, rdf: Sequence[str] = ("ttl",), *,
          store: bool = False, progress: Progress | None = None) -> dict[str, Path]:
    """Write graph.html, graph.json and the RDF files asked for (`rdf`: ttl, nt, jsonld) into a
    folder, and with `store=True` an Oxigraph store in its `store/` (the CLI's `build --rdf
    --store`).

    Every output, the store included, is made under a temporary name first and all are moved
    into place together at the end, so a failure or a stop leaves the folder's previous outputs
    as they were. Outputs of an earlier build that this one does not make (an RDF format not
    asked for, a store) are removed with the move: the folder always holds one build. One build
    at a time writes into a folder; it first removes what killed builds left there.

    `progress("write", done, total)` is called as this process finishes each file or piece
    (the files a helper or a cluster writes arrive meanwhile, and are counted at the end)."""
    from .export.folder import write_folder

    return write_folder(kg, Path(out_dir), tuple(rdf), store=store, progress=progress)
