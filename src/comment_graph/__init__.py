"""comment-graph: turn online discussion comments into a knowledge graph with evidence.

    >>> import comment_graph
    >>> kg = comment_graph.build()             # the bundled sample
    >>> kg.related(kg.comments[0].id, k=3)     # best first, with reasons

The names below are imported when first used: `comment-graph related OUTPUT_DIR ID` answers from
the build's index without paying for the whole build pipeline (extractors, resolvers, readers:
a quarter of a second of imports, more than the answer itself).
"""

from ._version import __version__
from .errors import CommentGraphError, ConfigError, ExportError, ExtractorError, InputError, QueryError

_LAZY = {
    "build": "api", "load": "api", "sample_path": "api", "write": "api", "BuildConfig": "config",
    "CommentGraph": "graph", **dict.fromkeys(("Boundary", "BuildSummary", "Comment", "Entity", "InputRecord", "Mention",
                                              "Quote", "Reason", "RelatedResult", "Subject"), "models"),
}

__all__ = [
    "Boundary", "BuildConfig", "BuildSummary", "Comment", "CommentGraph", "CommentGraphError", "ConfigError",
    "Entity", "ExportError", "ExtractorError", "InputError", "InputRecord", "Mention", "QueryError", "Quote",
    "Reason", "RelatedResult", "Subject", "__version__", "build", "load", "sample_path", "write",
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'comment_graph' has no attribute '{name}'")
    from importlib import import_module

    value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
