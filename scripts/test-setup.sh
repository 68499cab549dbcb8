#!/usr/bin/env bash
# Installs what the tests need beyond npm packages, on a fresh Debian machine as root.
# Idempotent: a warm machine skips every step. Elsewhere it says what is missing and goes on.
set -euo pipefail

need_apt=()
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)   # search tool: the ripgrep path is tested too
command -v script >/dev/null 2>&1 || need_apt+=(bsdutils) # a real terminal for the CLI approval tests

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test-setup: installing ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "test-setup: missing ${need_apt[*]} (install them; the tests that need them will skip or fail)" >&2
  fi
fi
