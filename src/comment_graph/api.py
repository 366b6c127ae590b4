"""build(): the one function that chains the stages, inputs to CommentGraph."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from .config import BuildConfig
from .errors import ConfigError
from .extract import get_extractor, run_extractors
from .extract.context import Context
from .extract.people import full_names
from .graph import CommentGraph, InputInfo
from .ingest import Loaded
from .ingest import load as load_input
from .lexicon import load_lexicons
from .models import Comment, InputRecord
from .quotes import quote_features
from .resolve import resolve
from .segment import Segmentation, segment_text
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
        c = Comment(id=cid, text=rec.text, index=offset + i, source=loaded.path, author=rec.author,
                    post_title=rec.post_title, post_url=rec.post_url, url=rec.url, parent_id=rec.parent_id,
                    created_at=rec.created_at, extra=rec.extra)
        _quotes_in_record(c)
        out.append(c)
    return out


def _quotes_in_record(c: Comment) -> None:
    """Quote detection still runs on structured records: by paragraph inside the text."""
    from .models import Quote
    from .segment import split_paragraphs

    paras = split_paragraphs(c.text)
    for i, p in enumerate(paras):
        p.quote, p.quote_reasons = quote_features(paras, i, None)
        if p.quote >= 0.5 and len(paras) > 1:
            c.quotes.append(Quote(start=p.start, end=p.end, text=p.text, score=min(1.0, p.quote),
                                  reasons=p.quote_reasons))


def _ingest(paths: Sequence[Path], config: BuildConfig) -> tuple[list[Comment], list[Segmentation], list[InputInfo], list[str]]:
    comments: list[Comment] = []
    segs: list[Segmentation] = []
    infos: list[InputInfo] = []
    warnings: list[str] = []
    for p in paths:
        loaded = load_input(p, config.input_format, strict=config.strict, max_chars=config.max_comment_chars)
        warnings += loaded.warnings
        infos.append(InputInfo(str(p), loaded.format, hashlib.sha256(Path(p).read_bytes()).hexdigest()))
        if loaded.text is not None:
            seg = segment_text(loaded.text, loaded.path, strategy=config.segmenter, page_author=config.page_author)
            for c in seg.comments:
                c.index = len(comments)
                comments.append(c)
            segs.append(seg)
        else:
            comments += _records_to_comments(loaded, len(comments))
    _unique_ids(comments)
    return comments, segs, infos, warnings


def _unique_ids(comments: list[Comment]) -> None:
    for c, new in zip(comments, unique_ids([c.id for c in comments])):
        c.id = new


PARALLEL_MIN = 400   # below this many comments, starting processes costs more than it saves
CHUNK = 250
_WORKER: dict = {}   # the extraction context, inherited by forked worker processes


def _extract_chunk(chunk: list[Comment]) -> list:
    return [m for c in chunk for m in run_extractors(c, _WORKER["names"], _WORKER["ctx"])]


def _extract_all(comments: list[Comment], config: BuildConfig, ctx: Context, progress: Progress | None) -> list:
    """Run the extractors over every comment: in this process, or in `config.jobs` forked processes
    (the per-comment stage is independent, so results are the same, in the same order)."""
    if config.jobs <= 1 or len(comments) < PARALLEL_MIN:
        mentions = []
        for i, c in enumerate(comments):
            mentions += run_extractors(c, config.extractors, ctx)
            if progress:
                progress("extract", i + 1, len(comments))
        return mentions
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _WORKER.update(names=config.extractors, ctx=ctx)
    chunks = [comments[i:i + CHUNK] for i in range(0, len(comments), CHUNK)]
    mentions, done = [], 0
    with ProcessPoolExecutor(max_workers=config.jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for chunk, found in zip(chunks, pool.map(_extract_chunk, chunks)):
            mentions += found
            done += len(chunk)
            if progress:
                progress("extract", done, len(comments))
    _WORKER.clear()
    return mentions


def build(sources: str | Path | Sequence[str | Path] | None = None, config: BuildConfig | None = None,
          *, progress: Progress | None = None, **options) -> CommentGraph:
    """Build the graph of one or more input files (the bundled sample when none is given).

    Keyword options are BuildConfig fields, e.g. `build("page.txt", max_concepts_per_comment=8)`.
    """
    if config is None:
        try:
            config = BuildConfig(**options)
        except Exception as e:  # pydantic's ValidationError, made one line
            raise ConfigError(str(e).splitlines()[0] + ": " + str(e).splitlines()[-1].strip()) from None
    if sources is None:
        paths = [sample_path()]
    elif isinstance(sources, (str, Path)):
        paths = [Path(sources)]
    else:
        paths = [Path(s) for s in sources]
    for name in config.extractors:
        get_extractor(name)  # fail before any work on a misspelt name
    comments, segs, infos, warnings = _ingest(paths, config)
    page_author = config.page_author or next((s.page_author for s in segs if s.page_author), None)
    lex = load_lexicons(config.people_files, config.vocab_files, default_people=config.default_people,
                        default_vocab=config.default_vocab)
    ctx = Context(lex, page_author, [t for s in segs for t in s.page_titles])
    ctx.corpus_full_names = {n for c in comments for _, _, n in full_names(c.text, ctx)}
    ctx.authors = {c.author for c in comments if c.author}
    ctx.corpus_full_names |= {a for a in ctx.authors if " " in a and a[0].isupper()}
    mentions = _extract_all(comments, config, ctx, progress)
    res = resolve(comments, mentions, lex, page_author=page_author, full_names=ctx.corpus_full_names,
                  max_concepts=config.max_concepts_per_comment)
    return CommentGraph(comments, res.entities, res.mentions, res.subjects,
                        segmentation=[b for s in segs for b in s.boundaries], inputs=infos, config=config,
                        page_author=page_author, warnings=warnings, features=res.features,
                        feature_entities=res.feature_entities)
