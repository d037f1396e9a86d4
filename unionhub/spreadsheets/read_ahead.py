"""Reading a large XLSX sheet in a second process, so that parsing it overlaps the caller's work on its rows.

A 100,000-row roster takes about 1.2 s of CPU to parse and about as much again to check and stage; on a
machine with two cores the parse can run beside the check. ``sheet_rows`` starts
``python -m unionhub.spreadsheets.read_ahead FILE SHEET``, which runs ``xlsx_rows`` and writes its rows to
a pipe in ``marshal`` frames of ``FRAME_ROWS`` rows (cells are only ``str``, ``int``, ``float``, ``bool`` and
``None``), and yields them as ``xlsx_rows`` would. The child imports the spreadsheet core only, never Django's
settings, models or a database connection.

The rows are the same either way, and so are the errors: a child that fails for any reason (a broken or
hostile part, no memory, a process that could not start) writes no end frame; the caller then reads the
sheet in its own process, skipping the rows it already has, and the in-process reader raises the
``SpreadsheetError`` a user would have seen without the second process, translated as usual. Closing the
iterator early (a sheet that holds no roster) stops the child. Files under ``MIN_BYTES`` are read in-process:
starting the child costs about 0.2 s.
"""

from __future__ import annotations

import itertools
import logging
import marshal
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from unionhub.spreadsheets.xlsx_stream import xlsx_rows

MIN_BYTES = 512 * 1024
FRAME_ROWS = 2000
_LENGTH = struct.Struct("<Q")
_ROOT = Path(__file__).resolve().parents[2]  # the directory holding the ``unionhub`` package

logger = logging.getLogger(__name__)


def _command(path: str, sheet: int) -> list[str]:
    return [sys.executable, "-m", "unionhub.spreadsheets.read_ahead", path, str(sheet)]


def sheet_rows(path: str, sheet: int = 0, *, min_bytes: int | None = None) -> Iterator[tuple[int, tuple]]:
    """(sheet row number, values) of worksheet ``sheet`` of the XLSX file at ``path``, as ``xlsx_rows``
    gives them, parsed in a second process when the file is at least ``min_bytes`` (``MIN_BYTES``)."""
    if os.path.getsize(path) < (MIN_BYTES if min_bytes is None else min_bytes):
        yield from xlsx_rows(path, sheet)
        return
    delivered = 0
    finished = False
    try:
        pipes = {"stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL}
        child = subprocess.Popen(_command(path, sheet), cwd=_ROOT, **pipes)
    except OSError as exc:
        logger.warning("spreadsheet reader process could not start (%s); reading in this process", exc)
        child = None
    if child is not None:
        try:
            for frame in _frames(child.stdout):
                if frame is None:
                    finished = True
                    break
                yield from frame
                delivered += len(frame)
        finally:
            _end(child, finished)
        if not finished:
            logger.warning(
                "spreadsheet reader process ended with %s after %s rows; reading the rest in this process",
                child.returncode,
                delivered,
            )
    if not finished:
        yield from itertools.islice(xlsx_rows(path, sheet), delivered, None)


def _end(child: subprocess.Popen, finished: bool) -> None:
    """Reap the child: after its end frame it is exiting on its own; otherwise (closed early, failed) stop it."""
    try:
        child.wait(timeout=10 if finished else 0)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
    child.stdout.close()


def _frames(stream) -> Iterator[list | None]:
    """The child's frames; None for the end frame. Stops without it when the stream ends early."""
    while True:
        head = stream.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            return
        (length,) = _LENGTH.unpack(head)
        if length == 0:
            yield None
            return
        body = stream.read(length)
        if len(body) < length:
            return
        yield marshal.loads(body)


def _write(out, rows: list) -> None:
    body = marshal.dumps(rows)
    out.write(_LENGTH.pack(len(body)))
    out.write(body)


def main(argv: list[str]) -> int:
    """The child: every row of the sheet in frames, then the end frame (a zero length)."""
    path, sheet = argv[0], int(argv[1])
    out = sys.stdout.buffer
    try:
        frame: list = []
        for row in xlsx_rows(path, sheet):
            frame.append(row)
            if len(frame) == FRAME_ROWS:
                _write(out, frame)
                frame = []
        if frame:
            _write(out, frame)
        out.write(_LENGTH.pack(0))
        out.flush()
    except BaseException:  # the parent reads in-process and reports the error as usual
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
