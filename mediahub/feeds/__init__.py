"""Podcast and blog feeds."""
