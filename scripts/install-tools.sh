#!/usr/bin/env bash
# Builds OpenTofu, Terragrunt and the Terraform providers from the Go module proxy
# (versions in scripts/tools.lock), caches them outside the repository and links them
# into .venv/bin. A warm cache rebuilds nothing.
#
# Usage: scripts/install-tools.sh [--only NAME[,NAME...]] [--venv DIR]
# Env:   ORCH_CACHE_DIR     cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/orch)
#        ORCH_BUILD_JOBS    go build -p (default: number of cores, max 2 for the AWS provider)
#        ORCH_NO_PATH_TOOLS=1  never reuse tofu/terragrunt found on PATH
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$repo/.venv"
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only=",$2,"; shift 2 ;;
    --venv) venv=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install-tools: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

cache=${ORCH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/orch}
mirror="$cache/plugins"
mkdir -p "$cache/tools" "$mirror" "$venv/bin"

goos=$(uname -s | tr '[:upper:]' '[:lower:]')
case "$(uname -m)" in x86_64|amd64) goarch=amd64 ;; aarch64|arm64) goarch=arm64 ;; *) goarch=$(uname -m) ;; esac
platform="${goos}_${goarch}"

log() { printf '[install-tools] %s\n' "$*" >&2; }
die() { printf 'install-tools: %s\n' "$*" >&2; exit 1; }

# Minimum versions the orchestrator supports; a binary on PATH at or above these is reused.
declare -A min_version=([tofu]=1.11.0 [terragrunt]=0.96.0)  # tofu 1.11: ephemeral resources (orchestrator/tools.py)

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

path_tool() { # name -> path of a usable binary on PATH outside our venv, or nothing
  local name=$1 candidate ver
  [ "${ORCH_NO_PATH_TOOLS:-0}" = 1 ] && return 0
  while IFS= read -r candidate; do
    case "$candidate" in "$venv"/*|"$cache"/*) continue ;; esac
    ver=$("$candidate" --version 2>/dev/null | grep -Eo '[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true)
    if [ -n "$ver" ] && version_ge "$ver" "${min_version[$name]}"; then echo "$candidate"; return 0; fi
  done < <(type -ap "$name" 2>/dev/null || true)
}

go_build() { # module version package ldflag out
  local module=$1 version=$2 pkg=$3 ldflag=$4 out=$5 dir jobs
  command -v go >/dev/null 2>&1 || die "cannot build $module@$version: the 'go' command is not installed (install Go >= 1.26, or install $(basename "$out") by hand from its official release and put it on PATH)"
  log "downloading $module@$version"
  dir=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir" ] || die "go mod download $module@$version gave no source directory (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
  jobs=${ORCH_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
  log "building $module@$version ($pkg) with -p $jobs"
  mkdir -p "$(dirname "$out")"
  # Build inside the module's own directory so its replace directives apply (go install ignores them).
  # CGO off and -trimpath make the binary reproducible, which keeps lock-file hashes stable across machines.
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -p "$jobs" -trimpath \
      -ldflags "-s -w -X '$ldflag'" -o "$out.tmp.$$" "$pkg")
  mv -f "$out.tmp.$$" "$out"
}

install_tool() { # name module version pkg release ldflag
  local name=$1 module=$2 version=$3 pkg=$4 release=$5 ldflag=$6
  local cached="$cache/tools/$name/$release/$name" found
  if [ ! -x "$cached" ]; then
    found=$(path_tool "$name")
    if [ -n "$found" ]; then
      log "$name: using $found from PATH"
      ln -sfn "$found" "$venv/bin/$name"
      return 0
    fi
    go_build "$module" "$version" "$pkg" "$ldflag" "$cached"
  else
    log "$name $release: cached"
  fi
  ln -sfn "$cached" "$venv/bin/$name"
}

install_provider() { # source(ns/type) module version pkg release ldflag
  local source=$1 module=$2 version=$3 pkg=$4 release=$5 ldflag=$6
  local type=${source#*/} ns=${source%/*}
  # One binary, listed under both registry host names so OpenTofu and Terraform find it.
  local dir="$mirror/registry.opentofu.org/$ns/$type/$release/$platform"
  local bin="$dir/terraform-provider-${type}_v${release}_x5"
  if [ -x "$bin" ]; then
    log "provider $source $release: cached"
  else
    go_build "$module" "$version" "$pkg" "$ldflag" "$bin"
  fi
  # Terraform's mirror search (like OpenTofu's) walks the tree without following symlinked
  # directories, so the registry.terraform.io side is real directories holding a link to the binary.
  local tf_version="$mirror/registry.terraform.io/$ns/$type/$release"
  if [ -L "$tf_version" ]; then rm -f "$tf_version"; fi  # the layout before: one symlinked directory
  mkdir -p "$tf_version/$platform"
  ln -sfn "$bin" "$tf_version/$platform/$(basename "$bin")"
}

# The CLI configuration orch exports as TF_CLI_CONFIG_FILE: providers come from the local
# mirror (works offline). Lock files are not committed: the first init in a checkout records
# the mirror's packages (docs/development.md, "Provider lock files").
cat > "$venv/orch.tfrc" <<TFRC
# Written by scripts/install-tools.sh; orch exports it as TF_CLI_CONFIG_FILE.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.opentofu.org/hashicorp/*", "registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.opentofu.org/hashicorp/*", "registry.terraform.io/hashicorp/*"]
  }
}
TFRC
while read -r name module version pkg release ldflag; do
  case "$name" in ''|'#'*) continue ;; esac
  short=${name#provider:}
  if [ -n "$only" ] && [[ "$only" != *",$short,"* && "$only" != *",$name,"* ]]; then continue; fi
  case "$name" in
    provider:*) install_provider "$short" "$module" "$version" "$pkg" "$release" "$ldflag" ;;
    *) install_tool "$name" "$module" "$version" "$pkg" "$release" "$ldflag" ;;
  esac
done < "$repo/scripts/tools.lock"

log "done: engines in $venv/bin, providers in $mirror, CLI config $venv/orch.tfrc"
