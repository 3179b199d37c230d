#!/usr/bin/env bash
# get-pulumi.sh: make the Pulumi CLI that matches our @pulumi/pulumi available: the version
# package.json pins for @pulumi/pulumi is the one place the CLI version is kept (3.248.0 when written).
#
# Usage:  scripts/get-pulumi.sh [--force] [--build] [--link]
#   --force  reinstall even if the right version is already installed
#   --build  skip the official download and build from Go modules (step 3)
#   --link   also symlink the three binaries into ${PULUMI_LINK_DIR:-/usr/local/bin}
#
# Where it installs: ${PULUMI_CLI_ROOT:-$HOME/.pulumi/versions/<version>}/bin, holding
#   pulumi                         the CLI
#   pulumi-language-nodejs         the Node.js language host
#   pulumi-resource-pulumi-nodejs  the dynamic-provider launcher (a shell script that runs
#                                  node @pulumi/pulumi/cmd/dynamic-provider)
# @pulumi/pulumi's Automation API uses that same folder: PulumiCommand.install() and
# PulumiCommand.get({ root }) default the root to os.homedir()/.pulumi/versions/<sdk version>,
# ignoring $PULUMI_HOME, and then check "<root>/bin/pulumi version". The CLI finds the language
# host and the launcher next to its own executable, even if you call it through a symlink.
#
# Steps, in order:
#   1. That folder already has pulumi (and `pulumi version` says v<version>) plus the language host
#      and the launcher: stop at once.
#   2. The official tarball answers a quick HEAD request: download it and unpack it there.
#   3. Otherwise build from Pulumi's Go modules, using the wrapper modules in scripts/pulumi-cli/
#      (see README.md there):
#        pulumi                 from github.com/pulumi/pulumi/pkg/v3 v3.248.0 (cmd/pulumi)
#        pulumi-language-nodejs from github.com/pulumi/pulumi/sdk/v3 v3.68.0 (nodejs/cmd/...):
#          the standalone language-host module (sdk/nodejs/cmd/pulumi-language-nodejs/v3) can't
#          be fetched from the Go proxy. So we use the last sdk/v3 release that still contained
#          the host. The 3.248 CLI falls back for the RPCs this host doesn't have, and the code
#          that runs the program comes from the project's own @pulumi/pulumi.
#        the launcher           copied from sdk/v3 v3.248.0 (nodejs/dist/pulumi-resource-pulumi-nodejs)
#      A cold build takes several minutes on 2 cores. The Go build and module caches are left in
#      their usual places, so a --force rebuild afterwards is quick.
#   If every step fails, it exits non-zero and says why. It never skips quietly.
#
# PATH: by default nothing outside that folder changes. Run `source scripts/pulumi-env.sh` to put
# the folder first on PATH and set the env needed offline. For `pulumi` everywhere with no env,
# use --link (it symlinks into /usr/local/bin and fails loudly if that folder isn't writable).
# Don't use `npx pulumi`: @pulumi/pulumi has no bin, so npx would fetch the unrelated npm
# package named "pulumi".
set -euo pipefail

LANGHOST_VERSION=3.68.0 # sdk/v3 release the nodejs language host is built from (see above)
BINARIES=(pulumi pulumi-language-nodejs pulumi-resource-pulumi-nodejs)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# The CLI version is the @pulumi/pulumi version package.json pins (kept nowhere else). When package.json
# moves to another @pulumi/pulumi, scripts/pulumi-cli/go.mod must move too (checked before a build).
VERSION="$(sed -n 's/.*"@pulumi\/pulumi": *"[~^]\{0,1\}\([0-9][^"]*\)".*/\1/p' "$repo/package.json" 2>/dev/null | head -n1)"
[[ -n "$VERSION" ]] || { echo "get-pulumi: ERROR: cannot read the @pulumi/pulumi version from $repo/package.json" >&2; exit 1; }
root="${PULUMI_CLI_ROOT:-$HOME/.pulumi/versions/$VERSION}"
bin="$root/bin"
export PULUMI_SKIP_UPDATE_CHECK=true

force=0 build_only=0 link=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --build) build_only=1 ;;
    --link) link=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "get-pulumi: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

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

command -v go >/dev/null 2>&1 || fail_build "'go' is not on PATH (Go >= 1.25.11 is needed; /usr/local/go/bin?)"
command -v node >/dev/null 2>&1 || log "warning: 'node' is not on PATH; the language host and dynamic providers need it at run time"
grep -q "github.com/pulumi/pulumi/pkg/v3 v$VERSION" "$here/pulumi-cli/go.mod" ||
  fail_build "scripts/pulumi-cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3 v$VERSION"

# -mod=readonly: the committed go.sum files are the source of truth (the checksum database has no
# entry for pkg/v3 v3.248.0, so never let go add or update entries).
export GOFLAGS="$(go env GOFLAGS) -mod=readonly -buildvcs=false"
ldflag="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
log "building pulumi v$VERSION with $(go version) (a cold build takes several minutes)"
(cd "$here/pulumi-cli" &&
  go build -trimpath -ldflags "$ldflag=v$VERSION" -o "$staging/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi) ||
  fail_build "go build of github.com/pulumi/pulumi/pkg/v3/cmd/pulumi failed (output above)"

log "building pulumi-language-nodejs (from github.com/pulumi/pulumi/sdk/v3 v$LANGHOST_VERSION)"
(cd "$here/pulumi-cli/langhost-nodejs" &&
  go build -trimpath -ldflags "$ldflag=v$LANGHOST_VERSION" -o "$staging/pulumi-language-nodejs" \
    github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs) ||
  fail_build "go build of github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs failed (output above)"

sdk_dir="$(cd "$here/pulumi-cli" && go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")" ||
  fail_build "cannot locate github.com/pulumi/pulumi/sdk/v3 in the module cache"
launcher="$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs"
[[ -f "$launcher" ]] || fail_build "$launcher not found in the sdk/v3 module"
# Module-cache files are read-only and not executable, so install with an explicit mode.
install -m 0755 "$launcher" "$staging/pulumi-resource-pulumi-nodejs"

why="$(check_install "$staging")" || fail_build "the freshly built binaries are unusable: $why"
install_staged
why="$(check_install "$bin")" || die "installed into $bin but it is unusable: $why"
finish "built from Go modules"
