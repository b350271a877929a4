#!/usr/bin/env bash
# Make the separate framework venv (PyTorch + torchvision, Keras 3 on JAX, Flax) that the
# measurement scripts in tools/ run in. These frameworks are not project dependencies: what the
# scripts measure is committed (with versions and source lines), and the site builds without them.
#
#   bash tools/fw_venv.sh [DIR]      # default DIR: .fw-venv (git-ignored)
#
# torch 2.14.1 + torchvision 0.29.1 are the pair that installs together on x86_64 here; keras and
# flax come from PyPI and run on jax's CPU backend.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-.fw-venv}
PYTHON=${PYTHON:-python3}
test -x "$DIR/bin/python" || "$PYTHON" -m venv "$DIR"
"$DIR/bin/pip" install -q --disable-pip-version-check "torch==2.14.1" "torchvision==0.29.1"
"$DIR/bin/pip" install -q --disable-pip-version-check "jax[cpu]" keras flax numpy
"$DIR/bin/python" - <<'PY'
import importlib.metadata as m
print("framework venv:", ", ".join(f"{p} {m.version(p)}" for p in ("torch", "torchvision", "keras", "jax", "flax", "numpy")))
PY
