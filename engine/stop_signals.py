"""Every way a process is told to stop ends an interview as Ctrl-C does: with the answers saved.

Ctrl-C raises ``KeyboardInterrupt``, which the interview catches to save the case. A terminal
that closes sends SIGHUP, and ``kill``, a logout or a shutdown send SIGTERM; by default either
ends Python at once and every answer is lost. Inside ``stops_as_interrupt()`` they raise
``KeyboardInterrupt`` too. Inside ``stops_held()`` (around the save itself) every stop signal,
Ctrl-C included, is held until the block ends, so a second signal cannot cut the save in half;
the command then ends as it was asked to.

Must not: print, save, or change anything outside the ``with`` block (the previous handlers
come back). Signals can only be handled in the main thread: elsewhere the blocks do nothing.
Entry points: ``stops_as_interrupt()``, ``stops_held() -> Held`` (``Held.received``: the
signal numbers that arrived), ``STOP_SIGNALS``.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


def _install(handler) -> dict:
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}


def _restore(previous: dict) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"stopped by signal {signum}")


@contextmanager
def stops_as_interrupt():
    """Within the block, SIGTERM and SIGHUP raise ``KeyboardInterrupt`` as Ctrl-C does."""
    previous = _install(_interrupt)
    try:
        yield
    finally:
        _restore(previous)


@dataclass
class Held:
    """The stop signals that arrived while they were held."""

    received: list = field(default_factory=list)


@contextmanager
def stops_held():
    """Within the block, stop signals are remembered instead of acted on; when it ends, the
    first one is raised as ``KeyboardInterrupt`` (the caller has finished saving by then)."""
    held = Held()
    previous = _install(lambda signum, frame: held.received.append(signum))
    try:
        yield held
    finally:
        _restore(previous)
    if held.received:
        raise KeyboardInterrupt(f"stopped by signal {held.received[0]}")
