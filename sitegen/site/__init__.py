"""The site: assembling pages from content, rendering them with the templates."""
