"""Listener statistics: downloads counted by the IAB Tech Lab rules, without
personal data (issue 12).

A request for an episode's audio or a feed is recorded off the request's
path (:mod:`.recorder`) as a raw event that holds no address and no user
agent: a keyed hash with a secret of the day (:mod:`.listeners`), the class
of the app and device (:mod:`.agents`) and optionally a country code
(:mod:`.geo`). The worker rolls raw events up into daily figures
(:mod:`.rollup`), which the pages and the API read, with small numbers
withheld (:mod:`.protection`).
"""
