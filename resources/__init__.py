"""Fonts, translations, built-in form templates and demo data, loaded through resources.files()."""
