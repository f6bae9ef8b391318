#!/usr/bin/python3
"""Golden output test: run a command, compare its stdout with a reviewed expected file.

usage: golden_output.py EXPECTED_FILE SHARED_DIR COMMAND [ARG...]

A mismatch writes EXPECTED_FILE.new and prints a unified diff; UPDATE_GOLDEN=1 accepts the new
output (after you have read it). A missing expected file fails. Arguments naming a folder that does
not exist make the test skip (exit 77): the real captures in ../shared may be absent on a clone.
Arguments written SHARED:relative/path name files under SHARED_DIR; the command runs there so the
paths it prints are relative and the expected file does not depend on where the repo is cloned.
"""
import difflib
import os
import subprocess
import sys


def main():
    expected_path, shared, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    for arg in cmd:
        if arg.startswith("SHARED:"):
            path = os.path.join(shared, arg[len("SHARED:"):])
            if not os.path.exists(path):
                print(f"SKIP: {path} not found (real captures live in ../shared/pcaps)")
                return 77
    cmd = [a[len("SHARED:"):] if a.startswith("SHARED:") else a for a in cmd]
    cwd = shared if os.path.isdir(shared) else None
    run = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=cwd)
    if run.returncode != 0:
        print(f"command failed ({run.returncode}): {' '.join(cmd)}\n{run.stderr}")
        return 1
    actual = run.stdout
    if os.environ.get("UPDATE_GOLDEN") == "1":
        with open(expected_path, "w", encoding="utf-8") as f:
            f.write(actual)
        print(f"updated {expected_path}")
        return 0
    if not os.path.exists(expected_path):
        with open(expected_path + ".new", "w", encoding="utf-8") as f:
            f.write(actual)
        print(f"missing golden file {expected_path}; output written to {expected_path}.new")
        return 1
    with open(expected_path, encoding="utf-8") as f:
        expected = f.read()
    if expected == actual:
        return 0
    with open(expected_path + ".new", "w", encoding="utf-8") as f:
        f.write(actual)
    diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), expected_path,
                                expected_path + ".new", lineterm="", n=1)
    for i, line in enumerate(diff):
        if i > 60:
            print("... (diff truncated)")
            break
        print(line[:400])
    return 1


if __name__ == "__main__":
    sys.exit(main())
