"""sitegen: build the bilingual zh-Hans/zh-Hant guide site."""

__version__ = "0.1.0"
