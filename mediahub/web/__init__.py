"""The HTML side's plumbing: security headers, templating, error pages,
shared form pieces and the one "validate → service → flash → redirect"
helper (:mod:`.actions`), the request's commit point (:mod:`.transaction`),
byte ranges, and the budgets for guessing secret addresses.

The request's own input gates: :mod:`.request` (query strings and forms
cleaned as they are parsed, JSON through :mod:`.jsonbody`, bounded in size
and depth, NaN refused) and :mod:`.paths` (URL converters that refuse
out-of-range ids and control characters before a view runs).
"""
