"""Media feature."""
