#!/usr/bin/env bash
# Thin wrapper over dotnet. ./build.ps1 does the same for pwsh users.
#   ./build.sh [build]   restore (pwsh tool, Pester, packages) and build; the module lands in out/Cimaa/
#   ./build.sh demo      build the module quietly, then run examples/quickstart.ps1 in pwsh on a temporary SQLite file
#   ./build.sh test      also install dynalite (npm ci) and, when missing, Chromium (tests/browser/install-chromium.sh);
#                        run the xunit suites, then tests/Pester under pwsh;
#                        print "N passed, N failed" over both
#   ./build.sh serve     run the metrics server; arguments after "serve" go to it (docs/server.md)
#   ./build.sh bench     run the benchmarks in bench/ (writes bench/results/latest.md, server.md and report.md)
#   ./build.sh package   build, then publish out/Cimaa with Publish-PSResource to the file repository out/repo
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
configuration="${CONFIGURATION:-Release}"
task="${1:-build}"
[ $# -gt 0 ] && shift

# pwsh 7.6.9 (.config/dotnet-tools.json) and Pester (tests/Pester/restore) come from NuGet, never from the Gallery.
restore() {
  dotnet tool restore >/dev/null
  dotnet restore Cimaa.sln --nologo -v q
  dotnet restore tests/Pester/restore/PesterRestore.csproj --nologo -v q
}

build() {
  restore
  dotnet build Cimaa.sln -c "$configuration" --no-restore --nologo -v q -clp:NoSummary "$@"
}

pwsh() {
  dotnet pwsh -NoProfile -NonInteractive "$@"
}

case "$task" in
  build)
    build "$@"
    ;;
  demo)
    echo "Restoring pwsh and building the module into out/Cimaa (a minute or two the first time)..."
    dotnet tool restore >/dev/null
    log=$(mktemp)
    dotnet build src/Cimaa.PowerShell -c "$configuration" --nologo -v q -clp:NoSummary >"$log" 2>&1 \
      || { cat "$log" >&2; rm -f "$log"; exit 1; }
    rm -f "$log"
    echo "Running examples/quickstart.ps1 in pwsh on a temporary SQLite file:"
    echo
    pwsh -File examples/quickstart.ps1
    ;;
  test)
    (cd tests/dynalite && npm ci --no-audit --no-fund --loglevel=error)
    # The status page's browser tests drive a headless Chromium: installed (as root, with apt-get) only when none is found.
    if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
      tests/browser/install-chromium.sh >/dev/null
    fi
    build
    rm -rf out/TestResults
    xunit=0
    dotnet test Cimaa.sln -c "$configuration" --no-build --nologo --logger trx --results-directory out/TestResults \
      --blame-hang-timeout 10m "$@" || xunit=$?
    pester=0
    pwsh -File tests/Pester/Invoke-CimaaPester.ps1 -OutputPath out/TestResults/pester.xml || pester=$?
    pwsh -File build/Write-TestSummary.ps1 -ResultsDirectory out/TestResults -XunitExitCode "$xunit" \
      -PesterResult out/TestResults/pester.xml -PesterExitCode "$pester"
    ;;
  serve)
    exec dotnet run --project src/Cimaa.Server -c "$configuration" -- "$@"
    ;;
  bench)
    (cd tests/dynalite && npm ci --no-audit --no-fund --loglevel=error)
    build
    dotnet run --project bench/Cimaa.Bench.Server -c Release --no-build
    dotnet run --project bench/Cimaa.Bench.Report -c Release --no-build
    # bench/Cimaa.Bench: every figure against its floor, the metric reads, the cost curve, and dotnet-trace profiles of missed
    # goals (the tool comes from .config/dotnet-tools.json through restore). Writes bench/results/latest.md; --quick for fewer runs.
    dotnet run --project bench/Cimaa.Bench -c Release --no-build -- "$@"
    ;;
  package)
    build
    pwsh -File build/Publish-CimaaModule.ps1 -ModulePath out/Cimaa -RepositoryPath out/repo
    ;;
  *)
    echo "usage: ./build.sh [build|demo|test|serve|bench|package]" >&2
    exit 64
    ;;
esac
