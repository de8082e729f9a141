"""Fair turns at the models: visitors' work runs in bounded chunks, and the chunks of different
visitors take turns, so a short request waits for at most about one chunk of anyone else's long job.

Who is asking is the visitor of the current request (``CURRENT_VISITOR``, set per event by the UI,
as the cache's per-visitor scope is); work without a visitor (the Python API, background indexing)
counts as one anonymous visitor.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from ..core.errors import InputError

WAIT_POLL_S = 0.5  # how often a waiting chunk checks whether its visitor is still there


@dataclass(eq=False)
class Visitor:
    """One browser session as the scheduler sees it: ``is_gone()`` once its tab has closed."""

    name: str = "anonymous"
    is_gone: Callable[[], bool] = field(default=lambda: False)


ANONYMOUS = Visitor()
CURRENT_VISITOR: ContextVar[Visitor | None] = ContextVar("current_visitor", default=None)


def current_visitor() -> Visitor:
    return CURRENT_VISITOR.get() or ANONYMOUS


class Cancelled(InputError):
    """The visitor who asked for the work has gone (their tab closed): the rest is not done."""

    def __init__(self) -> None:
        super().__init__("stopped: the page that asked for this was closed")


@dataclass(eq=False)
class LongJob:
    """A visitor's one long job: a request of more than one chunk, or a job of several model calls
    (Moments, Evaluate) whose calls are handed this job and take their turns as its visitor."""

    visitor: Visitor
    what: str


class LongJobs:
    """At most one long job per visitor at a time; anonymous work (the Python API, background
    indexing) is not limited."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[Visitor, LongJob] = {}

    def __len__(self) -> int:
        return len(self._held)

    @contextlib.contextmanager
    def hold(self, visitor: Visitor, what: str) -> Iterator[LongJob]:
        """The visitor's long job for the block; InputError at once if they have one running."""
        job = LongJob(visitor, what)
        if visitor.name == ANONYMOUS.name:
            yield job
            return
        with self._lock:
            running = self._held.get(visitor)
            if running is not None:
                raise InputError(f"you have a long request running already ({running.what}; it takes turns with "
                                 "other visitors'); wait for it to finish, then try again")
            self._held[visitor] = job
        try:
            yield job
        finally:
            with self._lock:
                self._held.pop(visitor, None)


class FairTurns:
    """One chunk at a time at the model, visitors in rotation: each visitor with work waiting is in
    the rotation once, and after a turn goes to its back. ``log`` keeps the last turns given (visitor
    names), for tests and the benchmark."""

    def __init__(self, log_size: int = 1000) -> None:
        self._changed = threading.Condition()
        self._rotation: deque[Visitor] = deque()
        self._tickets: dict[Visitor, deque[object]] = {}
        self._holder: object | None = None
        self.log: deque[str] = deque(maxlen=log_size)

    def ahead_of(self, visitor: Visitor) -> int:
        """How many other visitors get a turn before ``visitor``'s next one (the one holding the
        model included)."""
        with self._changed:
            place = self._rotation.index(visitor) if visitor in self._rotation else len(self._rotation)
            return place + (self._holder is not None)

    @contextlib.contextmanager
    def turn(self, visitor: Visitor, waiting: Callable[[int], None] | None = None) -> Iterator[None]:
        """The block runs when it is ``visitor``'s turn; ``waiting(ahead)`` is told while it waits.
        Cancelled if the visitor goes meanwhile."""
        ticket = object()
        with self._changed:
            self._tickets.setdefault(visitor, deque()).append(ticket)
            if visitor not in self._rotation:
                self._rotation.append(visitor)
            while self._holder is not None or self._tickets[self._rotation[0]][0] is not ticket:
                if visitor.is_gone():
                    self._give_up(visitor, ticket)
                    raise Cancelled()
                if waiting is not None:
                    waiting(self._rotation.index(visitor) + (self._holder is not None))
                self._changed.wait(WAIT_POLL_S)
            self._holder = ticket
            self._tickets[visitor].popleft()
            self._rotation.popleft()
            if self._tickets[visitor]:  # more of its work waits: at the back of the rotation
                self._rotation.append(visitor)
            else:
                del self._tickets[visitor]
            self.log.append(visitor.name)
        try:
            yield
        finally:
            with self._changed:
                self._holder = None
                self._changed.notify_all()

    def _give_up(self, visitor: Visitor, ticket: object) -> None:
        self._tickets[visitor].remove(ticket)
        if not self._tickets[visitor]:
            del self._tickets[visitor]
            self._rotation.remove(visitor)
        self._changed.notify_all()
