"""Checklist definitions: XLSForm reading, the form model, expressions, answer validation."""
