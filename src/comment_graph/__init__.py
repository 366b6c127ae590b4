"""comment-graph: turn online discussion comments into a knowledge graph with evidence.

    >>> import comment_graph
    >>> kg = comment_graph.build()             # the bundled sample
    >>> kg.related(kg.comments[0].id, k=3)     # best first, with reasons
"""

from ._version import __version__
from .api import build, load, sample_path, write
from .config import BuildConfig
from .errors import CommentGraphError, ConfigError, ExportError, ExtractorError, InputError, QueryError
from .graph import CommentGraph
from .models import (Boundary, BuildSummary, Comment, Entity, InputRecord, Mention, Quote, Reason,
                     RelatedResult, Subject)

__all__ = [
    "Boundary", "BuildConfig", "BuildSummary", "Comment", "CommentGraph", "CommentGraphError", "ConfigError",
    "Entity", "ExportError", "ExtractorError", "InputError", "InputRecord", "Mention", "QueryError", "Quote",
    "Reason", "RelatedResult", "Subject", "__version__", "build", "load", "sample_path", "write",
]
