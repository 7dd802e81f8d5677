"""The review workflow shared by episodes and posts."""
