"""Readers and writers for each on-disk form of a dataset."""
