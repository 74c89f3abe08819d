"""The command-line verbs: build, check, serve, new, review, i18n (convert is text.chinese.preview)."""
