"""Candidate events from articles: dated, located, quoted, merged across articles.

A candidate is a sentence (or a clause of one) that states something
happening at a time. Its date comes from a time expression in it, resolved
against the publication date and the story so far; a sentence that reports
an event in the past tense without a date of its own takes the article's
main date (the lead's date, else the publication date), flagged approximate.
Commentary (analysts' views, questions, "could", "may") and page furniture
are left out. Each candidate keeps its evidence: the exact quote and its
character offsets in the article.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..dates import PartialDate, Precision
from ..model import Dataset, Source
from .places import FoundPlace, PlaceFinder, PlaceRef, slug
from .reading import Article, ArticleError, read_article
from .resolve import Known, Story, Unresolved, When, duration, resolve
from .sentences import Sentence, split_sentences
from .timex import Mention, find_mentions
from .wording import content_words, guess_category, short_title, similarity


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a candidate comes from: the source, the exact quote and its offsets in the article."""

    source: str
    quote: str
    start: int
    end: int
    article: str = ""


@dataclass
class Candidate:
    id: str
    title: str
    summary: str
    when: When | None
    places: list[PlaceRef]
    category: str
    citations: list[Citation]
    # Why there is no date ("'last year' needs the article's publication date…").
    undated: str = ""
    # How the date was worked out, for the reviewer.
    how: str = ""
    words: set[str] = field(default_factory=set, repr=False, compare=False)

    @property
    def dated(self) -> bool:
        return self.when is not None

    @property
    def date_text(self) -> str:
        if self.when is None:
            return "undated"
        return self.when.label or self.when.iso()


@dataclass
class Extraction:
    articles: list[Article]
    sources: dict[str, Source]  # by article path
    candidates: list[Candidate]
    problems: list[str]  # one line per article that could not be read

    @property
    def dated(self) -> list[Candidate]:
        return [c for c in self.candidates if c.when is not None]

    @property
    def undated(self) -> list[Candidate]:
        return [c for c in self.candidates if c.when is None]


# -- what makes a sentence an event ------------------------------------------

_EVENT_VERBS = re.compile(
    r"\b(signed|met|visited|announced|agreed|approved|ratified|launched|"
    r"opened|built|constructed|delivered|supplied|attacked|struck|killed|died|elected|inaugurated|"
    r"withdrew|joined|toppled|collapsed|postponed|delayed|held|formalized|formalised|concluded|"
    r"adopted|arrived|invaded|seized|captured|fired|imposed|lifted|suspended|resigned|"
    r"reported|said|stated|declared|told|dismissed|warned|praised|criticized|criticised|called|"
    r"plans?\s+to|planned\s+to|agreed\s+to|will\s+sign|expressed|highlighted|mentioned|"
    r"described|affirmed|emphasized|emphasised|noted|confirmed|denied|accused|"
    r"participated|took\s+part|took\s+office)\b",
    re.IGNORECASE,
)
# Who speaks decides whether "said" reports an event or an opinion.
_OFFICIAL = re.compile(
    r"\b(President|Prime Minister|minister|ministry|spokes(?:man|woman|person)|ambassador|"
    r"Kremlin|White House|government|officials?|leader|envoy|parliament|chancellor|"
    r"king|foreign office|state department|army|commander|police|mayor|governor)\b",
    re.IGNORECASE,
)
# "President Masoud Pezeshkian", "spokesman Dmitry Peskov": whoever holds an office, by surname.
_TITLED = re.compile(
    r"\b(?:President(?:-elect)?|Prime Minister|[Mm]inister|[Ss]pokes(?:man|woman|person)|"
    r"Ambassador|[Ll]eader|Chancellor|King|Queen|General|Governor|Mayor)\s+"
    r"((?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+)"
)
_PRONOUN = re.compile(r"^\s*(?:[A-Z]\w+,\s+)?(?:he|she|they)\b", re.IGNORECASE)
_SPEECH = re.compile(
    r"\b(reported|said|stated|declared|told|noted|emphasized|emphasised|highlighted|mentioned|"
    r"expressed|described|affirmed|confirmed|denied|praised|criticized|criticised|warned|called)\b",
    re.IGNORECASE,
)
# Views, not events: dated or not, these sentences are someone's reading of events.
_OPINION = re.compile(
    r"\b(in (?:his|her|their|my|our) (?:opinion|view)|believes?|thinks?|speculated|"
    r"it is (?:rather |quite )?(?:symbolic|clear|possible|likely|crucial|important)|"
    r"undoubtedly|arguably)\b",
    re.IGNORECASE,
)
# Commentators: what they say dates nothing unless they name the date themselves.
_COMMENTATOR = re.compile(
    r"\b(experts?|analysts?|orientalist|researcher|political scientist|commentator|"
    r"according to political analysts)\b",
    re.IGNORECASE,
)
# Hedged statements (a modal before the event verb): no event to date.
_HEDGED = re.compile(r"\b(could|might|may|would|should|perhaps|possibly|likely|suggests?)\b", re.I)
# Background told in passing: true, but not on the article's date.
_BACKGROUND = re.compile(
    r"\b(previous(?:ly)?|former(?:ly)?|earlier|once|in the past|first term|already|long since)\b",
    re.IGNORECASE,
)
# "Name: answer" and "- quote" paragraphs are interview talk.
_SPEAKER = re.compile(r"^[A-Z][\w.]*\.?(?:\s[A-Za-z][\w.]*){0,3}:\s|^\s*[-–—]\s")
_FURNITURE = re.compile(
    r"(share your (views|thoughts)|comments? below|leave a comment|stay tuned|subscribe|"
    r"click here|read more|related stories|sign up|newsletter|all rights reserved|"
    r"this site uses|cookie|video-container|^\s*\|)",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?=(?:but|while|whereas|and\s+then|after\s+which)\b)")
# The lead: the sentences where an article states its own main date.
LEAD_SENTENCES = 2


def _is_furniture(sentence: str) -> bool:
    words = sentence.split()
    return (
        len(words) < 5
        or sentence.rstrip().endswith("?")
        or bool(_OPINION.search(sentence))
        or bool(_FURNITURE.search(sentence))
        or sentence.isupper()
        or sentence.count("|") >= 2
    )


def _reports_event(text: str, officials: set[str], official_before: bool) -> bool:
    """A past event told as news: an event verb, not hedged, not background; if it is only
    speech, an official is the one speaking (named before the verb, or "he" right after
    an official spoke)."""
    verbs = list(_EVENT_VERBS.finditer(text))
    if not verbs or _HEDGED.search(text[: verbs[0].start()]) or _BACKGROUND.search(text):
        return False
    if _COMMENTATOR.search(text):
        return False
    # "reported" is news whoever reports it; "said" is news when an official says it.
    deeds = [
        v
        for v in verbs
        if v.group().lower() == "reported" or not _SPEECH.fullmatch(v.group().split()[0])
    ]
    if deeds:
        return True
    subject = text[: verbs[0].start()]
    if _OFFICIAL.search(subject) or any(name in subject for name in officials):
        return True
    return official_before and bool(_PRONOUN.match(subject))


# -- one article -------------------------------------------------------------


@dataclass
class _Clause:
    start: int
    end: int
    text: str
    paragraph: int


def _clauses(sentence: Sentence) -> list[_Clause]:
    parts: list[_Clause] = []
    position = 0
    for match in _CLAUSE_BREAK.finditer(sentence.text):
        parts.append(_clause(sentence, position, match.start()))
        position = match.end()
    parts.append(_clause(sentence, position, len(sentence.text)))
    return [p for p in parts if p.text.strip()]


def _clause(sentence: Sentence, a: int, b: int) -> _Clause:
    text = sentence.text[a:b]
    return _Clause(sentence.start + a, sentence.start + b, text, sentence.paragraph)


class ArticleExtractor:
    """Candidates of one article, with the story so far shared across articles."""

    def __init__(
        self,
        article: Article,
        source: Source,
        finder: PlaceFinder,
        story: Story,
        categories: Iterable[str] = (),
    ):
        self.article = article
        self.source = source
        self.finder = finder
        self.story = story
        self.categories = tuple(categories)
        self.words = {w.lower() for w in re.findall(r"\b[a-z][a-z'-]+\b", article.text)}
        self.dateline_place = self._dateline_place()
        self.officials = {m.split()[-1] for m in _TITLED.findall(article.text)}
        self.people = self._people()
        self._official_spoke = False

    def _dateline_place(self) -> PlaceRef | None:
        name = self.article.dateline_place
        if not name:
            return None
        found = self.finder.find(name)
        return found[0].place if found and not found[0].weak else None

    def _people(self) -> dict[str, PlaceRef]:
        """Office holders' countries, from "Iranian President Masoud Pezeshkian", "U.S.
        President-elect Donald Trump": a sentence naming only the person is about there."""
        people: dict[str, PlaceRef] = {}
        for match in _TITLED.finditer(self.article.text):
            before = self.article.text[max(0, match.start() - 40) : match.start()]
            found = self.finder.find(before)
            if found and found[-1].end >= len(before.rstrip()) - len("presidential "):
                people.setdefault(match.group(1).split()[-1], found[-1].place)
        return people

    def sentences(self) -> list[Sentence]:
        furniture = self.article.furniture
        text = self.article.text
        out = []
        for sentence in split_sentences(text):
            if any(a <= sentence.start < b for a, b in furniture):
                continue
            line_start = text.rfind("\n", 0, sentence.start) + 1
            line_end = text.find("\n", sentence.end)
            line = text[line_start : len(text) if line_end < 0 else line_end].strip()
            if line == sentence.text and not line.endswith(
                (".", "!", "?", '"', "”", "’", "'", ")")
            ):
                continue  # a heading
            if sentence.start < self.article.dateline_end <= sentence.end:
                cut = self.article.dateline_end - sentence.start
                text = sentence.text[cut:].lstrip()
                start = sentence.end - len(text)
                sentence = Sentence(start, sentence.end, text, sentence.paragraph)
            if not _is_furniture(sentence.text):
                out.append(sentence)
        return out

    def run(self) -> list[Candidate]:
        sentences = self.sentences()
        lead_date = self._lead_date(sentences)
        candidates: list[Candidate] = []
        for sentence in sentences:
            candidates.extend(self._from_sentence(sentence, lead_date))
        return candidates

    def _lead_date(self, sentences: list[Sentence]) -> When | None:
        """The article's main date: the first day named in its lead, else its publication date."""
        anchor = self.story.anchor
        for sentence in sentences[:LEAD_SENTENCES]:
            for mention in find_mentions(sentence.text, sentence.start):
                if mention.kind == "duration":
                    continue
                try:
                    when = resolve(mention, sentence.text, self.story)
                except Unresolved:
                    continue
                recent = anchor is None or abs(when.start.year - anchor.year) <= 1
                if when.precision >= Precision.DAY and when.end is None and recent:
                    return replace(when, how=when.how or "the date in the article's lead")
        if anchor is None:
            return None
        # A publication date only bounds what the article reports (the news is of the
        # days before); a borrowed one is days off at best: say no more than the month.
        month = PartialDate(anchor.year, anchor.month) if anchor.month else anchor
        if self.story.anchor_borrowed:
            how = f"this article gives no date; the month of {self.story.anchor_how}"
        else:
            how = f"the month of the publication date ({self.article.published_from or 'given'})"
        return When(month, approximate=True, how=how)

    def _talk(self, sentence: Sentence) -> bool:
        """Whether the sentence is in an interview answer ("Name: …") or a "- …" quote."""
        text = self.article.text
        line_start = text.rfind("\n", 0, sentence.start) + 1
        return bool(_SPEAKER.match(text[line_start : line_start + 80]))

    def _from_sentence(self, sentence: Sentence, lead_date: When | None) -> list[Candidate]:
        out: list[Candidate] = []
        dateless: list[_Clause] = []
        for clause in _clauses(sentence):
            mentions = find_mentions(clause.text, clause.start)
            dates = [m for m in mentions if m.kind != "duration"]
            spans = [m for m in mentions if m.kind == "duration"]
            when, reason = self._date_of(dates, sentence.text)
            if when is None and not reason and spans and not self._talk(sentence):
                base = out[-1].when if out and out[-1].when else lead_date
                if base is not None:
                    span = duration(spans[0], sentence.text, base)
                    # "for two decades he has…" is a state up to now, not an event.
                    when = span if span.start == base.start else None
            if when is None and not reason:
                dateless.append(clause)
                continue
            out.append(self._candidate(clause, when, reason, sentence, lead_date))
        if out:
            # A dateless clause belongs to the sentence's dated event: widen its quote.
            first = out[0]
            if dateless and len(out) == 1:
                out[0] = self._candidate(
                    _Clause(sentence.start, sentence.end, sentence.text, sentence.paragraph),
                    first.when,
                    first.undated,
                    sentence,
                    lead_date,
                    how=first.how,
                )
            return out
        reports = _reports_event(sentence.text, self.officials, self._official_spoke)
        reports = reports and not self._talk(sentence)
        self._official_spoke = reports
        if lead_date is not None and reports and self._names_something(sentence):
            when = replace(
                lead_date,
                approximate=True,
                label="",
                how="no date in the sentence: " + (lead_date.how or "the article's main date"),
            )
            whole = _Clause(sentence.start, sentence.end, sentence.text, sentence.paragraph)
            return [self._candidate(whole, when, "", sentence, lead_date)]
        return []

    def _names_something(self, sentence: Sentence) -> bool:
        """A proper name (a capitalised word the article never writes in lower case):
        someone or somewhere the event is about."""
        return any(
            w.lower() not in self.words for w in re.findall(r"\b[A-Z][a-z][\w'-]*", sentence.text)
        )

    def _date_of(self, mentions: Sequence[Mention], sentence: str) -> tuple[When | None, str]:
        reasons = []
        for mention in mentions:
            try:
                when = resolve(mention, sentence, self.story)
            except Unresolved as exc:
                reasons.append(str(exc))
                continue
            return when, ""
        return None, (reasons[0] if reasons else "")

    def _candidate(
        self,
        clause: _Clause,
        when: When | None,
        reason: str,
        sentence: Sentence,
        lead_date: When | None,
        how: str = "",
    ) -> Candidate:
        found = self.finder.find(clause.text, clause.start, self.words)
        places = _best_places(found)
        if (
            not places
            and self.dateline_place is not None
            and when is not None
            and lead_date is not None
            and when.start == lead_date.start
        ):
            places = [self.dateline_place]
        people = [
            p
            for name, p in self.people.items()
            if re.search(rf"\b{re.escape(name)}\b", clause.text)
        ]
        if places and all(p.kind.value == "area" for p in places):
            # Only countries named: the office holders named are as much where it happened.
            places = _best_places_of([*places, *people])
        if not places:
            places = _unique([f.place for f in found if f.weak] + people)[:2]
        quote = self.article.text[clause.start : clause.end]
        citation = Citation(self.source.id, quote, clause.start, clause.end, self.article.path)
        candidate = Candidate(
            id="",
            title=short_title(quote),
            summary=" ".join(quote.split()),
            when=when,
            places=places,
            category=guess_category(quote, self.categories),
            citations=[citation],
            undated=reason,
            how=how or (when.how if when else ""),
            words=content_words(quote),
        )
        if when is not None and (when.end is None or when.precision >= Precision.DAY):
            self.story.known.append(Known(quote, when))
            self.story.focus = when
        return candidate


def _unique(places: Iterable[PlaceRef]) -> list[PlaceRef]:
    seen: dict[str, PlaceRef] = {}
    for place in places:
        seen.setdefault(place.id, place)
    return list(seen.values())


def _best_places(found: list[FoundPlace]) -> list[PlaceRef]:
    return _best_places_of([f.place for f in found if not f.weak])


def _best_places_of(places: list[PlaceRef]) -> list[PlaceRef]:
    """The places named, most specific first: towns and routes, then the countries no named
    town is in ("met in Moscow with Iran's president": Moscow and Iran, not Russia)."""
    strong = _unique(places)
    specific = [p for p in strong if p.kind.value != "area"]
    covered = {p.country for p in specific}
    areas = [
        p for p in strong if p.kind.value == "area" and (not p.country or p.country not in covered)
    ]
    return (specific + areas)[:4]


# -- several articles ----------------------------------------------------------


def _same_date(a: When, b: When) -> bool:
    coarse = min(a.precision, b.precision)
    if _cut(a.start, coarse) != _cut(b.start, coarse):
        return False
    if a.end is not None and b.end is not None:
        return _cut(a.end, coarse) == _cut(b.end, coarse)
    return (a.end is None) == (b.end is None)


def _cut(p: PartialDate, precision: Precision) -> PartialDate:
    if precision is Precision.YEAR:
        return PartialDate(p.year)
    if precision is Precision.MONTH:
        return PartialDate(p.year, p.month)
    if precision is Precision.DAY:
        return PartialDate(p.year, p.month, p.day)
    return p


MERGE_SIMILARITY = 0.34


def mergeable(a: Candidate, b: Candidate) -> bool:
    """Same event: the same date at the coarser precision, places that agree, similar words."""
    if a.when is None or b.when is None or not _same_date(a.when, b.when):
        return False
    ids_a, ids_b = {p.id for p in a.places}, {p.id for p in b.places}
    if ids_a and ids_b and not ids_a & ids_b:
        return False
    needed = MERGE_SIMILARITY if a.when.precision == b.when.precision else 2 * MERGE_SIMILARITY
    return similarity(a.words, b.words) >= needed


def merge(into: Candidate, other: Candidate) -> Candidate:
    """One candidate with both citations; the finer date, inferred dates give way to stated ones."""
    assert into.when is not None and other.when is not None

    def rank(c: Candidate) -> tuple[int, int]:
        assert c.when is not None
        return (not c.when.approximate, int(c.when.precision))

    first, second = (into, other) if rank(into) >= rank(other) else (other, into)
    return replace(
        first,
        places=_unique([*first.places, *second.places]),
        citations=[*into.citations, *other.citations],
        words=first.words | second.words,
    )


def merge_candidates(candidates: list[Candidate]) -> list[Candidate]:
    merged: list[Candidate] = []
    for candidate in candidates:
        for index, existing in enumerate(merged):
            if mergeable(existing, candidate):
                merged[index] = merge(existing, candidate)
                break
        else:
            merged.append(candidate)
    return merged


def source_for(article: Article, taken: set[str]) -> Source:
    # Named for the publisher, else for the headline's first words, else for the file.
    headline = " ".join(article.title.split()[:5])
    base = slug(article.publisher or headline or os.path.splitext(article.name)[0])[:40]
    ident = base
    number = 2
    while ident in taken:
        ident = f"{base}-{number}"
        number += 1
    how = f"; publication date from {article.published_from}" if article.published else ""
    return Source(
        ident,
        article.publisher or "Unknown publisher",
        article.title or os.path.splitext(article.name)[0],
        article.published,
        article.url,
        note=f"extracted from {article.name}{how}",
    )


def _anchor(article: Article, others: Sequence[Article]) -> tuple[PartialDate | None, str, bool]:
    """The date relative expressions count from: the article's own, else the story so far's."""
    if article.published is not None:
        return article.published, article.published_from, False
    dated = [
        a for a in others if a.published is not None and a.published.precision >= Precision.DAY
    ]
    if article.dateline_day is not None and dated:
        month, day = article.dateline_day
        latest = max(dated, key=lambda a: a.published.lower() if a.published else 0)
        assert latest.published is not None
        year = latest.published.year - (month > (latest.published.month or 12))
        return PartialDate(year, month, day), f"the dateline, year from {latest.name}", True
    if dated:
        latest = max(dated, key=lambda a: a.published.lower() if a.published else 0)
        return latest.published, f"the date of {latest.name}", True
    own = _latest_full_date(article.text)
    if own is not None:
        return own, "the latest full date in its text", True
    return None, "", False


def _latest_full_date(text: str) -> PartialDate | None:
    latest: PartialDate | None = None
    for mention in find_mentions(text):
        if mention.kind in ("iso", "day_month_year", "month_day_year"):
            try:
                when = resolve(mention, "", Story())
            except Unresolved:
                continue
            if latest is None or when.start.lower() > latest.lower():
                latest = when.start
    return latest


def _known_from(dataset: Dataset | None) -> list[Known]:
    if dataset is None:
        return []
    return [
        Known(f"{e.title} {e.summary}", When(e.start, e.end, e.approximate, e.date_label))
        for e in dataset.events
    ]


def extract(
    paths: Iterable[str | os.PathLike[str]],
    dataset: Dataset | None = None,
    finder: PlaceFinder | None = None,
    published: PartialDate | None = None,
) -> Extraction:
    """Candidate events from article files; ``dataset``: whose places, events and categories
    come first; ``published``: the date for articles that give none."""
    articles: list[Article] = []
    problems: list[str] = []
    for path in paths:
        try:
            articles.append(read_article(path))
        except ArticleError as exc:
            problems.append(str(exc))
    if published is not None:
        articles = [
            a if a.published else replace(a, published=published, published_from="given")
            for a in articles
        ]
    return extract_articles(articles, dataset, finder, problems)


def extract_articles(
    articles: list[Article],
    dataset: Dataset | None = None,
    finder: PlaceFinder | None = None,
    problems: list[str] | None = None,
) -> Extraction:
    finder = finder or PlaceFinder(dataset.places if dataset else None)
    categories = dataset.categories() if dataset else []
    taken = set(dataset.sources) if dataset else set()
    sources: dict[str, Source] = {}
    known = _known_from(dataset)
    candidates: list[Candidate] = []
    # Articles with their own date first: the undated borrow from them.
    order = sorted(range(len(articles)), key=lambda i: articles[i].published is None)
    for index in order:
        article = articles[index]
        source = source_for(article, taken)
        taken.add(source.id)
        sources[article.path] = source
        anchor, how, borrowed = _anchor(article, articles)
        story = Story(anchor, how, borrowed, known=known)
        candidates.extend(ArticleExtractor(article, source, finder, story, categories).run())
    merged = merge_candidates(candidates)
    number_ids(merged, set(dataset.events_by_id()) if dataset else set())
    return Extraction(articles, sources, merged, problems or [])


def number_ids(candidates: list[Candidate], taken: set[str]) -> None:
    for candidate in candidates:
        base = slug(candidate.title)[:48].rstrip("-") or "event"
        ident = base
        number = 2
        while ident in taken:
            ident = f"{base}-{number}"
            number += 1
        taken.add(ident)
        candidate.id = ident
