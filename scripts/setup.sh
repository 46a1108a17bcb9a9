#!/usr/bin/env bash
# One-command set-up: Python venv with orch and its dev tools, checkov in its own venv,
# OpenTofu, Terraform, Terragrunt, TFLint and the providers built from the Go module proxy,
# and npm-groovy-lint from the npm registry.
# Safe to run again: a warm machine reinstalls and rebuilds nothing.
#
# Usage: ./scripts/setup.sh            (what README and CI run)
# Env:   PYTHON=python3.11             interpreter for .venv (>= 3.11)
#        ORCH_CACHE_DIR=...            cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/orch)
#        ORCH_SKIP_TOOLS=1             Python only (engines installed some other way)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
start=$(date +%s)
log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

python=${PYTHON:-python3}
command -v "$python" >/dev/null 2>&1 || die "$python not found: install Python >= 3.11 (or set PYTHON=/path/to/python3.11)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "$("$python" --version 2>&1) is too old: orch needs Python >= 3.11 (set PYTHON=/path/to/python3.11)"

cache=${ORCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/orch}
mkdir -p "$cache"

# 1. The project venv: reinstall only when pyproject.toml changed.
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$python" -m venv .venv
fi
stamp=.venv/.orch-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! .venv/bin/python -c 'import orchestrator' 2>/dev/null; then
  log "installing orch and its dev dependencies into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  echo "$want" > "$stamp"
else
  log ".venv is up to date"
fi
# orch's own bytecode, as `pip install` of a wheel would leave it: an editable install leaves none,
# and with PYTHONDONTWRITEBYTECODE set (containers, CI images) every `orch` command would compile
# all of orch again before it starts anything (~0.1 s CPU each). Stale files are recompiled in memory.
.venv/bin/python -m compileall -q orchestrator >/dev/null || log "warning: could not compile orch's bytecode"

# 2. checkov in a venv of its own (it pins an older `packaging` than current pytest accepts).
checkov_version=$(sed -n 's/^checkov==//p' scripts/checkov-requirements.txt)
checkov_venv="$cache/checkov/$checkov_version"
if [ ! -x "$checkov_venv/bin/checkov" ]; then
  log "installing checkov $checkov_version into $checkov_venv"
  rm -rf "$checkov_venv"
  "$python" -m venv "$checkov_venv"
  "$checkov_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/checkov-requirements.txt
else
  log "checkov $checkov_version: cached"
fi
ln -sfn "$checkov_venv/bin/checkov" .venv/bin/checkov

# 2b. The engine shim of delegated runs in Go (scripts/engine-shim: standard library only, nothing
#     downloaded), keyed by its source's hash (orchestrator/runs/engine_server.py: go_shim). It runs
#     once per unit of every run; without it orch uses the Python shim, five times the CPU.
shim_key=$(cat scripts/engine-shim/go.mod scripts/engine-shim/main.go | sha256sum | cut -c1-16)
shim_bin="$cache/tools/engine-shim/$shim_key/orch-engine-shim"
if [ -x "$shim_bin" ]; then
  log "engine shim: cached"
elif command -v go >/dev/null 2>&1; then
  log "building the engine shim into $shim_bin"
  mkdir -p "$(dirname "$shim_bin")"
  (cd scripts/engine-shim && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -ldflags='-s -w' \
    -o "$shim_bin.tmp" .) && mv "$shim_bin.tmp" "$shim_bin" \
    || log "warning: could not build the engine shim; orch uses the Python one"
else
  log "go not found: orch uses the Python engine shim (about 16 ms more CPU per unit of a run)"
fi

# 3. Engines, TFLint and providers.
if [ "${ORCH_SKIP_TOOLS:-0}" != 1 ]; then
  scripts/install-tools.sh --venv "$repo/.venv"
fi

# 4. npm-groovy-lint (make lint: the Jenkinsfile), pinned by scripts/node/package-lock.json and
#    installed with `npm ci` under the cache, keyed by the lock's hash; it needs Node >= 20 and Java >= 17.
if [ "${ORCH_SKIP_TOOLS:-0}" != 1 ]; then
  if command -v npm >/dev/null 2>&1; then
    node_key=$(cat scripts/node/package.json scripts/node/package-lock.json | sha256sum | cut -c1-16)
    node_dir="$cache/node/$node_key"
    if [ ! -x "$node_dir/node_modules/.bin/npm-groovy-lint" ]; then
      log "installing npm-groovy-lint into $node_dir"
      rm -rf "$node_dir.tmp"
      mkdir -p "$node_dir.tmp"
      cp scripts/node/package.json scripts/node/package-lock.json "$node_dir.tmp/"
      (cd "$node_dir.tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
      rm -rf "$node_dir"
      mv "$node_dir.tmp" "$node_dir"
    else
      log "npm-groovy-lint: cached"
    fi
    ln -sfn "$node_dir/node_modules/.bin/npm-groovy-lint" .venv/bin/npm-groovy-lint
  else
    log "npm not found: npm-groovy-lint (make lint, Jenkinsfile) not installed; install Node.js >= 20"
  fi
fi

log "done in $(( $(date +%s) - start ))s. Next: source .venv/bin/activate && orch doctor"
