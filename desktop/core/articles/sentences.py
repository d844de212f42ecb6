"""Sentences of an article, each with its character offsets in the article text.

Quotes must be exact, so nothing here rewrites text: a sentence is a slice
``text[start:end]`` of the article as read. Splitting is by rule, not by a
model: it has to work offline, fast, on scraped text where paragraphs run
together ("…for such transfers.Highlighting an…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # 0-based paragraph number: the lead is paragraph 0

    def __len__(self) -> int:
        return self.end - self.start


# Words whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt cmdr adm gov sen rep st jr sr vs etc inc ltd co corp
    no nos fig approx jan feb mar apr jun jul aug sep sept oct nov dec mt ft est dept univ
    e.g i.e u.s u.k u.n u.s.a e.u""".split(),  # noqa: SIM905
)
# A sentence ends at . ! ? (and any closing quotes or brackets after it), before
# white space and something that can start a sentence; or at a full stop glued
# to the next sentence's capitalised first word (".Highlighting").
_END = re.compile(
    r"""(?P<stop>[.!?]+["'”’)\]]*)(?=\s+["'“‘(\[]?[A-Z0-9–—-]|\s*$)"""
    r"""|(?<=[a-z)”’"])(?P<glued>\.)(?=[A-Z][a-z])"""
)
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[-–—•*|]|\s*[A-Z])")
_SPACE = " \t\r\n\u00a0"


def _abbreviation_before(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` closes an abbreviation ("Dr.", "U.S.", "Jan.")."""
    word = re.search(r"([A-Za-z][A-Za-z.]*)$", text[max(0, stop - 12) : stop])
    if word is None:
        return False
    token = word.group(1).lower().rstrip(".")
    if token in _ABBREVIATIONS:
        return True
    # Initials: "George W. Bush", "J. R. R."
    return len(token) == 1 and word.group(1).isupper()


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines and line breaks before a new block."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _PARAGRAPH.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in spans) if b > a]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` in order, trimmed of surrounding white space."""
    sentences: list[Sentence] = []
    for number, (para_start, para_end) in enumerate(split_paragraphs(text)):
        block = text[para_start:para_end]
        position = 0
        for match in _END.finditer(block):
            stop = match.start()
            if (
                match.group("stop")
                and match.group("stop").startswith(".")
                and (_abbreviation_before(block, stop))
            ):
                continue
            end = match.end()
            _append(sentences, text, para_start + position, para_start + end, number)
            position = end
        _append(sentences, text, para_start + position, para_end, number)
    return sentences


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    start, end = _trim(text, start, end)
    if end > start:
        out.append(Sentence(start, end, text[start:end], paragraph))
