#!/usr/bin/env bash
# Thin wrapper over dotnet.
#   ./build.sh [build]   restore and build; the module lands in out/Cimaa/
#   ./build.sh test      install dynalite (npm ci), build, run every test project, print "N passed, N failed"
#   ./build.sh bench     run the benchmarks in bench/ (writes bench/results/latest.md)
#   ./build.sh package   build and zip out/Cimaa into out/Cimaa-<version>.zip
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
configuration="${CONFIGURATION:-Release}"
task="${1:-build}"
[ $# -gt 0 ] && shift

build() {
  dotnet restore Cimaa.sln --nologo -v q
  dotnet build Cimaa.sln -c "$configuration" --no-restore --nologo -v q -clp:NoSummary "$@"
}

# Totals the trx files of a run and prints the closing line.
summarize() {
  local status=$1 passed=0 failed=0 skipped=0 line
  for trx in out/TestResults/*.trx; do
    [ -f "$trx" ] || continue
    line=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    attr() { echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
    passed=$((passed + $(attr passed)))
    failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
    skipped=$((skipped + $(attr notExecuted)))
  done
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "The test run failed before all results were recorded (exit $status)." >&2
    failed=1
  fi
  if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  [ "$failed" -eq 0 ]
}

case "$task" in
  build)
    build "$@"
    ;;
  test)
    (cd tests/dynalite && npm ci --no-audit --no-fund --loglevel=error)
    build
    rm -rf out/TestResults
    status=0
    dotnet test Cimaa.sln -c "$configuration" --no-build --nologo --logger trx --results-directory out/TestResults \
      --blame-hang-timeout 10m "$@" || status=$?
    summarize "$status"
    ;;
  bench)
    (cd tests/dynalite && npm ci --no-audit --no-fund --loglevel=error)
    build
    # The metrics harness writes bench/results/metrics.md, which the main harness folds into latest.md.
    dotnet run --project bench/Cimaa.Bench.Metrics -c Release --no-build
    dotnet run --project bench/Cimaa.Bench -c Release --no-build -- "$@"
    ;;
  package)
    build
    version=$(sed -n 's:.*<CimaaVersion>\(.*\)</CimaaVersion>.*:\1:p' Directory.Build.props)
    rm -f "out/Cimaa-$version.zip"
    (cd out && zip -qr "Cimaa-$version.zip" Cimaa)
    echo "out/Cimaa-$version.zip"
    ;;
  *)
    echo "usage: ./build.sh [build|test|bench|package]" >&2
    exit 64
    ;;
esac
