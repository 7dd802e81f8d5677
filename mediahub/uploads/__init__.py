"""Resumable uploads of large recordings (the tus 1.0.0 protocol)."""
