"""Episodes feature."""
