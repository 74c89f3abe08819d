"""Reading content/ and validating it: files, YAML, site settings, facts, front matter."""
