"""Output: writing the site safely, the search index, and the no-change cache."""
