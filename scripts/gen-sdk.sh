#!/usr/bin/env bash
# gen-sdk.sh: generate the cen-flowlog package's SDKs from schema.json into sdk/<language>/ (gitignored).
#
# Usage:  scripts/gen-sdk.sh [LANGUAGE ...]      languages: nodejs python go java (default: all four)
#   SCHEMA=<file>  the schema (default: schema.json at the repository root)
#   SDK_DIR=<dir>  where the SDKs go (default: sdk/ at the repository root)
#
#   nodejs, python, go  scripts/gen-sdk (a Go program on pkg/v3 v3.248.0's generators, offline). The CLI's
#                       `pulumi package gen-sdk` cannot: it asks the language host (GeneratePackage), which the
#                       hosts built here (sdk/v3 v3.62/v3.68) do not implement.
#   java                `pulumi package gen-sdk --language java` with the pinned CLI and the Java host
#                       (scripts/get-pulumi.sh, then scripts/get-language-hosts.sh).
# .NET cannot be generated here (no host is served, pkg/v3 has no .NET generator): with the official CLI, run
# `pulumi package gen-sdk schema.json --language dotnet` (see README.md).
# Fails (exit 1) naming the language whose SDK it could not generate.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
schema="$(realpath "${SCHEMA:-$repo/schema.json}")"
out="${SDK_DIR:-$repo/sdk}"
langs=("$@")
((${#langs[@]})) || langs=(nodejs python go java)

log() { echo "gen-sdk: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ -f "$schema" ]] || die "$schema not found (it is committed at the repository root; or set SCHEMA)"
mkdir -p "$out" "$repo/.langs"
out="$(cd "$out" && pwd)"
# The language suites run this side by side: one run at a time, so none executes gen-sdk while another relinks it.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$repo/.langs/gen-sdk.lock"
  flock 9
fi

go_langs=() java=0
for l in "${langs[@]}"; do
  case "$l" in
    nodejs | python | go) go_langs+=("$l") ;;
    java) java=1 ;;
    dotnet | csharp) die "$l: no .NET generator or language host can be built here; use the official CLI (README.md)" ;;
    *) die "unknown language '$l' (nodejs, python, go, java)" ;;
  esac
done

if ((${#go_langs[@]})); then
  command -v go >/dev/null 2>&1 || die "${go_langs[*]}: 'go' is not on PATH (scripts/gen-sdk is a Go program)"
  gen="$repo/.langs/bin/gen-sdk"
  # go build is incremental: after the first build (about 30 s cold, sharing the CLI's build cache) this is instant.
  (cd "$here/gen-sdk" && GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -o "$gen" .) ||
    die "${go_langs[*]}: building scripts/gen-sdk failed (output above)"
  lang_list="$(IFS=,; echo "${go_langs[*]}")"
  "$gen" -schema "$schema" -out "$out" -lang "$lang_list" || die "${go_langs[*]}: generating from $schema failed"
fi

if ((java)); then
  pin="$(sed -n 's/.*"@pulumi\/pulumi": *"[~^]\{0,1\}\([0-9][^"]*\)".*/\1/p' "$repo/package.json" | head -n1)"
  bin="${PULUMI_CLI_ROOT:-$HOME/.pulumi/versions/$pin}/bin"
  [[ -x "$bin/pulumi" ]] || die "java: $bin/pulumi is missing (run scripts/get-pulumi.sh)"
  [[ -x "$bin/pulumi-language-java" ]] || die "java: $bin/pulumi-language-java is missing (run scripts/get-language-hosts.sh)"
  rm -rf "$out/java"
  # The CLI finds the Java host on PATH only; a PULUMI_HOME of its own keeps this from touching the user's plugins.
  home="$(mktemp -d)"
  trap 'rm -rf "$home"' EXIT
  PATH="$bin:$PATH" PULUMI_HOME="$home" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
    "$bin/pulumi" package gen-sdk "$schema" --language java --out "$out" ||
    die "java: pulumi package gen-sdk --language java failed (output above)"
  [[ -f "$out/java/build.gradle" ]] || die "java: the CLI wrote no $out/java/build.gradle"
  # build.gradle writes these two resources at build time (genPulumiResources); writing them here lets a Maven or
  # sbt project compile the SDK's sources with the program as well. The SDK reads its version from version.txt.
  read -r version name base < <(node -p 'const s = require(process.argv[1]);
    [s.version, s.name, ((s.language || {}).java || {}).basePackage || "com.pulumi"].join(" ")' "$schema") ||
    die "java: cannot read version, name and language.java.basePackage from $schema"
  res="$out/java/src/main/resources/${base//.//}/$name"
  mkdir -p "$res"
  printf '%s' "$version" >"$res/version.txt"
  printf '{\n  "resource": true,\n  "name": "%s",\n  "version": "%s"\n}\n' "$name" "$version" >"$res/plugin.json"
  log "java SDK in $out/java"
fi
