"""From articles to events: dated, located, quoted candidates from news text, offline.

``extract(paths, dataset)`` reads .txt, .html, .pdf and .eml articles and
returns candidate events, each with its date (resolved against the
publication date and the story so far), its places (the dataset's own first,
then the offline gazetteer), and citations with the exact quote and its
character offsets. The same event reported by several articles is one
candidate with several citations.
"""

from .convert import candidate_citations, candidate_event, extraction_dataset, extraction_json
from .extract import Candidate, Citation, Extraction, extract, extract_articles
from .reading import ARTICLE_SUFFIXES, Article, ArticleError, is_article_path, read_article

__all__ = [
    "ARTICLE_SUFFIXES",
    "Article",
    "ArticleError",
    "Candidate",
    "Citation",
    "Extraction",
    "candidate_citations",
    "candidate_event",
    "extract",
    "extract_articles",
    "extraction_dataset",
    "extraction_json",
    "is_article_path",
    "read_article",
]
