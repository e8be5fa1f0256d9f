#!/usr/bin/env pwsh
# Thin wrapper over dotnet, for machines with pwsh. Same tasks as build.sh:
#   ./build.ps1 [build|test|bench|package]
# On a workstation with Pester 5, 'test' also runs tests/Pester against the built module.
[CmdletBinding()]
param(
    [ValidateSet('build', 'test', 'bench', 'package')]
    [string] $Task = 'build',
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    Invoke-Native dotnet @('restore', 'Cimaa.sln', '--nologo', '-v', 'q')
    Invoke-Native dotnet @('build', 'Cimaa.sln', '-c', $Configuration, '--no-restore', '--nologo', '-v', 'q')
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' {
        Push-Location tests/dynalite; try { Invoke-Native npm @('ci', '--no-audit', '--no-fund', '--loglevel=error') } finally { Pop-Location }
        Invoke-Build
        Remove-Item out/TestResults -Recurse -Force -ErrorAction Ignore
        & dotnet test Cimaa.sln -c $Configuration --no-build --nologo --logger trx --results-directory out/TestResults --blame-hang-timeout 10m
        $status = $LASTEXITCODE
        $passed = 0; $failed = 0; $skipped = 0
        foreach ($trx in Get-ChildItem out/TestResults -Filter *.trx) {
            $c = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
            $passed += [int]$c.passed; $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; $skipped += [int]$c.notExecuted
        }
        if (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0') {
            $pester = Invoke-Pester -Path tests/Pester -PassThru -Output Detailed
            $passed += $pester.PassedCount; $failed += $pester.FailedCount; $skipped += $pester.SkippedCount
        }
        if ($status -ne 0 -and $failed -eq 0) { $failed = 1 }
        $line = "$passed passed, $failed failed"
        if ($skipped) { $line += ", $skipped skipped" }
        $line
        if ($failed) { exit 1 }
    }
    'bench' {
        Push-Location tests/dynalite; try { Invoke-Native npm @('ci', '--no-audit', '--no-fund', '--loglevel=error') } finally { Pop-Location }
        Invoke-Build
        Invoke-Native dotnet @('run', '--project', 'bench/Cimaa.Bench.Metrics', '-c', 'Release', '--no-build')
        Invoke-Native dotnet @('run', '--project', 'bench/Cimaa.Bench', '-c', 'Release', '--no-build')
    }
    'package' {
        Invoke-Build
        $version = ([xml](Get-Content Directory.Build.props -Raw)).Project.PropertyGroup.CimaaVersion | Where-Object { $_ } | Select-Object -First 1
        Compress-Archive -Path out/Cimaa -DestinationPath "out/Cimaa-$version.zip" -Force
        "out/Cimaa-$version.zip"
    }
}
