#!/usr/bin/env bash
# Installs the TLA+ parser used by tla/src/test (TlaSpecsParseTest) into tla/node_modules:
# npm @tlaplus/tree-sitter-tlaplus (ships tree-sitter-tlaplus.wasm) + web-tree-sitter.
# --ignore-scripts: the grammar's install script would try to build a native binding; the
# wasm build needs none of that.
set -euo pipefail
cd "$(dirname "$0")/../../tla"
if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
  echo "20-tla-parser: installing nodejs + npm (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || true
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "20-tla-parser: npm not found; the TLA+ parse test will be skipped (install nodejs + npm)" >&2
  exit 0
fi
npm install --ignore-scripts --no-audit --no-fund --loglevel=error
test -f node_modules/@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm
echo "20-tla-parser: installed web-tree-sitter $(node -p "require('./node_modules/web-tree-sitter/package.json').version") + tree-sitter-tlaplus wasm"
