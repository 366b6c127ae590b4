"""The package version, in a module of its own: the RDF provenance reads it without importing the package."""

__version__ = "0.1.0"
