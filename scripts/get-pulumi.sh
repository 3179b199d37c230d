#!/usr/bin/env bash
# get-pulumi.sh: make a Pulumi CLI available, by default the one matching the @pulumi/pulumi we pin.
# The versions are read by scripts/pulumi-versions.js, each from its one place: the pinned one is the
# exact @pulumi/pulumi pin in package.json (devDependencies), the newest one scripts/pulumi-cli/newest-version.
#
# Usage:  scripts/get-pulumi.sh [--pinned | --newest | --version X.Y.Z] [--force] [--build] [--link]
#   --pinned   the release package.json pins (the default)
#   --newest   the newest release we test (scripts/pulumi-cli/newest-version)
#   --version  any release that has a wrapper module in scripts/pulumi-cli/cli/vX.Y.Z/
#   --force    reinstall even if the right version is already installed
#   --build    skip the official download and build from Go modules (step 3)
#   --link     also symlink the binaries into ${PULUMI_LINK_DIR:-/usr/local/bin}
#
# Where it installs: ${PULUMI_CLI_ROOT:-$HOME/.pulumi/versions/<version>}/bin, holding
#   pulumi                         the CLI
#   pulumi-language-nodejs         the Node.js language host (and any other host in LANGUAGE_HOSTS below)
#   pulumi-resource-pulumi-nodejs  the dynamic-provider launcher (a shell script that runs
#                                  node @pulumi/pulumi/cmd/dynamic-provider)
# @pulumi/pulumi's Automation API uses that same folder: PulumiCommand.install() and
# PulumiCommand.get({ root }) default the root to os.homedir()/.pulumi/versions/<sdk version>,
# ignoring $PULUMI_HOME, and then check "<root>/bin/pulumi version". The CLI finds the language
# host and the launcher next to its own executable, even if you call it through a symlink.
# A later run (and CI on the same machine) finds the folder and stops at step 1.
#
# Steps, in order:
#   1. That folder already has pulumi (and `pulumi version` says v<version>) plus every language host
#      and the launcher: stop at once.
#   2. The official tarball answers a quick HEAD request: download it and unpack it there.
#   3. Otherwise build from Pulumi's Go modules, using the wrapper modules in scripts/pulumi-cli/
#      (see README.md there):
#        pulumi                 from github.com/pulumi/pulumi/pkg/v3 v<version> (cmd/pulumi),
#                               wrapper module scripts/pulumi-cli/cli/v<version>/
#        pulumi-language-nodejs from github.com/pulumi/pulumi/sdk/v3 v3.68.0 (nodejs/cmd/...):
#          the standalone language-host module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) can't
#          be fetched from the Go proxy. So we use the last sdk/v3 release that still contained
#          the host, for every CLI version. The CLI falls back for the RPCs this host doesn't have,
#          and the code that runs the program comes from the project's own @pulumi/pulumi.
#        the launcher           copied from the CLI's own sdk/v3 (nodejs/dist/pulumi-resource-pulumi-nodejs)
#      A cold build takes 10-20 minutes on 2 cores (see docs/contributing.md). The Go build and module caches are left in
#      their usual places, so a --force rebuild afterwards is quick.
#   If every step fails, it exits non-zero and says why. It never skips quietly.
#
# PATH: by default nothing outside that folder changes. Run `source scripts/pulumi-env.sh` to put
# the pinned version's folder first on PATH and set the env needed offline. For `pulumi` everywhere
# with no env, use --link (it symlinks into /usr/local/bin and fails loudly if that folder isn't writable).
# Don't use `npx pulumi`: @pulumi/pulumi has no bin, so npx would fetch the unrelated npm
# package named "pulumi".
set -euo pipefail

# Language hosts built from Go, one line each: binary|wrapper module (folder under scripts/pulumi-cli)|
# Go package|version stamped into it. The same hosts serve every CLI version. To add a host, add its wrapper
# module (README.md there) and a line here; step 1 then also requires it.
LANGUAGE_HOSTS=(
  "pulumi-language-nodejs|langhost-nodejs|github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs|3.68.0"
)
LAUNCHER=pulumi-resource-pulumi-nodejs
BINARIES=(pulumi)
for host in "${LANGUAGE_HOSTS[@]}"; do BINARIES+=("${host%%|*}"); done
BINARIES+=("$LAUNCHER")

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
export PULUMI_SKIP_UPDATE_CHECK=true

force=0 build_only=0 link=0 which=pinned VERSION=""
while (($#)); do
  case "$1" in
    --force) force=1 ;;
    --build) build_only=1 ;;
    --link) link=1 ;;
    --pinned) which=pinned ;;
    --newest) which=newest ;;
    --version)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "get-pulumi: --version takes X.Y.Z, got '${2:-}'" >&2; exit 2; }
      VERSION="$2"
      shift
      ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "get-pulumi: unknown argument: $1 (try --help)" >&2; exit 2 ;;
  esac
  shift
done
if [[ -z "$VERSION" ]]; then
  command -v node >/dev/null 2>&1 || { echo "get-pulumi: ERROR: 'node' is not on PATH (it reads the version from package.json)" >&2; exit 1; }
  VERSION="$(node "$repo/scripts/pulumi-versions.js" "$which")" || { echo "get-pulumi: ERROR: cannot read the $which Pulumi version (see above)" >&2; exit 1; }
fi
cli_module="$here/pulumi-cli/cli/v$VERSION"
root="${PULUMI_CLI_ROOT:-$HOME/.pulumi/versions/$VERSION}"
bin="$root/bin"

log() { echo "get-pulumi: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Prints nothing and returns 0 when $1 holds a complete install of $VERSION; else prints why not.
check_install() {
  local dir="$1" f out
  for f in "${BINARIES[@]}"; do
    [[ -x "$dir/$f" ]] || { echo "$dir/$f is missing"; return 1; }
  done
  out="$("$dir/pulumi" version 2>/dev/null)" || { echo "$dir/pulumi version failed"; return 1; }
  [[ "$out" == "v$VERSION" ]] || { echo "$dir/pulumi version prints '$out', not v$VERSION"; return 1; }
}

finish() {
  local how="$1"
  if ((link)); then
    local ldir="${PULUMI_LINK_DIR:-/usr/local/bin}" f
    [[ -d "$ldir" && -w "$ldir" ]] || die "--link: $ldir is not a writable directory"
    for f in "${BINARIES[@]}"; do ln -sfn "$bin/$f" "$ldir/$f"; done
    log "symlinked ${BINARIES[*]} into $ldir"
  fi
  log "$how: pulumi v$VERSION is in $bin"
  echo "Add it to PATH:  export PATH=\"$bin:\$PATH\"   (or: source scripts/pulumi-env.sh)"
}

# Serialize concurrent runs (e.g. parallel CI jobs) on the same root.
mkdir -p "$root"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$root/.get-pulumi.lock"
  flock 9
fi

# ---- 1. already installed ---------------------------------------------------------------------
if ((!force)) && why="$(check_install "$bin")"; then
  finish "already installed"
  exit 0
fi
((force)) || log "not installed yet ($why)"

staging="$(mktemp -d "$root/.staging.XXXXXX")"
trap 'rm -rf "$staging"' EXIT

install_staged() {
  local f
  mkdir -p "$bin"
  for f in "${BINARIES[@]}"; do
    chmod 0755 "$staging/$f"
    mv -f "$staging/$f" "$bin/$f"
  done
}

# ---- 2. official download ---------------------------------------------------------------------
url="https://get.pulumi.com/releases/sdk/pulumi-v$VERSION-linux-x64.tar.gz"
download_reason="not tried (--build)"
if ((!build_only)); then
  if [[ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]]; then
    download_reason="no download for $(uname -s)/$(uname -m) in this script"
  elif ! command -v curl >/dev/null 2>&1; then
    download_reason="curl is not installed"
  elif ! curl -fsI --max-time 5 "$url" >/dev/null 2>&1; then
    download_reason="$url is unreachable"
  else
    log "downloading $url"
    if curl -fsSL --max-time 300 "$url" -o "$staging/pulumi.tgz" &&
      tar -xzf "$staging/pulumi.tgz" -C "$staging" --strip-components=1 &&
      rm -f "$staging/pulumi.tgz" &&
      why="$(check_install "$staging")"; then
      # The official tarball has more binaries (other language hosts, policy analyzers); keep them all.
      mkdir -p "$bin"
      cp -f "$staging"/* "$bin"/
      finish "downloaded"
      exit 0
    fi
    download_reason="downloading or unpacking $url failed${why:+ ($why)}"
    rm -rf "${staging:?}"/*
  fi
  log "official download: $download_reason; building from Go modules instead"
fi

# ---- 3. build from Pulumi's Go modules --------------------------------------------------------
fail_build() {
  die "cannot install the Pulumi CLI.
  official download: $download_reason
  build from Go modules: $*"
}

command -v go >/dev/null 2>&1 || fail_build "'go' is not on PATH (Go >= 1.26.6 is needed; /usr/local/go/bin?)"
command -v node >/dev/null 2>&1 || log "warning: 'node' is not on PATH; the language host and dynamic providers need it at run time"
[[ -f "$cli_module/go.mod" ]] ||
  fail_build "no wrapper module scripts/pulumi-cli/cli/v$VERSION/ (there are: $(cd "$here/pulumi-cli/cli" && echo v*)); see scripts/pulumi-cli/README.md"
grep -q "github.com/pulumi/pulumi/pkg/v3 v$VERSION" "$cli_module/go.mod" ||
  fail_build "scripts/pulumi-cli/cli/v$VERSION/go.mod does not require github.com/pulumi/pulumi/pkg/v3 v$VERSION"

# -mod=readonly: the committed go.sum files are the source of truth; go never adds or updates an entry at
# build time (see scripts/pulumi-cli/README.md for how they are made).
export GOFLAGS="$(go env GOFLAGS) -mod=readonly -buildvcs=false"
ldflag="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
build_tool() { # output-name wrapper-dir package version
  log "building $1 v$4 from $3 with $(go version)"
  (cd "$2" && go build -trimpath -ldflags "$ldflag=v$4" -o "$staging/$1" "$3") ||
    fail_build "go build of $3 (in ${2#"$repo/"}) failed (output above)"
}

started=$SECONDS
build_tool pulumi "$cli_module" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$VERSION"
for host in "${LANGUAGE_HOSTS[@]}"; do
  IFS='|' read -r name dir pkg host_version <<<"$host"
  build_tool "$name" "$here/pulumi-cli/$dir" "$pkg" "$host_version"
done

sdk_dir="$(cd "$cli_module" && go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")" ||
  fail_build "cannot locate github.com/pulumi/pulumi/sdk/v3 in the module cache"
launcher="$sdk_dir/nodejs/dist/$LAUNCHER"
[[ -f "$launcher" ]] || fail_build "$launcher not found in the sdk/v3 module"
# Module-cache files are read-only and not executable, so install with an explicit mode.
install -m 0755 "$launcher" "$staging/$LAUNCHER"
log "built in $((SECONDS - started)) s"

why="$(check_install "$staging")" || fail_build "the freshly built binaries are unusable: $why"
install_staged
why="$(check_install "$bin")" || die "installed into $bin but it is unusable: $why"
finish "built from Go modules"
