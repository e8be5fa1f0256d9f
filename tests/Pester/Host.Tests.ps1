#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# pwsh as the host: scripts run with `pwsh -File` or `pwsh -Command` in a fresh process, as a scheduled task runs them,
# with Cimaa found by name on PSModulePath. Their exit codes, and the module's views in redirected output.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PwshProcess.ps1')
    $script:root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ('cimaa-host-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null

    function New-Script([string] $Name, [string] $Text) {
        $path = Join-Path $script:work $Name
        Set-Content -LiteralPath $path -Value $Text
        $path
    }
}

AfterAll {
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction Ignore
}

Describe 'A script run with pwsh -File, as a scheduled task runs it' {
    It 'gets its arguments and exits with the code given to exit' {
        $file = New-Script 'sum.ps1' "param([int] `$a, [int] `$b)`n`"sum=`$(`$a + `$b)`"`nexit (`$a + `$b)"

        $r = Invoke-PwshProcess -ArgumentList '-File', $file, '2', '5'

        $r.ExitCode | Should -Be 7
        $r.Lines | Should -Contain 'sum=7'
    }

    It 'exits with 1 after a terminating error' {
        $file = New-Script 'throw.ps1' "throw 'boom'"

        $r = Invoke-PwshProcess -ArgumentList '-File', $file

        $r.ExitCode | Should -Be 1
        $r.Error | Should -Match 'boom'
    }

    It 'exits with the deploy check code <Code> for a <State> status file, and opens no store' -TestCases @(
        @{ State = 'OK'; Code = 0; Age = 0; Message = 'done' }
        @{ State = 'WARNING'; Code = 1; Age = 400; Message = 'installing foo' }
        @{ State = 'CRITICAL'; Code = 2; Age = 0; Message = 'error' }
        @{ State = 'UNKNOWN'; Code = 3; Age = $null; Message = $null }
    ) {
        # A zc.zkdeployment status file: "<time> <pid> <version> <message>".
        $status = if ($null -eq $Age) { New-Script "$State.status" 'not a status file' }
        else { New-Script "$State.status" "$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - $Age) 42 1.2.3 $Message" }
        $file = New-Script 'deploy-check.ps1' "param(`$Path)`nexit (Test-CimaaDeployStatus `$Path -WarningAge 300 -ErrorAge 900).ExitCode"
        $db = Join-Path $script:work "implicit-$State.db"

        $r = Invoke-PwshProcess -ArgumentList '-File', $file, $status -Environment @{ CIMAA_DB = $db; CIMAA_CONFIG = $null }

        $r.ExitCode | Should -Be $Code -Because $r.Error
        Test-Path -LiteralPath $db | Should -BeFalse -Because 'reading a status file opens no store'
    }

    It 'exits with 1, not 0, when the deploy check fails and the script sets $ErrorActionPreference Stop' {
        $file = New-Script 'deploy-bad.ps1' @'
$ErrorActionPreference = 'Stop'
exit (Test-CimaaDeployStatus -Path ./status -ClusterVersionFrom bad).ExitCode
'@

        $r = Invoke-PwshProcess -ArgumentList '-File', $file

        $r.ExitCode | Should -Be 1
        $r.Error | Should -Match 'ClusterVersionFrom'
    }

    It 'stops at the first Cimaa error with $ErrorActionPreference Stop and exits with 1' {
        $file = New-Script 'agent-run.ps1' @'
$ErrorActionPreference = 'Stop'
Connect-Cimaa -Path $env:CIMAA_TEST_DB
Set-CimaaFault -Agent web1 -Name disk -Severity Banana
'reached the end'
'@
        $db = Join-Path $script:work 'stop.db'

        $r = Invoke-PwshProcess -ArgumentList '-File', $file -Environment @{ CIMAA_TEST_DB = $db }

        $r.ExitCode | Should -Be 1
        $r.Lines | Should -Not -Contain 'reached the end'
        $r.Error | Should -Match 'Banana'
    }
}

Describe 'A command run with pwsh -Command' {
    It 'exits with 1 when the deploy check in exit (...).ExitCode fails' {
        $r = Invoke-PwshProcess -ArgumentList '-Command', 'exit (Test-CimaaDeployStatus -Path ./status -ClusterVersionFrom bad).ExitCode'

        $r.ExitCode | Should -Be 1
    }

    It 'exits with 1 when its last command fails on bad input' {
        $r = Invoke-PwshProcess -ArgumentList '-Command', 'Get-CimaaFault -MinimumSeverity banana'

        $r.ExitCode | Should -Be 1
        $r.Error | Should -Match 'MinimumSeverity'
    }
}

Describe 'Output redirected to a file or a pipe' {
    BeforeAll {
        $db = Join-Path $script:work 'views.db'
        $script:views = Invoke-PwshProcess -ArgumentList '-Command', @'
Connect-Cimaa -Path $env:CIMAA_TEST_DB
Initialize-CimaaTable | Out-Default
'--' | Out-Default
Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message 'disk full'
Get-CimaaFault | Out-Default
'--' | Out-Default
Get-CimaaAgent | Out-Default
'@ -Environment @{ CIMAA_TEST_DB = $db }
        $script:sections = ($script:views.Output -split '(?m)^--\r?$') | ForEach-Object {
            , @($_ -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        }
    }

    It 'succeeds' {
        $script:views.ExitCode | Should -Be 0 -Because $script:views.Error
        $script:sections.Count | Should -Be 3
    }

    It 'renders Initialize-CimaaTable through its table view' {
        $lines = $script:sections[0]
        $lines[0] | Should -Match '^Table\s+Status\s+KeySchema$'
        $lines | Where-Object { $_ -match '^faults\s+Created\s+agent, name$' } | Should -Not -BeNullOrEmpty
    }

    It 'renders faults with their level and a short Since, and agents with a short age' {
        $faults = $script:sections[1]
        $faults[0] | Should -Match '^Agent\s+Name\s+Level\s+Since\s+Squelch\s+Message$'
        $faults[2] | Should -Match '^web1\s+disk\s+Error\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+disk full$'
        $agents = $script:sections[2]
        $agents[0] | Should -Match '^Agent\s+LastSeen\s+Age$'
        $agents[2] | Should -Match '^web1\s+\S+ \S+Z\s+\d+s$'
    }

    It 'writes no escape sequences when NO_COLOR is set' {
        $script:views.Output | Should -Not -Match "`e"
    }
}

Describe 'The quick start' {
    It 'runs examples/quickstart.ps1 in pwsh from the built module and removes its database' {
        $tmp = Join-Path $script:work 'quickstart-tmp'
        New-Item -ItemType Directory -Path $tmp | Out-Null

        # As `./build.sh demo` runs it: PSModulePath as it is, so the script imports out/Cimaa itself.
        $r = Invoke-PwshProcess -ArgumentList '-File', (Join-Path $script:root 'examples/quickstart.ps1') -ModulePath '' `
            -Environment @{ TMPDIR = $tmp; CIMAA_DB = $null; CIMAA_CONFIG = $null }

        $r.ExitCode | Should -Be 0 -Because $r.Error
        $r.Error | Should -BeNullOrEmpty
        $r.Lines | Where-Object { $_ -match '^db1\s+replication\s+Critical\s' } | Should -Not -BeNullOrEmpty
        $r.Lines | Where-Object { $_ -match '^web1\s+load\s+Warning\s.*\^load\s+load average 12$' } | Should -Not -BeNullOrEmpty
        $r.Lines | Where-Object { $_ -match '^prod\s+db\s+host=db1\.example\.com; port=5432$' } | Should -Not -BeNullOrEmpty
        $r.Lines[-1] | Should -Be '{"faults":[]}'
        Get-ChildItem -LiteralPath $tmp -Filter 'cimaa-quickstart-*' -Force | Should -BeNullOrEmpty
    }
}
