#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The test infrastructure itself: the Pester runner counts a broken file or block as failed, and the closing line of
# ./build.sh test (build/Write-TestSummary.ps1) totals xunit and Pester and fails on any failure or a missing result file.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PwshProcess.ps1')
    $root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $script:runner = Join-Path $PSScriptRoot 'Invoke-CimaaPester.ps1'
    $script:summary = Join-Path $root 'build/Write-TestSummary.ps1'
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ('cimaa-build-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null

    function New-Trx([string] $Directory, [int] $Passed, [int] $Failed, [int] $NotExecuted) {
        New-Item -ItemType Directory -Force -Path $Directory | Out-Null
        Set-Content -LiteralPath (Join-Path $Directory "$([guid]::NewGuid().ToString('N')).trx") -Value @"
<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><ResultSummary outcome="Completed">
<Counters total="$($Passed + $Failed + $NotExecuted)" executed="$($Passed + $Failed)" passed="$Passed" failed="$Failed" error="0" timeout="0" aborted="0" inconclusive="0" notExecuted="$NotExecuted" />
</ResultSummary></TestRun>
"@
    }
    function New-NUnit([string] $Path, [string[]] $Results, [int] $Errors) {
        $cases = ($Results | ForEach-Object { "<test-case name=`"t$([guid]::NewGuid().ToString('N'))`" result=`"$_`" />" }) -join "`n"
        Set-Content -LiteralPath $Path -Value @"
<?xml version="1.0" encoding="utf-8"?>
<test-results name="Cimaa.Pester" errors="$Errors"><test-suite type="TestFixture" name="f"><results>
$cases
</results></test-suite></test-results>
"@
    }
    function Invoke-Summary([string[]] $Arguments) {
        Invoke-PwshProcess -ArgumentList (@('-File', $script:summary) + $Arguments)
    }
}

AfterAll {
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction Ignore
}

Describe 'The closing line of ./build.sh test' {
    It 'totals the trx counters and the Pester test cases, and fails on a Pester failure or error' {
        $dir = Join-Path $script:work 'mixed'
        New-Trx $dir -Passed 5 -Failed 0 -NotExecuted 0
        New-Trx $dir -Passed 2 -Failed 0 -NotExecuted 0
        New-NUnit (Join-Path $dir 'pester.xml') -Results 'Success', 'Success', 'Failure', 'Ignored' -Errors 2

        $r = Invoke-Summary '-ResultsDirectory', $dir, '-PesterResult', (Join-Path $dir 'pester.xml')

        $r.Lines[-1] | Should -Be '9 passed, 3 failed, 1 skipped'
        $r.ExitCode | Should -Be 1
    }

    It 'passes when both suites passed' {
        $dir = Join-Path $script:work 'green'
        New-Trx $dir -Passed 4 -Failed 0 -NotExecuted 0
        New-NUnit (Join-Path $dir 'pester.xml') -Results 'Success', 'Success' -Errors 0

        $r = Invoke-Summary '-ResultsDirectory', $dir, '-PesterResult', (Join-Path $dir 'pester.xml')

        $r.Lines[-1] | Should -Be '6 passed, 0 failed'
        $r.ExitCode | Should -Be 0
    }

    It 'fails when the Pester run wrote no result file' {
        $dir = Join-Path $script:work 'nofile'
        New-Trx $dir -Passed 4 -Failed 0 -NotExecuted 0

        $r = Invoke-Summary '-ResultsDirectory', $dir, '-PesterResult', (Join-Path $dir 'pester.xml')

        $r.Lines[-1] | Should -Be '4 passed, 1 failed'
        $r.ExitCode | Should -Be 1
        $r.Error | Should -Match 'no result file'
    }

    It 'fails when a step exited non-zero without recording a failure' {
        $dir = Join-Path $script:work 'crashed'
        New-Trx $dir -Passed 4 -Failed 0 -NotExecuted 0
        New-NUnit (Join-Path $dir 'pester.xml') -Results 'Success' -Errors 0

        $r = Invoke-Summary '-ResultsDirectory', $dir, '-XunitExitCode', '1', '-PesterResult', (Join-Path $dir 'pester.xml'), '-PesterExitCode', '3'

        $r.Lines[-1] | Should -Be '5 passed, 2 failed'
        $r.ExitCode | Should -Be 1
    }
}

Describe 'The Pester runner' {
    BeforeAll {
        $suite = Join-Path $script:work 'suite'
        New-Item -ItemType Directory -Path $suite | Out-Null
        Set-Content (Join-Path $suite 'Good.Tests.ps1') "Describe 'good' { It 'passes' { 1 | Should -Be 1 } }"
        Set-Content (Join-Path $suite 'Syntax.Tests.ps1') "Describe 'broken' { It 'never runs' { 1 | Should -Be 1 }"
        Set-Content (Join-Path $suite 'Setup.Tests.ps1') "Describe 'setup' { BeforeAll { throw 'no dynalite' }; It 'needs it' { 1 | Should -Be 1 } }"
        Set-Content (Join-Path $suite 'Teardown.Tests.ps1') "Describe 'teardown' { AfterAll { throw 'cannot stop' }; It 'ran' { 1 | Should -Be 1 } }"
        $script:xml = Join-Path $script:work 'runner.xml'
        $script:run = Invoke-PwshProcess -ArgumentList '-File', $script:runner, '-Path', $suite, '-OutputPath', $script:xml, '-Output', 'None'
    }

    It 'exits non-zero' {
        $script:run.ExitCode | Should -Be 1
    }

    It 'writes NUnit XML in which the broken file and the failed AfterAll count as errors, and the failed BeforeAll fails its test' {
        $results = ([xml](Get-Content -LiteralPath $script:xml -Raw)).DocumentElement
        $results.GetAttribute('errors') | Should -Be '2'
        $results.GetAttribute('failures') | Should -Be '1'
    }

    It 'is totalled as 2 passed, 3 failed' {
        $dir = Join-Path $script:work 'runner-results'
        New-Item -ItemType Directory -Path $dir | Out-Null

        $r = Invoke-Summary '-ResultsDirectory', $dir, '-PesterResult', $script:xml, '-PesterExitCode', $script:run.ExitCode

        $r.Lines[-1] | Should -Be '2 passed, 3 failed'
    }
}
