"""Site feature."""
