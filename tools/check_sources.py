#!/usr/bin/python3
"""Checks that CMakeLists.txt names every C++ source file of the repository.

CMake lists its sources one by one (no globs: a build does not change because a stray file
appeared in a folder), so a new file must be added to its list by hand; this check, run by
ctest (sources_listed), fails when one was not, and when a listed file does not exist.

The test files are compiled several at a time as one translation unit (CMakeLists.txt,
STRATUS_UNITY_TESTS), so each keeps its names in a namespace named after the file: it checks
that every tests/test_*.cpp opens `namespace test_NAME {` and ends by closing it. A test's name holds no ';' (ctest's discovery
splits a name there).

The repository stands alone: a user's clone has nothing beside it, so no file refers to the
notes the project was started from outside the repository (their names are listed below);
facts from them are written into the repo's own docs instead.

Usage: tools/check_sources.py [ROOT]     exit 1 and one line per file missing from the lists
"""
import os
import re
import sys

# The folders whose .cpp files are built (each by the target its section of CMakeLists.txt
# describes); build_paths.cpp and the catalog's text are generated in the build folder.
FOLDERS = ["sim", "viz", "tests", "bench", "fuzz"]
# Built elsewhere: the SimGrid comparison model is compiled by tools/bench against
# libsimgrid (an optional package), not by CMake.
NOT_CMAKE = {"bench/compare/simgrid_models.cpp"}


def unwrapped_test_files(root, present):
    """The test files whose code is not all inside their own namespace."""
    problems = []
    for path in sorted(present):
        stem = os.path.splitext(os.path.basename(path))[0]
        if not (path.startswith("tests" + os.sep) and stem.startswith("test_")):
            continue
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
        opening = re.search(r"^namespace " + stem + r" \{$", text, re.MULTILINE)
        if not opening or not text.rstrip().endswith("}  // namespace " + stem):
            problems.append(f"{path}: its code must sit in `namespace {stem} {{ ... }}"
                            f"  // namespace {stem}` (the tests' unity build)")
    return problems


def split_test_names(root, present):
    """Test cases whose name holds a ';': ctest's discovery splits a name there, so the case
    would run as two names that match nothing and fail."""
    problems = []
    for path in sorted(p for p in present if p.startswith("tests" + os.sep)):
        with open(os.path.join(root, path), encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r'TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"', text):
            if ";" in m.group(1):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path}:{line}: a test name with ';' (ctest splits it there)")
    return problems


# Names of material that lived beside the repository while it was first written. Written split
# so that this file does not match itself.
OUTSIDE = ["aws-" + "semantics", "../" + "shared", "shared/" + "spec", "shared/" + "seed",
           "shared/" + "reference"]
TEXT_FOLDERS = FOLDERS + ["docs", "scenarios", "tools", "notebooks", "cmake", "data", ".ci"]


def outside_references(root):
    """Lines that point to files outside the repository."""
    problems = []
    paths = [name for name in os.listdir(root) if os.path.isfile(os.path.join(root, name))]
    for folder in TEXT_FOLDERS:
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            paths += [os.path.relpath(os.path.join(dirpath, n), root) for n in files]
    for path in sorted(paths):
        try:
            with open(os.path.join(root, path), encoding="utf-8") as f:
                lines = f.readlines()
        except (UnicodeDecodeError, OSError):
            continue  # binary data (images, price tables compressed)
        for number, line in enumerate(lines, 1):
            for name in OUTSIDE:
                if name in line:
                    problems.append(f"{path}:{number}: refers to `{name}`, outside the "
                                    "repository (write the fact into the repo's docs)")
    return problems


def main(root):
    with open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8") as f:
        cmake = f.read()
    listed = set(re.findall(r"\$\{PROJECT_SOURCE_DIR\}/([\w./-]+\.cpp)", cmake))
    present = set()
    for folder in FOLDERS:
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for name in files:
                if name.endswith(".cpp"):
                    present.add(os.path.relpath(os.path.join(dirpath, name), root))
    present -= NOT_CMAKE
    problems = [f"{p}: not listed in CMakeLists.txt" for p in sorted(present - listed)]
    problems += [f"{p}: listed in CMakeLists.txt but missing" for p in sorted(listed - present)]
    problems += unwrapped_test_files(root, present)
    problems += split_test_names(root, present)
    problems += outside_references(root)
    for line in problems:
        print(line)
    if not present:
        print("no source files found: wrong ROOT?")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
