#!/usr/bin/env bash
# The CPU time of some test files at a base commit and in this checkout, measured by the test
# runner itself (scripts/run-tests.mjs: each file's own process, the processes it started, and
# PostgreSQL's server during the run), so that a change meant to speed the suite up can be checked
# on a shared machine, where wall times mean little.
#
#   scripts/compare-test-cpu.sh BASE SUBSTRING...     e.g. scripts/compare-test-cpu.sh main sync-kill
#
# BASE is checked out in a temporary git worktree (node_modules linked to this checkout's); the two
# runs go one after the other, base first, RUNS times (default 1), each with a cache folder of its
# own (STEWARD_TEST_CACHE), so the files start in the same order. Both runs see the same
# environment (STEWARD_TEST_PG, STEWARD_SHARED_DATA, ...). What it prints, per run: the runner's
# table of the files (wall, own CPU, child CPU, all CPU, idle) and its totals. Compare "all CPU";
# PostgreSQL's figure counts every client of the server, so it is the tests' own only on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: $0 BASE SUBSTRING...}
shift
[ $# -gt 0 ] || { echo "usage: $0 BASE SUBSTRING..." >&2; exit 2; }
runs=${RUNS:-1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/steward-cpu-compare-XXXXXX")
trap 'git worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --quiet --detach "$tmp/base" "$base"
ln -s "$(pwd)/node_modules" "$tmp/base/node_modules"
for i in $(seq 1 "$runs"); do
  for side in base here; do
    dir=$([ "$side" = base ] && echo "$tmp/base" || pwd)
    cache="$tmp/cache-$side-$i"
    (cd "$dir" && STEWARD_TEST_CACHE="$cache" node scripts/run-tests.mjs "$@" >"$tmp/$side-$i.log" 2>&1) || { echo "($side, run $i: a test failed)"; grep -A12 'failing tests' "$tmp/$side-$i.log" || tail -20 "$tmp/$side-$i.log"; }
    echo "== $side ($( [ "$side" = base ] && git rev-parse --short "$base" || echo 'this checkout')), run $i"
    cat "$cache/durations.txt"
  done
done
