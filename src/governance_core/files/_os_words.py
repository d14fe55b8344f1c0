"""Why the operating system or a database driver refused, in the reader's words: their own
texts are English ("No such file or directory", "file is not a database"); the common ones
are said through the message catalog, any other is kept as the system gave it."""

from __future__ import annotations

import errno

from governance_core.messages import _

__all__ = ["driver_reason", "os_reason"]


def os_reason(exc: OSError) -> str:
    """``exc``'s reason: a missing file, a folder, no permission in words; else its own."""
    words = {
        errno.ENOENT: _("no such file or folder"),
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.EISDIR: _("it is a folder"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
        errno.ENOSPC: _("the disk is full"),
    }
    return words.get(exc.errno or 0) or exc.strerror or str(exc)


_DRIVER = {
    "file is not a database": lambda: _("the file is not a database"),
    "unable to open database file": lambda: _("the database file cannot be opened"),
    "database is locked": lambda: _("the database is locked by another program"),
}


def driver_reason(text: str) -> str:
    """A database driver's first line of reason, in words where it is a common one."""
    found = _DRIVER.get(text.strip().lower())
    return found() if found is not None else text
