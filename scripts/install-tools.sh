#!/usr/bin/env bash
# Builds OpenTofu, Terraform, Terragrunt, TFLint, the Terraform providers and the local Kubernetes
# control plane (kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kwok) from the Go module proxy
# (versions in scripts/tools.lock), caches them outside the repository and links them
# into .venv/bin. A warm cache rebuilds nothing.
#
# Usage: scripts/install-tools.sh [--only NAME[,NAME...]] [--venv DIR]   (--only kube: the k8s: lines)
# Env:   ORCH_CACHE_DIR     cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/orch)
#        ORCH_BUILD_JOBS    go build -p (default: number of cores, max 2 for the AWS provider)
#        ORCH_NO_PATH_TOOLS=1  never reuse tofu/terraform/terragrunt/tflint found on PATH
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
# tofu 1.11: ephemeral resources; terraform 1.14: the plan's minimum (orchestrator/tools.py MIN_VERSIONS).
# tflint: the .tflint.hcl syntax this repository uses (plugin_dir, call_module_type).
declare -A min_version=([tofu]=1.11.0 [terraform]=1.14.0 [terragrunt]=0.96.0 [tflint]=0.54.0)

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

need_go() { # module version out
  command -v go >/dev/null 2>&1 || die "cannot build $1@$2: the 'go' command is not installed (install Go >= 1.26, or install $(basename "$3") by hand from its official release and put it on PATH)"
}

module_dir() { # module version -> the module's source directory in the Go module cache
  local dir
  log "downloading $1@$2"
  dir=$(go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$dir" ] || die "go mod download $1@$2 gave no source directory (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
  echo "$dir"
}

# Terraform's remote-state backends are nested Go modules: the terraform module's zip leaves them
# out, its go.mod replaces them with ./internal/backend/remote-state/<name>, and the proxy serves
# them only as pseudo-versions older than the release. So Terraform is built in a writable copy:
# the backends tools.lock lists as `overlay:terraform:<dir>` lines (s3, the one orch uses) are
# copied in from their pinned pseudo-versions (their go.sum lines appended, so -mod=readonly
# still holds; s3 adapted to the current interfaces by scripts/overlays/terraform-s3), and the others (azurerm, consul, cos, gcs, kubernetes, oss, pg, oci: no use here,
# and oci not served at all) are dropped from go.mod and internal/backend/init/init.go.
# local, remote, http, inmem and cloud are in the main module and stay.
terraform_source() { # main-module-dir release -> writable source directory
  local main=$1 release=$2 src="$cache/src/terraform/$release" line dir sub key name module version
  rm -rf "$src" "$src.tmp"
  mkdir -p "$(dirname "$src")"
  cp -r "$main" "$src.tmp"
  chmod -R u+w "$src.tmp"
  for line in "${overlays[@]}"; do
    read -r sub module version <<<"$line"
    dir=$(module_dir "$module" "$version")
    cp -r "$dir" "$src.tmp/$sub"
    chmod -R u+w "$src.tmp/$sub"
    cat "$src.tmp/$sub/go.sum" >> "$src.tmp/go.sum"
    if [ "$sub" = internal/backend/remote-state/s3 ]; then
      # The served s3 backend predates Terraform 1.14's backend interfaces (errors became
      # diagnostics): rename its six changed methods and add wrappers with today's signatures.
      sed -i -f "$repo/scripts/overlays/terraform-s3/adapter.sed" \
        "$src.tmp/$sub/backend_state.go" "$src.tmp/$sub/client.go"
      cp "$repo/scripts/overlays/terraform-s3/adapter.go" "$src.tmp/$sub/orch_adapter.go"
    fi
  done
  sort -u -o "$src.tmp/go.sum" "$src.tmp/go.sum"
  while IFS= read -r dir; do
    name=${dir#./}
    [ -d "$src.tmp/$name" ] && continue
    module="github.com/hashicorp/terraform/$name"
    (cd "$src.tmp" && go mod edit -droprequire="$module" -dropreplace="$module")
    case "$name" in
      internal/backend/remote-state/*)
        sub=${name##*/} key=${name##*/}
        [ "$sub" = azure ] && key=azurerm
        # the import, and the backend's entry in the map of backends
        sed -i -e "\#\"$module\"#d" -E -e "/^[[:space:]]*\"$key\":[[:space:]]*func\(\)/d" \
          "$src.tmp/internal/backend/init/init.go"
        log "terraform: backend $sub left out (nested module not in the proxy at this release)" ;;
    esac
  done < <(sed -n 's#^replace github.com/hashicorp/terraform/[^ ]* => \(\./.*\)$#\1#p' "$src.tmp/go.mod")
  mv "$src.tmp" "$src"
  echo "$src"
}

# Kubernetes-side tools (`k8s:` lines: kube-apiserver, kube-controller-manager, kube-scheduler,
# etcd, kwok) are main packages of modules whose go.mod replaces their own nested modules with
# local paths (k8s.io/kubernetes => ./staging/src/k8s.io/*, which the module zip leaves out), so
# neither `go install pkg@version` nor a build in the module's directory works. They are built in a
# generated module ($cache/src/gomod/<module>@<version>) that requires the pinned module and
# replaces each staging module by its published twin (k8s.io/<x> v0.<minor>.<patch> for
# Kubernetes v1.<minor>.<patch>). All binaries of one module share it, and the Go build cache.
gomod_source() { # module version -> generated module directory
  local module=$1 version=$2 src="$cache/src/gomod/${1//\//_}@$2" gomod line staging
  if [ -f "$src/go.mod" ]; then echo "$src"; return 0; fi
  gomod=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$gomod" ] || die "go mod download $module@$version gave no go.mod"
  rm -rf "$src.tmp"; mkdir -p "$src.tmp"
  {
    echo "module orch.invalid/build"
    echo
    echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
    echo
    echo "require $module $version"
  } > "$src.tmp/go.mod"
  staging="v0.${version#v1.}"
  while IFS= read -r line; do
    [ -n "$line" ] || continue
    (cd "$src.tmp" && go mod edit -replace="$line=$line@$staging")
  done < <(sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => \./staging/src/.*$#\1#p' "$gomod")
  mv "$src.tmp" "$src"
  echo "$src"
}

gomod_build() { # module version package ldflags out
  local module=$1 version=$2 pkg=$3 ldflag=$4 out=$5 dir jobs flag ldflags="-s -w"
  need_go "$module" "$version" "$out"
  dir=$(gomod_source "$module" "$version")
  jobs=${ORCH_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
  log "building $module@$version ($pkg) in a generated module, with -p $jobs"
  # version-ldflag: several -X settings separated by commas; "-" sets nothing.
  if [ "$ldflag" != - ]; then
    IFS=, read -ra flags <<<"$ldflag"
    for flag in "${flags[@]}"; do ldflags="$ldflags -X '$flag'"; done
  fi
  case "$pkg" in .) pkg=$module ;; ./*) pkg="$module/${pkg#./}" ;; esac
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -p "$jobs" -trimpath \
      -ldflags "$ldflags" -o "$out.tmp.$$" "$pkg")
  mv -f "$out.tmp.$$" "$out"
}

install_k8s_tool() { # name module version pkg release ldflag
  local name=$1 module=$2 version=$3 pkg=$4 release=$5 ldflag=$6
  local cached="$cache/tools/$name/$release/$name"
  if [ -x "$cached" ]; then
    log "$name $release: cached"
  else
    local start=$SECONDS
    gomod_build "$module" "$version" "$pkg" "$ldflag" "$cached"
    log "$name $release: built in $(( SECONDS - start ))s"
  fi
  ln -sfn "$cached" "$venv/bin/$name"
}

go_build() { # module version package ldflag out [name release]
  local module=$1 version=$2 pkg=$3 ldflag=$4 out=$5 name=${6:-} release=${7:-} dir jobs
  need_go "$module" "$version" "$out"
  dir=$(module_dir "$module" "$version")
  if [ "$name" = terraform ]; then dir=$(terraform_source "$dir" "$release"); fi
  jobs=${ORCH_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}
  log "building $module@$version ($pkg) with -p $jobs"
  mkdir -p "$(dirname "$out")"
  # Build inside the module's own directory so its replace directives apply (go install ignores them).
  # CGO off and -trimpath make the binary reproducible, which keeps lock-file hashes stable across machines.
  local ldflags="-s -w"
  if [ "$ldflag" != - ]; then ldflags="$ldflags -X '$ldflag'"; fi  # "-": the version is in the source
  (cd "$dir" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -p "$jobs" -trimpath \
      -ldflags "$ldflags" -o "$out.tmp.$$" "$pkg")
  mv -f "$out.tmp.$$" "$out"
  if [ "$name" = terraform ]; then rm -rf "$cache/src/terraform/$release"; fi
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
    local start=$SECONDS
    go_build "$module" "$version" "$pkg" "$ldflag" "$cached" "$name" "$release"
    log "$name $release: built in $(( SECONDS - start ))s"
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
    local start=$SECONDS
    go_build "$module" "$version" "$pkg" "$ldflag" "$bin"
    log "provider $source $release: built in $(( SECONDS - start ))s"
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
# Source overlays (overlay:<tool>:<dir-in-its-source> module version): read first, used by the build.
overlays=()
while read -r name module version _; do
  case "$name" in overlay:terraform:*) overlays+=("${name#overlay:terraform:} $module $version") ;; esac
done < "$repo/scripts/tools.lock"

while read -r name module version pkg release ldflag; do
  case "$name" in ''|'#'*|overlay:*) continue ;; esac
  short=${name#provider:}; short=${short#k8s:}
  if [ -n "$only" ] && [[ "$only" != *",$short,"* && "$only" != *",$name,"* ]] \
     && ! [[ "$name" = k8s:* && "$only" = *",kube,"* ]]; then continue; fi
  case "$name" in
    provider:*) install_provider "$short" "$module" "$version" "$pkg" "$release" "$ldflag" ;;
    k8s:*) install_k8s_tool "$short" "$module" "$version" "$pkg" "$release" "$ldflag" ;;
    *) install_tool "$name" "$module" "$version" "$pkg" "$release" "$ldflag" ;;
  esac
done < "$repo/scripts/tools.lock"

log "done: engines in $venv/bin, providers in $mirror, CLI config $venv/orch.tfrc"
