"""Groups feature."""
