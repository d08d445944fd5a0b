#!/usr/bin/python3
"""Checks that no function of the library (sim/) or the viewer (viz/) is much longer than the
guide's 80 lines without saying why: a function over LIMIT lines needs a comment right above
its definition that gives the reason for its length (the comment mentions "lines" or "long",
as in "keys() is far over 80 lines on purpose: it is the grammar's table").

Functions and their extents come from Universal Ctags (Debian's universal-ctags, installed by
`tools/dev setup`), which parses C++ well enough to give each function's first and last line.
The test suite runs this script (ctest -R function_sizes).

Usage: tools/check_function_sizes.py [ROOT]       exit 1 and one line per function to fix
       tools/check_function_sizes.py --list ROOT  every function over LIMIT, with or without
                                                  a reason, longest first
       tools/check_function_sizes.py --self-test  checks the checker on a made-up tree
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

LIMIT = 90  # "about 80 lines": a few lines of slack before a reason is owed
DIRS = ["sim", "viz"]
REASON = re.compile(r"\blines?\b|\blong(er)?\b", re.IGNORECASE)


def functions(root):
    """(path, first line, last line, name) of every function definition under DIRS."""
    ctags = shutil.which("ctags")
    if not ctags:
        sys.exit("check_function_sizes: ctags not found (Debian: universal-ctags; "
                 "tools/dev setup installs it)")
    dirs = [d for d in DIRS if os.path.isdir(os.path.join(root, d))]
    out = subprocess.run(
        [ctags, "-R", "--languages=C++", "--kinds-C++=f", "--fields=+ne",
         "--output-format=json", "-f", "-"] + dirs,
        cwd=root, check=True, capture_output=True, text=True).stdout
    found = []
    for line in out.splitlines():
        tag = json.loads(line)
        if tag.get("_type") != "tag" or "end" not in tag:
            continue
        found.append((tag["path"], tag["line"], tag["end"], tag["name"]))
    return found


def comment_above(lines, first):
    """The comment lines right above line `first` (1-based), past a template<...> line."""
    i = first - 2
    while i >= 0 and lines[i].lstrip().startswith("template"):
        i -= 1
    text = []
    while i >= 0 and lines[i].lstrip().startswith("//"):
        text.append(lines[i])
        i -= 1
    return "\n".join(reversed(text))


def long_functions(root):
    """(length, path, line, name, has reason) of every function over LIMIT lines."""
    cache = {}
    result = []
    for path, first, last, name in functions(root):
        length = last - first + 1
        if length <= LIMIT:
            continue
        if path not in cache:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                cache[path] = f.read().split("\n")
        reason = bool(REASON.search(comment_above(cache[path], first)))
        result.append((length, path, first, name, reason))
    result.sort(key=lambda r: (-r[0], r[1], r[2]))
    return result


def check(root):
    bad = [r for r in long_functions(root) if not r[4]]
    for length, path, first, name, _ in bad:
        print(f"{path}:{first}: {name} is {length} lines (over {LIMIT}): split it, or say "
              f"above it why it is long")
    return 1 if bad else 0


def self_test():
    body = "\n".join(f"    x += {i};" for i in range(LIMIT + 5))
    files = {
        "sim/core/a.cpp": f"int short_one() {{ return 1; }}\n\nint too_long() {{\n    int x = 0;\n"
                          f"{body}\n    return x;\n}}\n",
        "sim/core/b.cpp": f"// Long on purpose: one table, read as one.\nint with_reason() {{\n"
                          f"    int x = 0;\n{body}\n    return x;\n}}\n",
        "tests/c.cpp": f"int outside_the_rule() {{\n    int x = 0;\n{body}\n    return x;\n}}\n",
    }
    with tempfile.TemporaryDirectory() as root:
        for path, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
            with open(os.path.join(root, path), "w", encoding="utf-8") as f:
                f.write(text)
        found = {(r[3], r[4]) for r in long_functions(root)}
        expected = {("too_long", False), ("with_reason", True)}
        if found != expected:
            print(f"self-test: found {sorted(found)}, expected {sorted(expected)}")
            return 1
    print("self-test: ok")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) == 3 and argv[1] == "--list":
        for length, path, first, name, reason in long_functions(argv[2]):
            print(f"{length:5d} {path}:{first} {name}{'' if reason else '  (no reason)'}")
        return 0
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    return check(root)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
