#!/usr/bin/env bash
# The whole test suite, from a fresh clone: system packages the tests need (Debian's
# chromium for the browser tests), npm packages, the client bundle, the type check, the
# lint, and every test. The README's test command; .ci/run calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v nginx >/dev/null 2>&1 || need_apt+=(nginx)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing Debian packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "Missing Debian packages: ${need_apt[*]} (run as root or: sudo apt-get install ${need_apt[*]})" >&2
    exit 1
  fi
fi

if [ "${CI:-}" = true ] || [ ! -d node_modules ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== build the browser client"
npm run --silent build:client
echo "== type check"
npm run --silent typecheck
echo "== lint"
npm run --silent lint
echo "== format check"
npm run --silent format:check
echo "== tests"
npx vitest run "$@"
