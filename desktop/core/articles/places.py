"""Places named in article text: the dataset's own places first, then the offline gazetteer.

Names are looked for in runs of capitalised words ("Bandar Abbas", "Moskva",
"U.S."). A whole run is tried first, then its parts, and a part of a longer
run must be strong evidence to count (a country, the dataset's own place, a
city of a million): "Vladimir Putin" is not the city of Vladimir, and
"Washington Post" is not Washington. A word the article also writes in lower
case ("Union", "Of") is a word, not a town. Adjectives of nationality
("Iranian President…") name a country only weakly: they are used when a
sentence names no place at all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..formats.gazetteer import Gazetteer, Match, gazetteer, normalise_name
from ..model import Place, PlaceKind

# Short and older forms the gazetteer's country list does not carry.
COUNTRY_ALIASES = {
    "us": "US",
    "u s": "US",
    "usa": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "russian federation": "RU",
    "islamic republic of iran": "IR",
    "islamic republic": "",  # ambiguous: no country
    "holland": "NL",
    "netherlands": "NL",
    "czech republic": "CZ",
    "turkiye": "TR",
    "türkiye": "TR",
    "burma": "MM",
    "dprk": "KP",
    "republic of korea": "KR",
    "palestine": "PS",
    "uae": "AE",
    "emirates": "AE",
    "east timor": "TL",
    "swaziland": "SZ",
    "macedonia": "MK",
    "cape verde": "CV",
}
# Nationality adjectives that do not follow the regular endings (Iran-ian, Russia-n).
DEMONYMS = {
    "american": "US",
    "british": "GB",
    "english": "GB",
    "french": "FR",
    "german": "DE",
    "dutch": "NL",
    "spanish": "ES",
    "portuguese": "PT",
    "swiss": "CH",
    "swedish": "SE",
    "danish": "DK",
    "finnish": "FI",
    "polish": "PL",
    "turkish": "TR",
    "greek": "GR",
    "israeli": "IL",
    "iraqi": "IQ",
    "saudi": "SA",
    "qatari": "QA",
    "kuwaiti": "KW",
    "omani": "OM",
    "yemeni": "YE",
    "emirati": "AE",
    "pakistani": "PK",
    "afghan": "AF",
    "bangladeshi": "BD",
    "chinese": "CN",
    "japanese": "JP",
    "vietnamese": "VN",
    "lebanese": "LB",
    "sudanese": "SD",
    "azerbaijani": "AZ",
    "azeri": "AZ",
    "kazakh": "KZ",
    "uzbek": "UZ",
    "tajik": "TJ",
    "turkmen": "TM",
    "kyrgyz": "KG",
    "north korean": "KP",
    "south korean": "KR",
    "palestinian": "PS",
    "filipino": "PH",
    "thai": "TH",
    "irish": "IE",
    "scottish": "GB",
    "welsh": "GB",
    "belarusian": "BY",
    "ukrainian": "UA",
    "syrian": "SY",
}
# Words after a place name that do not make it another place: "Gaza Strip", "Tehran Province".
GENERIC_TAILS = frozenset(
    [
        "strip",
        "city",
        "province",
        "region",
        "oblast",
        "governorate",
        "district",
        "county",
        "prefecture",
        "state",
    ]
)
# Capitalised words that begin sentences and headings but name no place.
NOT_PLACES = frozenset(
    """the a an in on at of and but or for to by as if it its this that these those he she they we
    i you his her their our however meanwhile president minister prime leader state government
    agency home news world union republic president-elect north south east west central new
    said says mr mrs ms dr prof""".split(),  # noqa: SIM905
)
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][\w'’\-]*(?:\.[A-Z][a-z]+)?")
_RUN_GAP = re.compile(r"[ \t]+|[ \t]*-[ \t]*")
BIG_CITY = 1_000_000
ALTERNATE_CITY = 100_000


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place as the dataset will hold it; ``known`` when it is the dataset's own."""

    id: str
    name: str
    kind: PlaceKind
    lat: float | None
    lon: float | None
    iso3: str = ""
    country: str = ""
    known: bool = False
    note: str = ""

    def to_place(self) -> Place:
        return Place(
            self.id, self.name, self.kind, self.lat, self.lon, iso3=self.iso3, note=self.note
        )


@dataclass(frozen=True, slots=True)
class FoundPlace:
    start: int
    end: int
    text: str
    place: PlaceRef
    weak: bool = False  # from a nationality adjective, not a name


def slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "place"


def _demonym_forms(name: str) -> list[str]:
    """Regular nationality adjectives of a country's name: Iran-ian, Russia-n, Ukrain-ian."""
    low = name.lower()
    if " " in low:
        return []
    if low.endswith("a"):
        return [low + "n"]
    if low.endswith("e"):
        return [low[:-1] + "ian"]
    return [low + "ian"]


class PlaceFinder:
    """Finds places in sentences; one per extraction, holding the dataset's places."""

    def __init__(self, places: dict[str, Place] | None = None, gaz: Gazetteer | None = None):
        self.gaz = gaz or gazetteer()
        self.places = dict(places or {})
        self._own: dict[str, Place] = {}
        for place in self.places.values():
            for name in (place.name, *place.aliases):
                key = normalise_name(name)
                if key:
                    self._own.setdefault(key, place)
        self._countries: dict[str, str] = {}
        for code, country in self.gaz.countries.items():
            self._countries[normalise_name(country["name"])] = code
        self._countries.update({k: v for k, v in COUNTRY_ALIASES.items() if v})
        self._countries.pop("islamic republic", None)
        self._demonyms = dict(DEMONYMS)
        for code, country in self.gaz.countries.items():
            for form in _demonym_forms(country["name"]):
                self._demonyms.setdefault(form, code)
        self._made: dict[str, PlaceRef] = {}
        self._code_of_iso3 = {c["iso3"]: code for code, c in self.gaz.countries.items()}

        self._alternates: dict[str, list[str]] | None = None

    def warm(self) -> None:
        """Build the other-spellings index now (start-up), not at the first unknown name."""
        self._other_spellings()

    def _other_spellings(self) -> dict[str, list[str]]:
        """One-word other spellings ("Moskva", "Teheran") of cities big enough to be written
        about under them: a tenth of the gazetteer's alternate names, built in a fraction
        of the time."""
        if self._alternates is None:
            index: dict[str, list[str]] = {}
            for ident, city in self.gaz.cities.items():
                if int(city.get("population") or 0) < ALTERNATE_CITY:
                    continue
                for alternate in city.get("alternatenames") or ():
                    if " " in alternate or not alternate[:1].isalpha():
                        continue
                    key = normalise_name(alternate)
                    ids = index.setdefault(key, [])
                    if ident not in ids:
                        ids.append(ident)
            self._alternates = index
        return self._alternates

    def _city(self, key: str) -> tuple[Match, bool] | None:
        """The most populous city of that name, and whether it is the city's own name."""
        ids = self.gaz.by_name.get(key)
        own = bool(ids)
        if not ids:
            ids = self._other_spellings().get(key)
        if not ids:
            return None
        best = max((self.gaz._city_match(i) for i in ids), key=lambda m: m.population)
        return best, own

    # -- references ---------------------------------------------------------

    def _own_ref(self, place: Place) -> PlaceRef:
        lat, lon = place.anchor() or (None, None)
        country = self._code_of_iso3.get(place.iso3, "") if place.iso3 else ""
        return PlaceRef(
            place.id, place.name, place.kind, lat, lon, iso3=place.iso3, country=country, known=True
        )

    def _country_ref(self, code: str) -> PlaceRef:
        country = self.gaz.countries[code]
        iso3 = country["iso3"]
        for place in self.places.values():
            if place.iso3 == iso3:
                return self._own_ref(place)
        match = self.gaz._country_match(code)
        return self._new_ref(
            match.name,
            PlaceKind.AREA,
            match.lat,
            match.lon,
            iso3=iso3,
            country=code,
            note="Country, from the offline gazetteer (GeoNames); its label sits at the capital.",
        )

    def _city_ref(self, match: Match) -> PlaceRef:
        for place in self.places.values():
            anchor = place.anchor()
            if place.kind is PlaceKind.POINT and anchor and _near(anchor, (match.lat, match.lon)):
                return self._own_ref(place)
        return self._new_ref(
            match.name,
            PlaceKind.POINT,
            match.lat,
            match.lon,
            country=match.country,
            note=f"{match.describe()}, from the offline gazetteer (GeoNames).",
        )

    def _new_ref(self, name: str, kind: PlaceKind, lat: float, lon: float, **more: Any) -> PlaceRef:
        key = f"{name}|{more.get('country', '')}|{kind}"
        if key in self._made:
            return self._made[key]
        ident = slug(name)
        taken = set(self.places) | {r.id for r in self._made.values()}
        if ident in taken:
            ident = f"{ident}-{slug(more.get('country') or kind.value)}"
        ref = PlaceRef(ident, name, kind, round(lat, 4), round(lon, 4), **more)
        self._made[key] = ref
        return ref

    # -- finding ------------------------------------------------------------

    def find(
        self, text: str, offset: int = 0, article_words: set[str] | None = None
    ) -> list[FoundPlace]:
        """Every place named in ``text``; ``article_words``: the article's lower-case words."""
        found: list[FoundPlace] = []
        for run in _runs(text):
            i = 0
            while i < len(run):
                hit = None
                for j in range(len(run), i, -1):
                    start, end = run[i][0], run[j - 1][1]
                    whole = i == 0 and j == len(run)
                    tail = run[j][2].lower() if j < len(run) else ""
                    hit = self._match(
                        text[start:end], whole or tail in GENERIC_TAILS, article_words
                    )
                    if hit is not None:
                        found.append(
                            FoundPlace(
                                offset + start, offset + end, text[start:end], hit[0], hit[1]
                            )
                        )
                        i = j
                        break
                if hit is None:
                    i += 1
        return found

    def _match(
        self, name: str, whole: bool, article_words: set[str] | None
    ) -> tuple[PlaceRef, bool] | None:
        key = normalise_name(name)
        if not key or key in NOT_PLACES:
            return None
        own = self._own.get(key)
        if own is not None:
            return self._own_ref(own), False
        code = self._countries.get(key)
        if code and code in self.gaz.countries:
            return self._country_ref(code), False
        demonym = self._demonyms.get(key) or self._demonyms.get(key.removesuffix("s"))
        if demonym and demonym in self.gaz.countries:
            return self._country_ref(demonym), True
        if article_words is not None and " " not in key and key in article_words:
            return None  # the article uses it as an ordinary word
        found = self._city(key)
        if found is None:
            return None
        match, by_own_name = found
        needed = 0 if whole else BIG_CITY
        if not by_own_name:
            # Other spellings of one word only ("Moskva", "Teheran"): a phrase is more often
            # a translation ("White House" is Casablanca in Spanish) than a place's name.
            needed = max(needed, ALTERNATE_CITY)
        if match.population < needed:
            return None
        return self._city_ref(match), False


def _runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of capitalised words separated only by spaces or hyphens."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group()
        if word.endswith("’s") or word.endswith("'s"):
            end -= 2
            word = word[:-2]
        if current and _RUN_GAP.fullmatch(text[current[-1][1] : start]):
            current.append((start, end, word))
        else:
            if current:
                runs.append(current)
            current = [(start, end, word)]
        if match.end() != end:  # a possessive ends the run
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _near(a: tuple[float, float], b: tuple[float, float], km: float = 30.0) -> bool:
    import math

    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h))) <= km
