"""JSON API v1: shared plumbing (auth, errors, content types)."""
