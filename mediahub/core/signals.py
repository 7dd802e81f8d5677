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
item_changed = _signals.signal("item-changed")  # edits of fields
group_changed = _signals.signal("group-changed")
#: What the public may know about a person changed: their name, whether they
#: are named (credited), an account deactivated or (sent before) deleted.
#: Sender: the User.
person_changed = _signals.signal("person-changed")
media_ready = _signals.signal("media-ready")
