"""Reading an article file (.txt, .html, .pdf, .eml) into its text and what it says about itself.

Every failure is an ArticleError whose message is one line naming the file
and what to do; nothing here raises anything else for bad input. Offsets in
quotes refer to ``Article.text``: the file's text as decoded (.txt), the main
text trafilatura extracts (.html, an e-mail's HTML body), the text layer
(.pdf, its lines joined back into paragraphs).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import email.utils
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..dates import DateError, PartialDate, parse_date

# An article is a few thousand words. Far larger text is a dump, a log or a
# book, and would make the review list useless: refuse it with the reason.
MAX_BYTES = 5 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
ARTICLE_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".pdf", ".eml")


class ArticleError(Exception):
    """An article that cannot be read; ``str()`` is the one line to show."""


@dataclass(frozen=True)
class Article:
    path: str
    text: str
    title: str = ""
    publisher: str = ""
    published: PartialDate | None = None
    # Where the publication date came from ("metadata", "dateline", "the 'date' line"…).
    published_from: str = ""
    url: str = ""
    kind: str = "text"
    # The dateline's place ("Moscow"), where the story starts after it, and a
    # dateline day given without a year ((month, day), for a year found later).
    dateline_place: str = ""
    dateline_end: int = 0
    dateline_day: tuple[int, int] | None = None
    # Spans that carry only headline, date or signature lines: never events.
    furniture: tuple[tuple[int, int], ...] = ()

    @property
    def name(self) -> str:
        return Path(self.path).name


def is_article_path(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in ARTICLE_SUFFIXES


def read_article(path: str | os.PathLike[str]) -> Article:
    """Read one article; raises ArticleError (one line) for anything that is not one."""
    path = Path(path)
    label = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ArticleError(f"{label}: is a folder, not an article file")
        if size == 0:
            raise ArticleError(f"{label}: the file is empty: no article text to read")
        if size > MAX_BYTES:
            raise ArticleError(
                f"{label}: {size / 1024 / 1024:.1f} MB is too large for one article "
                f"(at most {MAX_BYTES // 1024 // 1024} MB): split it or keep only the article"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{label}: no such file") from None
    except OSError as exc:
        raise ArticleError(f"{label}: cannot read it: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        article = _read_pdf(label, data)
    elif suffix == ".eml" or _looks_like_email(data):
        article = _read_email(label, data)
    elif suffix in HTML_SUFFIXES or _looks_like_html(data):
        article = _from_html(label, _decode(label, data), kind="html")
    else:
        article = _from_plain(label, _decode(label, data))
    if not article.text.strip():
        raise ArticleError(f"{label}: no article text found in it")
    if len(article.text) > MAX_TEXT_CHARS:
        raise ArticleError(
            f"{label}: {len(article.text):,} characters of text is too long for one article "
            f"(at most {MAX_TEXT_CHARS:,})"
        )
    return article


def _decode(label: str, data: bytes) -> str:
    if b"\x00" in data[:8192] or _binary_share(data[:8192]) > 0.1:
        raise ArticleError(
            f"{label}: this is binary data, not article text (.txt, .html, .pdf, .eml)"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _binary_share(head: bytes) -> float:
    if not head:
        return 0.0
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head)


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _looks_like_email(data: bytes) -> bool:
    head = data[:4096]
    starts_with_header = re.match(
        rb"(?i)(received|from|return-path|message-id|mime-version|date|subject|to):", head
    )
    return bool(starts_with_header) and re.search(rb"(?im)^subject:", head) is not None


def _from_plain(label: str, text: str, kind: str = "text") -> Article:
    from .metadata import text_metadata

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta = text_metadata(text)
    return Article(
        label,
        text,
        title=meta.title,
        publisher=meta.publisher,
        published=meta.published,
        published_from=meta.published_from,
        kind=kind,
        dateline_place=meta.dateline_place,
        dateline_end=meta.dateline_end,
        dateline_day=meta.dateline_day,
        furniture=meta.furniture,
    )


def _from_html(label: str, html: str, kind: str) -> Article:
    try:
        import trafilatura
    except Exception as exc:  # missing, or its data files missing from a bundle
        raise ArticleError(f"{label}: HTML cannot be read here (trafilatura: {exc})") from None
    try:
        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # broken markup must end in one line, whatever the parser did
        raise ArticleError(f"{label}: the HTML cannot be read: {type(exc).__name__}") from None
    if document is None:
        raise ArticleError(f"{label}: no article text found in the HTML (broken or empty page)")
    found = document if isinstance(document, dict) else document.as_dict()
    text = (found.get("text") or "").strip()
    if not text:
        raise ArticleError(f"{label}: no article text found in the HTML (broken or empty page)")
    from_text = _from_plain(label, text, kind=kind)
    published, published_from = from_text.published, from_text.published_from
    if found.get("date"):
        with contextlib.suppress(DateError):
            published, published_from = parse_date(str(found["date"])).date, "the page's metadata"
    return replace(
        from_text,
        title=str(found.get("title") or from_text.title or ""),
        publisher=str(found.get("sitename") or from_text.publisher or ""),
        published=published,
        published_from=published_from,
        url=str(found.get("url") or ""),
    )


def _read_pdf(label: str, data: bytes) -> Article:
    import io

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except Exception as exc:  # missing from this installation
        raise ArticleError(f"{label}: PDF cannot be read here (pypdf: {exc})") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info: dict[str, object] = dict(reader.metadata or {})
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ArticleError(f"{label}: the PDF cannot be read: {exc}") from None
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise ArticleError(f"{label}: the PDF cannot be read: {type(exc).__name__}") from None
    text = _reflow("\n\n".join(p.strip() for p in pages if p.strip()))
    if not text.strip():
        raise ArticleError(
            f"{label}: the PDF has no text layer (a scan?): run it through OCR first, "
            "or paste the text into a .txt file"
        )
    article = _from_plain(label, text, kind="pdf")
    title = str(info.get("/Title") or "").strip() or article.title
    publisher = str(info.get("/Author") or "").strip() or article.publisher
    published, published_from = article.published, article.published_from
    created = str(info.get("/CreationDate") or "")
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", created)
    if published is None and match:
        try:
            published = parse_date("-".join(match.groups())).date
            published_from = "the PDF's creation date"
        except DateError:
            pass
    return replace(
        article,
        title=title,
        publisher=publisher,
        published=published,
        published_from=published_from,
    )


def _reflow(text: str) -> str:
    """Lines of a PDF page joined back into paragraphs; a blank line or a short
    line ending a sentence ends a paragraph."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        paragraph = ""
        for line in lines:
            if paragraph.endswith("-") and not paragraph.endswith(" -"):
                paragraph = paragraph[:-1] + line
            elif paragraph:
                paragraph += " " + line
            else:
                paragraph = line
        if paragraph:
            out.append(paragraph)
    return "\n\n".join(out)


def _read_email(label: str, data: bytes) -> Article:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the parser is lenient; this is for the truly mangled
        raise ArticleError(f"{label}: the e-mail cannot be read: {type(exc).__name__}") from None
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    try:
        if plain is not None:
            article = _from_plain(label, plain.get_content(), kind="email")
        elif html is not None:
            article = _from_html(label, html.get_content(), kind="email")
        else:
            raise ArticleError(f"{label}: the e-mail has no text body")
    except (LookupError, UnicodeError) as exc:
        raise ArticleError(f"{label}: the e-mail's text cannot be decoded: {exc}") from None
    published, published_from = article.published, article.published_from
    sent = message.get("Date")
    if sent:
        try:
            moment = email.utils.parsedate_to_datetime(str(sent))
            published = PartialDate(moment.year, moment.month, moment.day)
            published_from = "the e-mail's Date header"
        except (TypeError, ValueError):
            pass
    sender = message.get("From")
    publisher = article.publisher
    if sender and not publisher:
        name, address = email.utils.parseaddr(str(sender))
        publisher = name or address
    title = str(message.get("Subject") or "").strip() or article.title
    return replace(
        article,
        title=title,
        publisher=publisher,
        published=published,
        published_from=published_from,
    )
