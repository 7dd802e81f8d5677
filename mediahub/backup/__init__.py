"""Backups of a running hub (`mediahub backup DEST`) and their restore (`mediahub restore SRC`)."""
