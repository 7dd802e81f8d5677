"""Posts feature."""
