"""Errors the daemon reports to an operator: one line naming the file, the line and the key, never a
traceback."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration file that cannot be used as written. The CLI prints ``format_one_line()`` and
    exits 2."""

    def __init__(self, file: str, line: int | None, key: str, message: str) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.key = key
        self.message = message

    def format_one_line(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        key = f" [{self.key}]" if self.key else ""
        # Validation messages from pydantic may span lines; an operator's terminal and journald want one.
        message = " ".join(self.message.split())
        return f"{where}:{key} {message}"

    def __str__(self) -> str:
        return self.format_one_line()
