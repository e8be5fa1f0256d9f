<#
.SYNOPSIS
Totals the xunit trx files and the Pester NUnit XML of a test run and prints the closing line, "N passed, N failed"
(", N skipped" when any). Exits 1 when anything failed. Used by both build.sh and build.ps1.

.DESCRIPTION
A step that exited non-zero without recording a failure counts as one failure (the run broke before all results were
written). A missing Pester result file is one failure. In the Pester file, the root's `errors` attribute counts what failed
outside any test (see tests/Pester/Invoke-CimaaPester.ps1).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ResultsDirectory,
    [int] $XunitExitCode = 0,
    # The Pester result file; when given, it must exist.
    [string] $PesterResult,
    [int] $PesterExitCode = 0
)
$ErrorActionPreference = 'Stop'

function Get-Counters([string] $Name, [scriptblock] $Read, [int] $ExitCode) {
    $c = & $Read
    if ($ExitCode -ne 0 -and $c.Failed -eq 0) {
        [Console]::Error.WriteLine("$Name exited with $ExitCode before all results were recorded.")
        $c.Failed = 1
    }
    $c
}

$xunit = Get-Counters 'dotnet test' -ExitCode $XunitExitCode -Read {
    $c = @{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem -LiteralPath $ResultsDirectory -Filter *.trx -File -ErrorAction Ignore) {
        $counters = ([xml](Get-Content -LiteralPath $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $c.Passed += [int]$counters.passed
        $c.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $c.Skipped += [int]$counters.notExecuted
    }
    $c
}
$totals = @($xunit)

if ($PesterResult) {
    $totals += Get-Counters 'The Pester run' -ExitCode $PesterExitCode -Read {
        $c = @{ Passed = 0; Failed = 0; Skipped = 0 }
        if (-not (Test-Path -LiteralPath $PesterResult)) {
            [Console]::Error.WriteLine("The Pester run wrote no result file ($PesterResult).")
            $c.Failed = 1
            return $c
        }
        $root = ([xml](Get-Content -LiteralPath $PesterResult -Raw)).DocumentElement
        foreach ($case in $root.SelectNodes('//test-case')) {
            switch ($case.GetAttribute('result')) {
                'Success' { $c.Passed++ }
                { $_ -in 'Failure', 'Error' } { $c.Failed++ }
                default { $c.Skipped++ }
            }
        }
        $c.Failed += [int]$root.GetAttribute('errors')
        $c
    }
}

$passed = ($totals | ForEach-Object { $_.Passed } | Measure-Object -Sum).Sum
$failed = ($totals | ForEach-Object { $_.Failed } | Measure-Object -Sum).Sum
$skipped = ($totals | ForEach-Object { $_.Skipped } | Measure-Object -Sum).Sum
$line = "$passed passed, $failed failed"
if ($skipped -gt 0) { $line += ", $skipped skipped" }
$line
exit ($failed -gt 0 ? 1 : 0)
