"""Clips: short passages of published episodes as shareable videos.

An author or editor marks a passage (5 to 90 seconds) and a title; it goes
through review like every other item; each approved clip is rendered in the
background into three MP4 files (square, vertical, landscape) with the
artwork, the titles, a moving waveform and the transcript's words burned in.
The rendering adapters (:mod:`.layout`, :mod:`.cards`, :mod:`.captions`,
:mod:`.render`, :mod:`.inspect`) know nothing of Flask or the database.
"""
