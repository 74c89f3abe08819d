"""Text: Markdown with our rules, zh-Hans to zh-Hant conversion, and the content lint."""
