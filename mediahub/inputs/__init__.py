"""Every input crosses one gate per kind, so a whole family of bad input is
refused (or cleaned) in one place instead of in each view.

- :mod:`.text`: text from people: no NUL, lone surrogates or other
  characters the database or XML 1.0 cannot carry; normalised to NFC.
- :mod:`.jsonbody`: request JSON, bounded in size and depth; NaN and
  Infinity refused.
- :mod:`.request`: the application's request class: query strings and form
  fields cleaned as they are parsed, JSON through :mod:`.jsonbody`.
- :mod:`.paths`: URL converters that refuse out-of-range ids and control
  characters (404) before a view runs.
- :mod:`.values`: numbers and dates in the ranges we store.
- :mod:`.urls`: web addresses people give us (http/https, IDNA host).
- :mod:`.guard`: the last line at the database: no text that PostgreSQL or
  a feed cannot carry is ever written, whatever path it came by.
"""
