"""Outgoing mail: notifications about the review workflow and invitations.

Mails are rendered and sent by the worker (never inside a request), in the
recipient's language, as plain text. They name items by their title only:
no audio, no texts, nothing else about a person's health.
"""
