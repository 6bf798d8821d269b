"""``python -m bench.rusage OUT.json -- ARGV…``: run ARGV and write its own rusage (user and system CPU
seconds, peak RSS in KB) and exit code to OUT.json.

Why a separate small process: Linux carries a process's peak RSS across fork and exec (the high-water mark of
the memory it was forked from is kept), so a child forked straight from the bench, which holds the sandbox
and its world in memory, would report the bench's size as its own. Forked from this process, which has
imported nothing but the standard library, the child's peak is its own.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    out, separator, *argv = sys.argv[1:]
    if separator != "--" or not argv:
        sys.stderr.write(__doc__ or "")
        return 2
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child becomes ARGV
        try:
            os.execvp(argv[0], argv)  # noqa: S606 - the bench's own command line
        finally:
            os._exit(127)
    _pid, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "user_s": usage.ru_utime,
                "sys_s": usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss,
                "exit_code": code,
            },
            handle,
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
