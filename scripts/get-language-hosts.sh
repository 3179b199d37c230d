#!/usr/bin/env bash
# get-language-hosts.sh: build the Pulumi language hosts for Python, Go, YAML and Java from Go modules and
# install them next to the Pulumi CLI, where the CLI looks for them (Java: see below).
#
# Usage:  scripts/get-language-hosts.sh [--force] [BIN_DIR]
#   BIN_DIR  default: the pinned CLI's folder, ${PULUMI_CLI_ROOT:-~/.pulumi/versions/<pin>}/bin, where <pin> is
#            the @pulumi/pulumi version package.json pins (scripts/get-pulumi.sh installs the CLI there)
#   --force  rebuild and reinstall even what is already installed at the right version
#   LANGUAGE_HOSTS="python go yaml java" (environment) chooses the hosts; all four by default.
#
# What it installs, each from a wrapper module in scripts/language-hosts/<lang>/ (go.mod + committed go.sum,
# built with -mod=readonly; see the README there for why these versions):
#   pulumi-language-python       github.com/pulumi/pulumi/sdk/v3 v3.68.0, python/cmd/pulumi-language-python
#   pulumi-language-python-exec  the shim the Python host runs programs with, copied from sdk/v3 at the CLI's own
#                                version (`BIN_DIR/pulumi version`, else the pin)
#   pulumi-language-go           github.com/pulumi/pulumi/sdk/v3 v3.62.0, go/pulumi-language-go
#   pulumi-language-yaml         github.com/pulumi/pulumi-yaml v1.30.0, cmd/pulumi-language-yaml
#   pulumi-language-java         github.com/pulumi/pulumi-java/pkg v1.16.0, cmd/pulumi-language-java
# The CLI finds the Python, Go and YAML hosts next to its own executable. It looks for Java on PATH only:
# put BIN_DIR on PATH (source scripts/pulumi-env.sh) to use it.
#
# Idempotent: a host whose build info (`go version -m`) shows the pinned module version, or a newer one (an official
# Pulumi release's host, e.g. from get-pulumi.sh's download), is left alone. Anything else is rebuilt and replaced. Fails (exit 1) naming every host it could not build, after trying them all.
# Prints how long each build took. Never commits or downloads a binary: only Go modules from the Go proxy.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
hosts_dir="$here/language-hosts"

log() { echo "get-language-hosts: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

force=0 bin=""
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option: $arg (try --help)" ;;
    *) [[ -z "$bin" ]] || die "one BIN_DIR only (got '$bin' and '$arg')"; bin="$arg" ;;
  esac
done

PIN="$(sed -n 's/.*"@pulumi\/pulumi": *"[~^]\{0,1\}\([0-9][^"]*\)".*/\1/p' "$repo/package.json" 2>/dev/null | head -n1)"
[[ -n "$PIN" ]] || die "cannot read the @pulumi/pulumi version from $repo/package.json"
bin="${bin:-${PULUMI_CLI_ROOT:-$HOME/.pulumi/versions/$PIN}/bin}"

command -v go >/dev/null 2>&1 || die "'go' is not on PATH (Go >= 1.25 is needed; /usr/local/go/bin?): no language host can be built"
mkdir -p "$bin" || die "cannot create $bin"
bin="$(cd "$bin" && pwd)"

# The CLI's version decides the exec shim's version: the shim is the CLI release's, as in an official install.
cli_version="$PIN"
if [[ -x "$bin/pulumi" ]]; then
  v="$(PULUMI_SKIP_UPDATE_CHECK=true "$bin/pulumi" version 2>/dev/null || true)"
  [[ "$v" =~ ^v([0-9]+\.[0-9]+\.[0-9]+)$ ]] && cli_version="${BASH_REMATCH[1]}"
fi

# name | module whose version is pinned | pinned version | package to build | standalone module of official builds
HOSTS=(
  "python|github.com/pulumi/pulumi/sdk/v3|v3.68.0|github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python|github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3"
  "go|github.com/pulumi/pulumi/sdk/v3|v3.62.0|github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go|github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3"
  "yaml|github.com/pulumi/pulumi-yaml|v1.30.0|github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml|"
  "java|github.com/pulumi/pulumi-java/pkg|v1.16.0|github.com/pulumi/pulumi-java/pkg/cmd/pulumi-language-java|"
)
wanted="${LANGUAGE_HOSTS:-python go yaml java}"

if command -v flock >/dev/null 2>&1; then
  exec 9>"$bin/.get-language-hosts.lock"
  flock 9
fi

export GOFLAGS="-mod=readonly -buildvcs=false"
ldflag="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"

# Prints why "$1" (an installed binary) should be rebuilt, or nothing when it may stay: built from the pinned
# version of the host's module or a newer one (an official release's host), or from the host's own module
# ($5: the standalone module official releases build the Python and Go hosts from).
stale() {
  local file="$1" module="$2" version="$3" pkg="$4" standalone="${5:-}" info found
  [[ -x "$file" ]] || { echo "not installed"; return; }
  info="$(go version -m "$file" 2>/dev/null)" || { echo "$file has no Go build info"; return; }
  grep -qE "^[[:space:]]+path[[:space:]]+$pkg\$" <<<"$info" || { echo "$file is not built from $pkg"; return; }
  if [[ -n "$standalone" ]] && grep -qE "^[[:space:]]+mod[[:space:]]+$standalone[[:space:]]+v" <<<"$info"; then
    return
  fi
  found="$(awk -v m="$module" '($1 == "mod" || $1 == "dep") && $2 == m { print $3; exit }' <<<"$info")"
  [[ "$found" == v* ]] || { echo "$file is not built from a release of $module"; return; }
  [[ "$(printf '%s\n%s\n' "$version" "$found" | sort -V | head -n1)" == "$version" ]] ||
    echo "$file is built from $module $found, older than $version"
}

failed=()
staging="$(mktemp -d "$bin/.staging.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

for spec in "${HOSTS[@]}"; do
  IFS='|' read -r name module version pkg standalone <<<"$spec"
  dir="$hosts_dir/$name"
  [[ " $wanted " == *" $name "* ]] || continue
  exe="pulumi-language-$name"
  why="$(stale "$bin/$exe" "$module" "$version" "$pkg" "$standalone")"
  if ((!force)) && [[ -z "$why" ]]; then
    log "$exe: already installed ($module $version or newer)"
  else
    log "$exe: ${why:-rebuilding (--force)}; building it from $module $version"
    if ! grep -qE "^[[:space:]]*(require[[:space:]]+)?$module $version( |\$)" "$dir/go.mod" 2>/dev/null; then
      log "$exe: scripts/language-hosts/$name/go.mod does not require $module $version"
      failed+=("$name")
      continue
    fi
    start=$SECONDS
    # The stamped version is what `pulumi about` shows for the host.
    if (cd "$dir" && go build -trimpath -ldflags "$ldflag=$version" -o "$staging/$exe" "$pkg"); then
      chmod 0755 "$staging/$exe"
      mv -f "$staging/$exe" "$bin/$exe"
      log "$exe: built in $((SECONDS - start)) s ($module $version, $(go version | awk '{print $3}'))"
    else
      log "$exe: go build of $pkg ($module $version) FAILED after $((SECONDS - start)) s (output above)"
      failed+=("$name")
      continue
    fi
  fi

  if [[ "$name" == python ]]; then
    # The shim is a Python script in sdk/v3; its module copy is read-only, so install with an explicit mode.
    shim="$(cd "$staging" && GOFLAGS= go mod download -json "github.com/pulumi/pulumi/sdk/v3@v$cli_version" |
      sed -n 's/^[[:space:]]*"Dir": *"\(.*\)",*$/\1/p')/python/cmd/pulumi-language-python-exec" || true
    if [[ ! -f "$shim" ]]; then
      log "pulumi-language-python-exec: not found in github.com/pulumi/pulumi/sdk/v3 v$cli_version (go mod download failed?)"
      failed+=("python (exec shim)")
    elif ((force)) || ! cmp -s "$shim" "$bin/pulumi-language-python-exec"; then
      install -m 0755 "$shim" "$bin/pulumi-language-python-exec"
      log "pulumi-language-python-exec: installed from sdk/v3 v$cli_version"
    else
      log "pulumi-language-python-exec: already installed (sdk/v3 v$cli_version)"
    fi
  fi
done

if ((${#failed[@]})); then
  die "could not build or install: ${failed[*]} (into $bin). The end-to-end tests of those languages will fail."
fi
log "language hosts ($wanted) are in $bin"
[[ " $wanted " == *" java "* ]] && log "Java: the CLI finds pulumi-language-java on PATH only: export PATH=\"$bin:\$PATH\""
exit 0
