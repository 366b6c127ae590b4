"""What extractors know beyond one comment: the lexicons and the corpus-wide name evidence."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..lexicon import Lexicons


@dataclass
class Context:
    """Read-only knowledge handed to every extractor call."""

    lexicons: Lexicons
    page_author: str | None = None
    page_titles: list[str] = field(default_factory=list)
    corpus_full_names: set[str] = field(default_factory=set)
    # single words a cue marks as a person's name somewhere in the corpus ("Kramnik's interview")
    cued_names: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)
    # comment id -> the (start, end, name) the extractors' survey hooks (`people.surveyed_names`: full
    # names, and the words cues mark) found in it, kept from the corpus survey that collects
    # `corpus_full_names` and `cued_names`, so that extraction need not find them again
    surveyed_full_names: dict[str, tuple[tuple[int, int, str], ...]] = field(default_factory=dict)

    @property
    def corpus_surnames(self) -> set[str]:
        if "_surnames" not in self.__dict__:
            self.__dict__["_surnames"] = {n.split()[-1] for n in self.corpus_full_names} | self.cued_names
        return self.__dict__["_surnames"]

    @property
    def author_keys(self) -> set[str]:
        """Comment authors as handles compare: case, spaces and punctuation gone."""
        if "_author_keys" not in self.__dict__:
            from ..urls import handle_key

            self.__dict__["_author_keys"] = {handle_key(a) for a in self.authors}
        return self.__dict__["_author_keys"]

    @property
    def author_forms(self) -> dict[str, str]:
        """Forms a forum user may be named by: the handle, its first part ("marisol" for marisol_fi), or
        a later part that is a given name ("pete" for pawnstorm_pete)."""
        if "_author_forms" not in self.__dict__:
            import re

            forms: dict[str, str] = {}
            firsts = self.lexicons.first_names
            for a in sorted(self.authors):
                forms[a] = a
                head, *rest = re.split(r"[_.\d]", a)
                if len(head) >= 4 and head != a:
                    forms.setdefault(head, a)
                for part in rest:
                    if len(part) >= 3 and part.capitalize() in firsts:
                        forms.setdefault(part, a)
            self.__dict__["_author_forms"] = forms
        return self.__dict__["_author_forms"]

    @property
    def author_form_pattern(self):
        """Finds the author forms that are whole words (of letters, digits, "_" and "."), in one scan."""
        if "_author_form_pattern" not in self.__dict__:
            import re

            from ..lexicon import trie_pattern

            words = tuple(sorted(f for f in self.author_forms if re.fullmatch(r"[\w.]+", f)))
            self.__dict__["_author_form_pattern"] = (
                re.compile("(?:" + trie_pattern(words, not_after=r"[\w@.]") + r")(?!\w|\.\w)") if words else None)
        return self.__dict__["_author_form_pattern"]
