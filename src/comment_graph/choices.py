"""Names the command line offers as choices, kept apart from the modules that use them: the CLI
defines its options from these without importing the readers (a sixth of a second), which the
commands answering from an index never need."""

INPUT_FORMATS = ("text", "jsonl", "lesswrong", "hn", "markdown", "html")
