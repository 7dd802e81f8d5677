"""Keeping what someone typed when their login ended while they were writing."""
