"""SQLite write-ahead-log checkpoints on a background thread instead of inside requests.

By default SQLite checkpoints inside whichever commit pushes the log past 1,000 pages: every
fortieth or so task completion then copies the log into the database and waits for two disk
syncs, some milliseconds, while the official waits. SQLite lets an application turn the
automatic checkpoint down and run checkpoints itself on any connection
(https://www.sqlite.org/wal.html). This thread runs a PASSIVE checkpoint, which never blocks
readers or writers, every `interval` seconds on its own connection. Request connections keep
SQLite's automatic checkpoint at a higher page count (`database.FALLBACK_CHECKPOINT_PAGES`), so
the log stays bounded if this thread stops.
"""
import logging
import os
import sqlite3
import threading

log = logging.getLogger(__name__)


class WalCheckpointer:
    """A daemon thread checkpointing one SQLite database file every `interval` seconds."""

    def __init__(self, path, interval, busy_timeout_ms=30000):
        self.path, self.interval = str(path), interval
        self._busy_timeout_ms = busy_timeout_ms
        self._stop = threading.Event()
        self._thread = None
        self.checkpoints = 0  # how many have run
        self.checkpointed = threading.Event()  # set by each one (tests wait on it)

    def start(self):
        """Start the thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sqlite-wal-checkpoint",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self):
        """Stop the thread after one last checkpoint."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def checkpoint(self, connection):
        """One PASSIVE checkpoint: (busy, log pages, pages checkpointed) as SQLite reports."""
        found = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.checkpoints += 1
        self.checkpointed.set()
        return found

    def _run(self):
        connection = None
        try:
            while not self._stop.wait(self.interval):
                connection = self._checkpoint_logged(connection)
            self._checkpoint_logged(connection)
        finally:
            if connection is not None:
                connection.close()

    def _checkpoint_logged(self, connection):
        if connection is None and not os.path.exists(self.path):
            return None  # not created yet (`flask init-db` has not run): nothing to copy
        try:
            if connection is None:
                # mode=rw: never create the file, should it go between the check and here.
                connection = sqlite3.connect(f"file:{self.path}?mode=rw", uri=True)
                connection.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            self.checkpoint(connection)
        except sqlite3.Error:  # the next round tries again; the fallback bounds the log
            log.exception("background WAL checkpoint of %s failed", self.path)
        return connection
