"""The command-line verbs: build, check, serve, new, convert, review, i18n."""
