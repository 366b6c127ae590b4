"""The one exception tree of comment-graph.

    CommentGraphError            catch this to catch everything the library raises on purpose
    ├── InputError               an input file is missing, unreadable or malformed (names file, line, field)
    │   ├── NoCommentsError      an input holds no comment at all: empty, blank, no records
    │   └── GraphIndexError      an output folder's index.sqlite is of another version, damaged or stale
    ├── ConfigError              an option, plugin name or vocabulary file is wrong (lists valid choices)
    ├── ExtractorError           an extractor broke the span contract (names the extractor)
    ├── QueryError               a SPARQL query failed to parse or run
    └── ExportError              an output could not be written
"""

from __future__ import annotations


class CommentGraphError(Exception):
    """Base of every error comment-graph raises on purpose."""


class InputError(CommentGraphError):
    """An input could not be read; the message names the place."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        place = ":".join(str(p) for p in (path, line) if p is not None)
        where = f"{place}: " if place else ""
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}{what}{message}")
        self.path, self.line, self.field, self.reason = path, line, field, message


class NoCommentsError(InputError):
    """An input holds no comment at all (empty, blank, no records): a build refuses it unless
    asked to allow an empty graph."""


class GraphIndexError(InputError):
    """An output folder's index cannot be used: another format or version, damaged, or made with
    another graph.json than the one beside it. The CLI then answers from graph.json."""


class ConfigError(CommentGraphError):
    """A configuration value is invalid."""


class ExtractorError(CommentGraphError):
    """An extractor produced a mention that breaks the evidence contract."""


class QueryError(CommentGraphError):
    """A SPARQL query could not be parsed or evaluated."""


class ExportError(CommentGraphError):
    """An output file could not be written."""


def validation_problem(error) -> str:
    """A pydantic ValidationError as one line: where (`comments.0.id`) and what is wrong there."""
    first = error.errors()[0]
    where = ".".join(str(x) for x in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def rdf_parse_problem(error: Exception) -> str:
    """rdflib's parser error in one line: its Turtle message quotes the file over three lines."""
    text, at, why = (getattr(error, name, None) for name in ("_str", "_i", "_why"))  # notation3.BadSyntax
    if isinstance(text, bytes) and isinstance(at, int) and why:  # its own line count runs ahead
        line = text.count(b"\n", 0, at) + 1
        return f"line {line}: {why}"
    return " ".join(str(error).split()) or type(error).__name__
