#!/usr/bin/env bash
# Build everything and run every test: unit tests and end-to-end tests
# under ASan+UBSan, then a short run of each fuzz target.
# Prints one closing line "tests: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
{ scripts/deps.sh && scripts/web-deps.sh; } || exit 1

JOBS=$(nproc 2>/dev/null || echo 2)
make -s -j"$JOBS" release asan unit fuzz || { echo "tests: 0 passed, 1 failed"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0; failed=0; failures=()
run() { # name, command...
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

echo "== unit tests"
for t in build/asan/tests/test_*; do
  [ -x "$t" ] && run "$(basename "$t")" "$t"
done

echo "== end-to-end tests"
export CORDON="$PWD/build/asan/cordon"
for t in tests/e2e/t[0-9]*.sh; do
  run "$(basename "$t")" bash "$t"
done

echo "== fuzz (short runs; long runs: see fuzz/README.md)"
for src in fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  f=build/fuzz/$name
  corpus="build/fuzz/corpus-$name"
  mkdir -p "$corpus"
  run "$name" "$f" -runs="${FUZZ_RUNS:-200000}" -max_len=4096 \
      -artifact_prefix=build/fuzz/ \
      "$corpus" "fuzz/seeds/$name" 2>"build/fuzz/$name.log" \
    || { tail -30 "build/fuzz/$name.log"; false; }
done

[ ${#failures[@]} -gt 0 ] && printf 'FAILED: %s\n' "${failures[@]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
