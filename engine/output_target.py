"""Where a command's output goes, and how, so that writing output never destroys anything.

The rules, for every file a command writes (``--out``, ``--save``, a report, a batch's output):

- a device, a named pipe or a socket (``/dev/null``, ``/dev/stdout``, a FIFO) is written as a
  stream, in place: it is never replaced by a regular file (``os.replace`` over ``/dev/null``
  would, as root, put a file in its place);
- a file that is an input of the same command, or the history database (or its -wal/-shm), is
  never written: the command is refused before anything is read or written;
- a regular file that exists is replaced only when the caller says so (``--force``, or the
  officer answered yes); a batch output is the exception, since it is resumed (appended to);
- a regular file is written atomically: a temporary file in the same folder, flushed to disk,
  renamed over the target; a temporary name that would be longer than the folder allows (a
  250-character file name) falls back to a short one; a new file is readable by its owner only
  (0600, case data), a replaced one keeps its mode; a symbolic link is followed, not replaced;
- a pipe closed by its reader (``| head``) raises ``BrokenPipeError``, which the command line
  turns into a quiet stop (exit 141, as a Unix tool killed by SIGPIPE), never "internal error";
- text a stream's encoding cannot show (a Windows code page) is replaced, not a crash
  (``forgiving``).

Must not: print, prompt, or decide what to write. Entry points: ``plan(path, inputs=...,
history=..., force=..., append=...) -> Target``, ``write_text(target, text)``,
``write_file(path, text)``, ``open_append(target)``, ``make_private_folders(folder)``,
``forgiving(stream)``.
"""
from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.errors import Location, OutputError, Problem, UsageError

PRIVATE_FILE = 0o600  # case data: owners' names, incomes, households
PRIVATE_FOLDER = 0o700
TEMP_SUFFIX = ".tmp"
SHORT_TEMP_PREFIX = ".mse-"


@dataclass(frozen=True)
class Target:
    """Where to write and how: ``kind`` is "stream" (a device, pipe or socket: written in
    place), "new" (no file there yet) or "existing" (a regular file: replaced atomically, or
    appended to by a batch). ``path`` is the real path (a symbolic link followed)."""

    path: Path
    kind: str
    asked: str  # the path as the user gave it, for messages


def plan(path: str | os.PathLike, *, inputs=(), history: str | os.PathLike | None = None,
         force: bool = False, append: bool = False, option: str = "--out") -> Target:
    """How to write ``path``, or ``UsageError`` (exit 2) saying why it must not be written:
    it is one of ``inputs`` (paths this command reads) or the ``history`` database, or it is a
    regular file that exists and neither ``force`` nor ``append`` was given. ``OutputError``
    (exit 1) when it cannot be written at all (a folder, a folder that does not exist)."""
    asked = str(path)
    real = Path(os.path.realpath(path))
    where = Location(asked)
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError.at(asked, exc.strerror or str(exc)) from None
    protected = [(p, "an input of this command") for p in inputs if p is not None]
    if history is not None:
        protected += [(f"{history}{suffix}", "the history database")
                      for suffix in ("", "-wal", "-shm", "-journal")]
    for other, what in protected:
        if _same_file(real, info, other):
            raise UsageError([Problem(where, f"is {what}: writing to it would destroy it; "
                                             f"give {option} another file")])
    if info is None:
        if not real.parent.is_dir():
            raise OutputError.at(asked, f"the folder {real.parent} does not exist")
        return Target(real, "new", asked)
    if stat.S_ISDIR(info.st_mode):
        raise OutputError.at(asked, f"it is a folder: give {option} a file name")
    if not stat.S_ISREG(info.st_mode):
        return Target(real, "stream", asked)
    if not (force or append):
        raise UsageError([Problem(where, "exists already: add --force to replace it, or give "
                                         f"{option} another file")])
    return Target(real, "existing", asked)


def _same_file(real: Path, info, other) -> bool:
    if info is None:
        return Path(os.path.realpath(other)) == real
    try:
        theirs = os.stat(other)
    except OSError:
        return False
    return (theirs.st_dev, theirs.st_ino) == (info.st_dev, info.st_ino)


def write_text(target: Target, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target``: in place for a stream, atomically for a file.
    ``OutputError`` when the file cannot be written (nothing is changed then);
    ``BrokenPipeError`` when a pipe's reader has gone."""
    try:
        return write_file(target.path, text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError.at(target.asked, exc.strerror or str(exc)) from None


def write_file(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` by the rules above, whatever the caller planned: a
    device, pipe or socket in place; a regular file (a symbolic link followed) through a
    temporary file in the same folder, flushed to disk, then ``os.replace``, so the file is
    always the old text or the new, never a mixture. A new file is 0600; a replaced one keeps
    its mode. OSError when it fails (the temporary file is removed)."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file() and not target.is_dir():
        with open(target, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        return target
    folder = target.parent
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(folder, target.name), suffix=TEMP_SUFFIX,
                               dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if target.exists():  # keep the mode of the file replaced; a new one stays 0600
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return target


def temp_prefix(folder: Path, name: str) -> str:
    """``.NAME.`` for the temporary file beside NAME, or a short prefix when ``.NAME.`` plus
    mkstemp's 8 characters and the suffix would not fit the folder's name limit."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = 255
    prefix = f".{name}."
    if len(os.fsencode(prefix)) + 8 + len(TEMP_SUFFIX) > limit:
        return SHORT_TEMP_PREFIX
    return prefix


def open_append(target: Target):
    """A binary stream to append to: a device or pipe as it is; a file opened for reading and
    writing (the caller seeks and truncates), created 0600 when new."""
    if target.kind == "stream":
        return open(target.path, "wb")
    fd = os.open(target.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    return os.fdopen(fd, "r+b")


def make_private_folders(folder: str | os.PathLike) -> None:
    """Create ``folder`` and each missing parent readable by this user only (0700); existing
    folders are left as they are. OSError (with ``filename``) when one cannot be made."""
    missing = []
    current = Path(folder)
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_FOLDER)
        except FileExistsError:
            pass  # made by another process meanwhile


def forgiving(stream) -> None:
    """Make a text stream replace what its encoding cannot show (``?``) instead of raising
    UnicodeEncodeError; a stream that cannot be reconfigured is left alone."""
    try:
        stream.reconfigure(errors="replace")
    except (AttributeError, ValueError, OSError):
        pass
