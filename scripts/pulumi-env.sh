# Source this file (". scripts/pulumi-env.sh") after scripts/get-pulumi.sh, to use that CLI offline.
# - Puts the installed bin folder (pulumi, pulumi-language-nodejs, pulumi-resource-pulumi-nodejs) first on PATH.
# - PULUMI_SKIP_UPDATE_CHECK=true: no "new version available" request to the Pulumi service.
# - PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true: a missing plugin fails at once instead of
#   trying to download one.
# - PULUMI_BACKEND_URL defaults to file://~ (same as `pulumi login --local`, with state in ~/.pulumi)
#   so nothing talks to Pulumi Cloud. This env var takes precedence over `pulumi login`: to use
#   another backend, set PULUMI_BACKEND_URL yourself (before or after sourcing this file).
# PULUMI_CONFIG_PASSPHRASE is still yours to set (file backends need it to create stacks).
# The CLI version is the @pulumi/pulumi version package.json pins (as in get-pulumi.sh).
_pulumi_cli_version="$(sed -n 's/.*"@pulumi\/pulumi": *"[~^]\{0,1\}\([0-9][^"]*\)".*/\1/p' \
  "$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/package.json" 2>/dev/null | head -n1)"
_pulumi_cli_bin="${PULUMI_CLI_ROOT:-$HOME/.pulumi/versions/$_pulumi_cli_version}/bin"
case ":$PATH:" in
  ":$_pulumi_cli_bin:"*) ;;
  *) PATH="$_pulumi_cli_bin:$PATH" ;;
esac
export PATH
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://~}"
if [ ! -x "$_pulumi_cli_bin/pulumi" ]; then
  echo "pulumi-env.sh: $_pulumi_cli_bin/pulumi is missing; run scripts/get-pulumi.sh first" >&2
fi
unset _pulumi_cli_bin _pulumi_cli_version
