"""An idle worker takes a new job at once, not after Huey's backoff.

On the one-machine default the queue is a SQLite file, which cannot wake a
waiting worker: it has to look. Huey's backoff let an idle worker thread
sleep up to a second between looks, so an upload's encode started up to a
second after the upload ended.
"""

from __future__ import annotations

from huey import Huey
from huey.storage import MemoryStorage

from mediahub.cli import POLL_SECONDS, PromptWorker, make_consumer


class Waits:
    """A stop flag that is never set and remembers how long it was waited for."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        return False

    def is_set(self) -> bool:
        return False


def worker(queue: Huey, flag: Waits) -> PromptWorker:
    return PromptWorker(queue, flag, default_delay=POLL_SECONDS, max_delay=1.0, backoff=1.15)


def test_an_idle_worker_looks_into_the_queue_every_tenth_of_a_second():
    flag = Waits()
    idle = worker(Huey("idle", storage_class=MemoryStorage), flag)
    for _ in range(60):  # six seconds of an empty queue
        idle.loop()
    assert flag.waits == [POLL_SECONDS] * 60
    assert POLL_SECONDS <= 0.1


def test_a_queue_that_cannot_be_read_is_tried_less_and_less_often():
    class Broken(MemoryStorage):
        def dequeue(self):
            raise ConnectionError("the queue's database is down")

    flag = Waits()
    failing = worker(Huey("broken", storage_class=Broken), flag)
    for _ in range(40):
        failing.loop()
    assert flag.waits[0] == POLL_SECONDS
    assert flag.waits == sorted(flag.waits)
    assert flag.waits[-1] == 1.0  # not a busy loop while it is down


def test_the_worker_command_runs_prompt_workers():
    made = make_consumer(2)._create_worker()
    assert isinstance(made, PromptWorker)
    assert made.default_delay == POLL_SECONDS
