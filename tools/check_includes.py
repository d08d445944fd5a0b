#!/usr/bin/python3
"""Checks that every `#include "..."` of the repository runs along the allowed direction of
the layers (docs/architecture.md, "Layers"):

    core <- iam (the IAM policy language) <- scenario <- cloud <- report <- view, sweep <- cli, viz
    report, sweep <- html (the HTML pages of runs and sweeps) <- cli
    core <- iam <- scenario <- import (Terraform -> scenario TOML) <- cli

A file may include files of its own layer and of the layers below it, never above. The tests,
the benchmarks and the fuzz target sit on top (the benchmarks and the fuzz target may not
include the tests' helpers), and the front ends (sim/cli, viz/, sim/sweep/mpi/) may not include
each other: what two of them share is a library of a lower layer (the sweep options are
sim/sweep/options/). The test suite runs this script (ctest -R include_direction).

Usage: tools/check_includes.py [ROOT]        exit 1 and one line per include against the rules
       tools/check_includes.py --self-test   checks the checker on a made-up tree
"""
import os
import re
import sys
import tempfile

# Layer of a path (relative to the root, '/' separated): the first matching prefix.
LAYERS = [
    ("sim/core/", "core"),
    ("sim/iam/", "iam"),
    ("sim/scenario/", "scenario"),
    ("sim/cloud/", "cloud"),
    ("sim/report/", "report"),
    ("sim/view/", "view"),
    ("sim/sweep/", "sweep"),
    ("sim/import/", "import"),
    ("sim/html/", "html"),
    ("sim/cli/", "cli"),
    ("viz/", "viz"),
    ("tests/", "tests"),
    ("bench/", "bench"),
    ("fuzz/", "fuzz"),
]

MODEL = {"core", "iam", "scenario", "cloud", "report", "view", "sweep", "import", "html"}

# What each layer may include besides itself.
ALLOWED = {
    "core": set(),
    "iam": {"core"},
    "scenario": {"core", "iam"},
    "cloud": {"core", "iam", "scenario"},
    "report": {"core", "iam", "scenario", "cloud"},
    "view": {"core", "iam", "scenario", "cloud", "report"},
    "sweep": {"core", "iam", "scenario", "cloud", "report"},
    "import": {"core", "iam", "scenario"},
    "html": {"core", "iam", "scenario", "cloud", "report", "sweep"},  # the pages of runs and sweeps
    "cli": MODEL,
    "viz": MODEL,
    "tests": MODEL | {"cli", "fuzz"},  # the fuzz regressions replay the fuzz pipeline
    "bench": MODEL,
    "fuzz": MODEL,
}

# Known exceptions, each with the reason it is still there. An exception that no longer
# matches anything is reported too, so that the list shrinks as the code is fixed.
# (including file's layer, included file's layer, why). None today; keep it that way.
EXCEPTIONS = []

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SOURCES = (".hpp", ".cpp", ".h", ".cc")


def layer_of(rel):
    for prefix, layer in LAYERS:
        if rel.startswith(prefix):
            return layer
    return None


def check(root, exceptions=None):
    """Returns (problems, exceptions used)."""
    exceptions = EXCEPTIONS if exceptions is None else exceptions
    problems, used = [], set()
    for top in sorted({p.split("/")[0] for p, _ in LAYERS}):
        base = os.path.join(root, top)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SOURCES):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root).replace(os.sep, "/")
                src = layer_of(rel)
                if src is None:
                    continue
                with open(path, encoding="utf-8", errors="replace") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = m.group(1)
                        # "support.hpp" next to the file, or a path from the root.
                        local = os.path.relpath(os.path.join(dirpath, target), root)
                        local = local.replace(os.sep, "/")
                        if os.path.exists(os.path.join(root, local)) and "/" not in target:
                            target = local
                        dst = layer_of(target)
                        if dst is None or dst == src or dst in ALLOWED[src]:
                            continue
                        exception = next((e for e in exceptions if e[:2] == (src, dst)), None)
                        if exception:
                            used.add(exception[:2])
                            continue
                        problems.append("%s:%d: %s includes %s (%s may not include %s)"
                                        % (rel, lineno, src, m.group(1), src, dst))
    for src, dst, why in exceptions:
        if (src, dst) not in used:
            problems.append("the exception %s -> %s is no longer needed: remove it from %s"
                            % (src, dst, os.path.basename(__file__)))
    return problems, used


def self_test():
    """The checker finds an upward include, accepts downward ones and its exceptions."""
    exceptions = [("scenario", "cloud", "made up for the self-test")]
    with tempfile.TemporaryDirectory() as root:
        def write(rel, *includes):
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                for inc in includes:
                    f.write('#include "%s"\n' % inc)
        write("sim/core/a.hpp")
        write("sim/scenario/s.hpp", "sim/core/a.hpp", "sim/cloud/c.hpp")  # the exception
        write("sim/cloud/c.hpp", "sim/core/a.hpp", "sim/scenario/s.hpp")
        write("sim/report/r.hpp", "sim/cloud/c.hpp")
        write("tests/support.hpp", "sim/report/r.hpp")
        write("tests/t.cpp", "support.hpp", "sim/cli/x.hpp")
        write("sim/cli/x.hpp", "sim/sweep/w.hpp")
        write("sim/sweep/w.hpp", "sim/report/r.hpp")
        write("sim/import/i.hpp", "sim/scenario/s.hpp")
        write("sim/iam/q.hpp", "sim/core/a.hpp")
        write("sim/scenario/t.hpp", "sim/iam/q.hpp")
        problems, _ = check(root, exceptions)
        assert problems == [], problems
        write("sim/cloud/bad.cpp", "sim/report/r.hpp")   # the model reads the recorder
        write("bench/b.cpp", "tests/support.hpp")        # a benchmark uses the tests' helpers
        write("sim/sweep/mpi/m.cpp", "sim/cli/x.hpp")    # a front end includes the CLI
        write("sim/core/k.hpp", "sim/scenario/s.hpp")    # the kernel reads the scenario
        write("sim/import/j.cpp", "sim/cloud/c.hpp")     # the importer reads the model
        write("sim/iam/p.cpp", "sim/scenario/s.hpp")     # the policy language reads a scenario
        problems, _ = check(root, exceptions)
        expected = [
            "bench/b.cpp:1: bench includes tests/support.hpp",
            "sim/cloud/bad.cpp:1: cloud includes sim/report/r.hpp",
            "sim/core/k.hpp:1: core includes sim/scenario/s.hpp",
            "sim/iam/p.cpp:1: iam includes sim/scenario/s.hpp",
            "sim/import/j.cpp:1: import includes sim/cloud/c.hpp",
            "sim/sweep/mpi/m.cpp:1: sweep includes sim/cli/x.hpp",
        ]
        assert len(problems) == len(expected), problems
        for p, e in zip(sorted(problems), expected):
            assert p.startswith(e), (p, e)
        os.remove(os.path.join(root, "sim/scenario/s.hpp"))
        write("sim/scenario/s.hpp", "sim/core/a.hpp")
        problems, _ = check(root, exceptions)
        assert any("no longer needed" in p for p in problems), problems
    print("check_includes: self-test passed")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--self-test":
        self_test()
        return 0
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), ".."))
    problems, used = check(root)
    for p in problems:
        print(p)
    if problems:
        print("check_includes: %d include(s) against the layers (docs/architecture.md)"
              % len(problems), file=sys.stderr)
        return 1
    print("check_includes: every include runs along the layers%s"
          % ("" if not used else " (known exceptions: %s)"
             % ", ".join("%s -> %s" % u for u in sorted(used))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
