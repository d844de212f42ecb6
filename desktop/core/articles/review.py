"""Reviewing candidates: accept, edit, merge, reject; what is rejected is remembered per article.

Qt-free: the review panel shows a ReviewSession and sends it the analyst's
choices. Accepting never changes a dataset in place: ``accepted_dataset``
returns a new one, so the window can keep the old one for Undo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace

from ..dates import parse_date
from ..model import Dataset
from .convert import additions, merged_dataset
from .extract import Candidate, Extraction, extract_articles, merge, number_ids
from .places import PlaceFinder, PlaceRef
from .reading import Article, ArticleError, read_article
from .resolve import When


def article_key(article: Article) -> str:
    """An article's identity for remembering rejections: its text, wherever the file moves."""
    return hashlib.sha1(article.text.encode("utf-8")).hexdigest()[:16]


def candidate_key(candidate: Candidate) -> str:
    """A candidate's identity within its article: where its first quote is."""
    first = candidate.citations[0]
    return f"{first.start}-{first.end}"


class ReviewSession:
    """The articles under review and their candidates."""

    def __init__(self, dataset: Dataset, finder: PlaceFinder | None = None):
        self.dataset = dataset
        self._finder = finder
        self.articles: list[Article] = []
        self.problems: list[str] = []
        self.extraction: Extraction | None = None
        self.candidates: list[Candidate] = []
        # article key -> candidate keys rejected there (kept by the caller between sessions)
        self.rejected: dict[str, set[str]] = {}
        self.accepted: set[str] = set()  # candidate ids

    @property
    def finder(self) -> PlaceFinder:
        # Built on first use: its gazetteer takes a second or more, and the window
        # makes a session at start-up whether or not any article is ever read.
        if self._finder is None:
            self._finder = PlaceFinder(self.dataset.places)
        return self._finder

    @finder.setter
    def finder(self, finder: PlaceFinder) -> None:
        self._finder = finder

    @property
    def built_finder(self) -> PlaceFinder | None:
        """The finder if it was built (to hand to the next session), else None."""
        return self._finder

    # -- articles -------------------------------------------------------------

    def open(self, paths: Iterable[str]) -> list[str]:
        """Read and add articles; returns one line per file that could not be read."""
        problems = []
        known = {a.path for a in self.articles}
        for path in paths:
            if str(path) in known:
                continue
            try:
                self.articles.append(read_article(path))
            except ArticleError as exc:
                problems.append(str(exc))
        self.problems += problems
        self._extract()
        return problems

    def set_published(self, path: str, text: str) -> None:
        """The analyst's publication date for one article; every candidate is worked out again.
        Raises DateError for text that is not a date."""
        date = parse_date(text).date if text.strip() else None
        self.articles = [
            replace(a, published=date, published_from="set by hand" if date else "")
            if a.path == path
            else a
            for a in self.articles
        ]
        self._extract()

    def _extract(self) -> None:
        self.finder = PlaceFinder(self.dataset.places, self.finder.gaz)
        self.extraction = extract_articles(self.articles, self.dataset, self.finder)
        self.candidates = list(self.extraction.candidates)

    def article(self, path: str) -> Article | None:
        return next((a for a in self.articles if a.path == path), None)

    def source_of(self, article: Article):
        assert self.extraction is not None
        return self.extraction.sources.get(article.path)

    # -- the list -------------------------------------------------------------

    def _article_of(self, candidate: Candidate) -> Article | None:
        return self.article(candidate.citations[0].article)

    def is_rejected(self, candidate: Candidate) -> bool:
        article = self._article_of(candidate)
        if article is None:
            return False
        return candidate_key(candidate) in self.rejected.get(article_key(article), set())

    def pending(self, show_rejected: bool = False) -> list[Candidate]:
        return [
            c
            for c in self.candidates
            if c.id not in self.accepted and (show_rejected or not self.is_rejected(c))
        ]

    def reject(self, candidate: Candidate) -> None:
        article = self._article_of(candidate)
        if article is not None:
            self.rejected.setdefault(article_key(article), set()).add(candidate_key(candidate))

    def restore(self, candidate: Candidate) -> None:
        article = self._article_of(candidate)
        if article is not None:
            self.rejected.get(article_key(article), set()).discard(candidate_key(candidate))

    def _replace(self, old: Candidate, new: Candidate) -> None:
        self.candidates = [new if c is old else c for c in self.candidates]

    def edit(
        self,
        candidate: Candidate,
        title: str | None = None,
        date: str | None = None,
        places: str | None = None,
        category: str | None = None,
    ) -> Candidate:
        """The candidate with the analyst's changes; raises DateError for a date that is
        not one and ValueError for a place name the gazetteer does not know."""
        changes: dict = {}
        if title is not None and title.strip():
            changes["title"] = title.strip()
        if date is not None:
            if date.strip():
                parsed = parse_date(date)
                label = "" if date.strip() == parsed.date.iso() else date.strip()
                changes["when"] = When(
                    parsed.date, parsed.end, parsed.approximate, label, "set by hand"
                )
                changes["how"] = "set by hand"
                changes["undated"] = ""
            else:
                changes["when"] = None
                changes["undated"] = "no date: give one to accept it"
        if places is not None:
            changes["places"] = self.places_named(places)
        if category is not None:
            changes["category"] = category.strip()
        edited = replace(candidate, **changes)
        self._replace(candidate, edited)
        return edited

    def places_named(self, text: str) -> list[PlaceRef]:
        refs: list[PlaceRef] = []
        for name in (n.strip() for n in text.replace(";", ",").split(",")):
            if not name:
                continue
            found = self.finder.find(name)
            if not found:
                raise ValueError(f"no place called {name!r} in the dataset or the gazetteer")
            refs.append(found[0].place)
        return refs

    def merge(self, candidates: list[Candidate]) -> Candidate:
        """One candidate with every citation; the first dated one gives the date and title."""
        if len(candidates) < 2:
            raise ValueError("select two or more candidates to merge")
        ordered = sorted(candidates, key=lambda c: c.when is None)
        result = ordered[0]
        for other in ordered[1:]:
            if result.when is not None and other.when is not None:
                result = merge(result, other)
            else:
                result = replace(
                    result,
                    citations=[*result.citations, *other.citations],
                    places=list({p.id: p for p in [*result.places, *other.places]}.values()),
                    words=result.words | other.words,
                )
        first = self.candidates.index(candidates[0])
        gone = {id(c) for c in candidates}
        kept = [c for c in self.candidates if id(c) not in gone]
        kept.insert(min(first, len(kept)), result)
        self.candidates = kept
        return result

    # -- accepting --------------------------------------------------------------

    def accepted_dataset(self, candidates: list[Candidate], dataset: Dataset) -> Dataset:
        """``dataset`` with the candidates' events, places and sources added (a new object)."""
        undated = [c.title for c in candidates if c.when is None]
        if undated:
            raise ValueError(f"“{undated[0]}” has no date: give it one first")
        assert self.extraction is not None
        fresh = [replace(c) for c in candidates]
        number_ids(fresh, set(dataset.events_by_id()))
        return merged_dataset(dataset, *additions(fresh, self.extraction, dataset))

    def summary(self, candidate: Candidate) -> str:
        """One line for the list: date, title, places, how many articles."""
        when = candidate.date_text if candidate.when is None else candidate.when.iso()
        if candidate.when is not None and candidate.when.approximate:
            when = "c. " + when
        places = ", ".join(p.name for p in candidate.places)
        sources = len({c.source for c in candidate.citations})
        more = f" · {sources} articles" if sources > 1 else ""
        return f"{when} · {candidate.title}" + (f" · {places}" if places else "") + more
