"""Chronomap: dated, sourced events on a timeline linked to a map."""

__version__ = "0.1.0"
