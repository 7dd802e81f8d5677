"""Signals that features emit and others subscribe to (feeds, mails, stats).

Receivers get the item (episode or post) as sender and keyword arguments:
``actor`` (a User or None for the system), ``event`` (the ReviewEvent).
"""

from blinker import Namespace

_signals = Namespace()

item_submitted = _signals.signal("item-submitted")
item_reviewed = _signals.signal("item-reviewed")  # any editor decision
item_published = _signals.signal("item-published")
item_unpublished = _signals.signal("item-unpublished")
item_deleted = _signals.signal("item-deleted")
item_withdrawn = _signals.signal("item-withdrawn")  # the author took it back from review
item_changed = _signals.signal("item-changed")  # edits of fields
group_changed = _signals.signal("group-changed")
#: What the public may know about a person changed: their name, whether they
#: are named (credited), an account deactivated or (sent before) deleted.
#: Sender: the User.
person_changed = _signals.signal("person-changed")
media_ready = _signals.signal("media-ready")
#: An episode's audio was answered (any status, any method; the statistics
#: decide what counts). Sender: the Episode; ``asset`` (its MediaAsset),
#: ``environ`` (the WSGI request) and ``response``. Receivers must not do I/O:
#: the listener is waiting.
audio_served = _signals.signal("audio-served")
#: A feed was answered. Sender: the group's slug (None: the hub's feeds);
#: ``feed`` ("podcast" or "blog"), ``environ`` and ``status`` (an int).
#: Public feeds are answered in front of Flask (no app context): receivers
#: must be quick and must not need one.
feed_served = _signals.signal("feed-served")
#: An episode's transcript was removed by a person (sender: the episode; ``actor``).
transcript_removed = _signals.signal("transcript-removed")
