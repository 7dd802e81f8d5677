"""Plumbing every feature uses, with no view of its own: configuration, the
extensions and the database, column types, domain errors, the job queue,
signals, mail sending, URLs, privacy helpers, languages and labels.

Input gates that are not about HTTP live here too: :mod:`.text` cleans text
from people (no NUL, lone surrogates or characters XML 1.0 cannot carry;
NFC), :mod:`.values` keeps numbers and dates in the ranges we store,
:mod:`.links` checks web addresses people give us, and :mod:`.guard` is the
last line at the database (no text a feed or PostgreSQL cannot carry is
ever written). What leaves goes through :mod:`.outbound`, one conversion
per destination.
"""
