"""The one base of every error the library raises for a person to act on, and the exit codes of the command.

A library error carries an Indonesian message naming the file, the line and the fix; the command line turns it
into that message and the error's `exit_code` in one place (`cli._Group.invoke`), never a traceback. The table
is documented for staff and scripts in docs/petugas/perintah.md ("Kode keluar").
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_REFUSED = 1    # findings (records, history, pull request, settings), or input/state the user must fix
EXIT_USAGE = 2      # the command line itself is wrong: unknown option, bad value (click's own code)
EXIT_INTERNAL = 3   # a fault in pengaduan itself: report it to the system's maintainer


class PengaduanError(Exception):
    """An error a person can act on; the message is Indonesian and says what to fix."""

    exit_code = EXIT_REFUSED

    def details(self) -> list[str]:
        """Lines to print before the message (each problem of a configuration, for instance)."""
        return []
