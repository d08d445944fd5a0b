#!/usr/bin/env bash
# ctest notebook_*: runs a notebook top to bottom, headless, with Debian's Jupyter and
# Debian's python3 kernel, into a temporary folder (nothing is written into the repository).
# Usage: tests/run_notebook.sh JUPYTER_NBCONVERT NOTEBOOK STRATUS
set -euo pipefail
nbconvert="$1"; notebook="$(realpath "$2")"; stratus="$(realpath "$3")"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
export STRATUS_BINARY="$stratus"
export STRATUS_SOURCE_DIR="$(cd "$(dirname "$notebook")/.." && pwd)"
export STRATUS_NB_SIZE=small STRATUS_NB_WORKDIR="$dir/work"
export JUPYTER_DATA_DIR="$dir/jupyter" JUPYTER_CONFIG_DIR="$dir/jupyter-config"
export PYTHONNOUSERSITE=1
# A kernel spec for /usr/bin/python3 (Debian's, with pandas), whatever python3 is on PATH.
mkdir -p "$JUPYTER_DATA_DIR/kernels/python3"
cat > "$JUPYTER_DATA_DIR/kernels/python3/kernel.json" <<JSON
{"argv": ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
 "display_name": "Python 3 (Debian)", "language": "python"}
JSON
"$nbconvert" --to notebook --execute --ExecutePreprocessor.timeout=900 \
    --ExecutePreprocessor.kernel_name=python3 --output-dir "$dir/out" "$notebook"
echo "executed $(basename "$notebook")"
