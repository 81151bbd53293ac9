#!/usr/bin/env bash
# Runs every compiled test file in a mocha process of its own, on each backend (default: wasm, then cpu). A file
# that passes in the whole suite only because another file loaded something first fails here. As in `npm test`,
# the cpu pass leaves out the files that start real processes (test/cli/, test/serve/, test/web/, and the README's
# commands, which pin wasm): what they test does not depend on the backend.
#   npm run test:each            # build, then every file alone on wasm and on cpu
#   bash scripts/test-each.sh cpu
set -uo pipefail
cd "$(dirname "$0")/.."
backends=("$@")
[ ${#backends[@]} -eq 0 ] && backends=(wasm cpu)
failed=()
for backend in "${backends[@]}"; do
  # Recursive: test/ may group its files in folders as src/ does.
  while IFS= read -r file; do
    if [ "$backend" = cpu ] && [[ "$file" == dist/test/cli/* || "$file" == dist/test/serve/* || "$file" == dist/test/web/* || "$file" == */readme.test.js ]]; then
      continue
    fi
    echo "== $file on $backend"
    if ! RNN_ADDER_BACKEND="$backend" node_modules/.bin/mocha --no-config --timeout 60000 --reporter dot "$file"; then
      failed+=("$file on $backend")
    fi
  done < <(find dist/test -name '*.test.js' | sort)
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'failed alone: %s\n' "${failed[@]}" >&2
  exit 1
fi
echo "every test file passes alone on: ${backends[*]}"
