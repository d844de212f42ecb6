"""Words of a sentence: its content words for comparing wording, a short title, a category.

All by rule, offline: a stop-word list, a crude stem (the first letters of a
word, enough to tell "signed" and "signing" are one word), and a small
lexicon of the kinds of events briefings are made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours said says say according two one three new also its
    both between year years month months week day days last next first time well may might must
    shall still yet however including within without across amid among per upon
    via""".split(),  # noqa: SIM905
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+")

# Category -> words that suggest it (stems, matched at the start of a word).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "treaty": (
        "treaty",
        "treaties",
        "agreement",
        "accord",
        "pact",
        "signing",
        "signed",
        "sign ",
        "ratif",
        "deal",
    ),
    "diplomacy": (
        "visit",
        "talks",
        "summit",
        "ambassador",
        "minister",
        "diplomat",
        "spokes",
        "envoy",
        "statement",
        "meeting",
        "met ",
        "brics",
        "relations",
        "negotiat",
        "joined",
        "consult",
    ),
    "security": (
        "military",
        "war",
        "strike",
        "drone",
        "missile",
        "attack",
        "defen",
        "army",
        "troops",
        "offensive",
        "weapon",
        "intelligence",
        "conflict",
        "aggress",
        "invasion",
        "killed",
        "shell",
    ),
    "energy": (
        "gas",
        "oil",
        "pipeline",
        "energy",
        "nuclear power",
        "reactor",
        "power plant",
        "electric",
        "plant",
        "uranium",
        "fuel",
    ),
    "politics": (
        "elect",
        "inaugurat",
        "death",
        "died",
        "president-elect",
        "parliament",
        "government",
        "toppl",
        "resign",
        "took office",
        "taking office",
        "supreme leader",
        "dissolution",
        "coup",
        "vote",
        "referendum",
    ),
    "transport": (
        "corridor",
        "railway",
        "rail",
        "port",
        "road",
        "route",
        "shipping",
        "transit",
        "logistic",
        "airport",
        "highway",
    ),
    "economy": (
        "trade",
        "currenc",
        "economic",
        "market",
        "sanction",
        "bank",
        "swift",
        "invest",
        "contract",
        "tariff",
        "export",
        "import",
    ),
}


def stem(word: str) -> str:
    word = word.lower().replace("’", "'").removesuffix("'s")
    return word[:6] if len(word) > 6 else word


def content_words(text: str) -> set[str]:
    return {stem(w) for w in _TOKEN.findall(text) if w.lower() not in STOPWORDS and len(w) > 2}


def similarity(a: set[str], b: set[str]) -> float:
    """Overlap of two content-word sets, against the smaller (a short report of a
    long sentence's event still reads as the same event)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b)) * 0.5 + len(a & b) / len(a | b) * 0.5


def guess_category(text: str, known: Iterable[str] = ()) -> str:
    """The category whose words the sentence uses most; the dataset's own categories win ties."""
    low = " " + text.lower() + " "
    known_set = set(known)
    best, best_score = "", 0.0
    for category, words in CATEGORY_WORDS.items():
        score = float(sum(low.count(" " + w) for w in words))
        if score and category in known_set:
            score += 0.5
        if score > best_score:
            best, best_score = category, score
    return best


_LEADING = re.compile(
    r"^(?:(?:(?:on|in|at|by|since|during|last|early|late|however|meanwhile|furthermore|moreover|"
    r"additionally|also|notably|in addition|as an example|for example|in a [\w -]+ move|"
    r"according to [^,]{1,60}|this|that)\b[^,]{0,40},\s*)|[-–—•]\s*)+",
    re.IGNORECASE,
)


def short_title(sentence: str, limit: int = 80) -> str:
    """A headline-length title from a sentence: leading time and linking phrases dropped,
    cut at a clause boundary near ``limit`` characters."""
    text = " ".join(sentence.split())
    stripped = _LEADING.sub("", text).strip() or text
    stripped = stripped.strip(" \"'“”‘’")
    if len(stripped) > limit:
        window = stripped[: limit + 1]
        cut = max(window.rfind(", "), window.rfind("; "), window.rfind(" — "), window.rfind(" – "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        stripped = stripped[:cut].rstrip(",;:—–\"'“”‘’( ") + "…"
    stripped = stripped.rstrip(".")
    return stripped[:1].upper() + stripped[1:]
