#!/usr/bin/env -S sh -c 'cd "${0%/*}" && exec dotnet pwsh -NoProfile -File "${0##*/}" "$@"'
# The line above runs this file with the repository's pwsh (.config/dotnet-tools.json; `dotnet tool restore` once), from
# any folder. With pwsh on PATH, `pwsh ./build.ps1` does the same. Same tasks and results as build.sh:
#   ./build.ps1 [build|demo|test|serve|bench|package]
[CmdletBinding()]
param(
    [ValidateSet('build', 'demo', 'test', 'serve', 'bench', 'package')]
    [string] $Task = 'build',
    [string] $Configuration = ($env:CONFIGURATION ? $env:CONFIGURATION : 'Release'),
    # Passed on to `dotnet test` (test), to the server (serve) or to the benchmark harness (bench).
    [Parameter(ValueFromRemainingArguments)]
    [string[]] $Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# pwsh 7.6.9 (.config/dotnet-tools.json) and Pester (tests/Pester/restore) come from NuGet, never from the Gallery.
function Invoke-Restore {
    Invoke-Native dotnet @('tool', 'restore') | Out-Null
    Invoke-Native dotnet @('restore', 'Cimaa.sln', '--nologo', '-v', 'q')
    Invoke-Native dotnet @('restore', 'tests/Pester/restore/PesterRestore.csproj', '--nologo', '-v', 'q')
}

function Invoke-Build {
    Invoke-Restore
    Invoke-Native dotnet @('build', 'Cimaa.sln', '-c', $Configuration, '--no-restore', '--nologo', '-v', 'q', '-clp:NoSummary')
}

# Scripts run in their own pwsh, as build.sh runs them: the caller's session (loaded modules, preferences) stays out.
function Invoke-Pwsh([string[]] $Arguments) {
    & dotnet pwsh -NoProfile -NonInteractive @Arguments
}

function Install-Dynalite {
    Push-Location tests/dynalite
    try { Invoke-Native npm @('ci', '--no-audit', '--no-fund', '--loglevel=error') } finally { Pop-Location }
}

# The status page's browser tests drive a headless Chromium: installed (as root, with apt-get) only when none is found.
function Install-Chromium {
    if ($env:CHROMIUM_PATH -or (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction Ignore)) { return }
    Invoke-Native bash @('tests/browser/install-chromium.sh') | Out-Null
}

switch ($Task) {
    'build' { Invoke-Build }
    'demo' {
        'Restoring pwsh and building the module into out/Cimaa (a minute or two the first time)...'
        Invoke-Native dotnet @('tool', 'restore') | Out-Null
        $log = & dotnet build src/Cimaa.PowerShell -c $Configuration --nologo -v q -clp:NoSummary 2>&1
        if ($LASTEXITCODE -ne 0) { $log | Write-Host; exit 1 }
        'Running examples/quickstart.ps1 in pwsh on a temporary SQLite file:'
        ''
        Invoke-Pwsh @('-File', 'examples/quickstart.ps1')
        exit $LASTEXITCODE
    }
    'test' {
        Install-Dynalite
        Install-Chromium
        Invoke-Build
        Remove-Item out/TestResults -Recurse -Force -ErrorAction Ignore
        & dotnet test Cimaa.sln -c $Configuration --no-build --nologo --logger trx --results-directory out/TestResults `
            --blame-hang-timeout 10m @Rest
        $xunit = $LASTEXITCODE
        Invoke-Pwsh @('-File', 'tests/Pester/Invoke-CimaaPester.ps1', '-OutputPath', 'out/TestResults/pester.xml')
        $pester = $LASTEXITCODE
        & ./build/Write-TestSummary.ps1 -ResultsDirectory out/TestResults -XunitExitCode $xunit `
            -PesterResult out/TestResults/pester.xml -PesterExitCode $pester
        exit $LASTEXITCODE
    }
    'serve' {
        & dotnet run --project src/Cimaa.Server -c $Configuration -- @Rest
        exit $LASTEXITCODE
    }
    'bench' {
        Install-Dynalite
        Invoke-Build
        Invoke-Native dotnet @('run', '--project', 'bench/Cimaa.Bench.Server', '-c', 'Release', '--no-build')
        Invoke-Native dotnet @('run', '--project', 'bench/Cimaa.Bench.Report', '-c', 'Release', '--no-build')
        # bench/Cimaa.Bench: figures against their floors, metric reads, the cost curve, profiles of missed goals (latest.md).
        Invoke-Native dotnet (@('run', '--project', 'bench/Cimaa.Bench', '-c', 'Release', '--no-build', '--') + $Rest)
    }
    'package' {
        Invoke-Build
        & ./build/Publish-CimaaModule.ps1 -ModulePath out/Cimaa -RepositoryPath out/repo
    }
}
