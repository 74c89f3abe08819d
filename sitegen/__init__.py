"""sitegen: build the bilingual zh-Hans/zh-Hant guide site (its version is in pyproject.toml only)."""
