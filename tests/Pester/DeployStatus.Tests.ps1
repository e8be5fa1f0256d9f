#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Test-CimaaDeployStatus on status files written as zkdeployment writes them, its examples, and the check recorded
# as a fault on both stores.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function New-StatusFile {
        # Writes '<epoch> <pid> <version> <status>' with the time $AgeSeconds ago, and returns the path.
        param([string]$Path, [double]$AgeSeconds, [string]$Version, [string]$Status, [int]$ProcessId = 4242)
        $epoch = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() / 1000 - $AgeSeconds
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $Path)
        Set-Content -Path $Path -Value ('{0} {1} {2} {3}' -f $epoch.ToString('0.000', [cultureinfo]::InvariantCulture), $ProcessId, $Version, $Status)
        $Path
    }

    $script:Run = New-TestPath 'run'
    New-StatusFile "$script:Run/web1/status" 51 1.2.3 'installing foo' | Out-Null
    New-StatusFile "$script:Run/web2/status" 315 1.2.3 'running deploy script' | Out-Null
    New-StatusFile "$script:Run/web3/status" 90010 1.2.2 'done' | Out-Null
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Test-CimaaDeployStatus' {
    It 'checks an agent that is still installing (Test-CimaaDeployStatus example 1)' {
        $path = New-StatusFile (Join-Path (New-TestPath 'one') 'status') 45 1.2.3 'installing foo'
        $s = Test-CimaaDeployStatus $path

        $s.PSObject.TypeNames[0] | Should -Be 'Cimaa.DeployStatus'
        $s.State | Should -Be 'OK'
        $s.Version | Should -Be '1.2.3'
        $s.Message | Should -Be 'installing foo'
        $s.Age | Should -BeGreaterThan ([timespan]::FromSeconds(44))
        $s.Age | Should -BeLessThan ([timespan]::FromSeconds(200))
        ($s | ConvertTo-TestTable)[2] | Should -Match "^OK\s+1\.2\.3\s+4\d\s+installing foo\s+$([regex]::Escape($path))$"
    }

    It 'checks several agents against the cluster version, in input order (Test-CimaaDeployStatus example 2)' {
        Push-Location $script:Run
        try {
            $s = './web1/status', './web2/status', './web3/status', './web4/status' | Test-CimaaDeployStatus -ClusterVersion 1.2.3
        }
        finally { Pop-Location }

        $s.State | Should -Be @('OK', 'WARNING', 'CRITICAL', 'CRITICAL')
        $s.ExitCode | Should -Be @(0, 1, 2, 2)
        $s.Severity | Should -Be @(0, 30, 40, 40)
        $s[0].Message | Should -Be 'installing foo'
        $s[1].Message | Should -Match '^Too long deploying 1\.2\.3 \(running deploy script\) 31\d > 200$'
        $s[2].Message | Should -Be 'Version mismatch (status: 1.2.2, cluster: 1.2.3)'
        $s[3].Message | Should -Be "Cannot read status file $(Join-Path $script:Run 'web4/status'): No such file or directory"
        $s[3].Path | Should -Be (Join-Path $script:Run 'web4/status')
    }

    It 'shows all the documented properties (Test-CimaaDeployStatus example 3)' {
        $s = Test-CimaaDeployStatus (Join-Path $script:Run 'web1/status')

        $s.PSObject.Properties.Name | Should -Be @('Path', 'State', 'ExitCode', 'Severity', 'Level', 'Message', 'Version', 'AgentStatus', 'Pid', 'Time', 'Age', 'ClusterVersion')
        $s.Pid | Should -Be 4242
        $s.AgentStatus | Should -Be 'installing foo'
        $s.Level | Should -Be 'OK'
        $s.Time | Should -BeOfType [DateTimeOffset]
        $s.ClusterVersion | Should -BeNullOrEmpty
    }

    It 'gives the exit code a scheduled check returns, with ages in seconds (Test-CimaaDeployStatus example 4)' {
        (Test-CimaaDeployStatus (Join-Path $script:Run 'web2/status') -WarningAge 300 -ErrorAge 900).ExitCode | Should -Be 1
        (Test-CimaaDeployStatus (Join-Path $script:Run 'web2/status') -WarningAge 100 -ErrorAge 300).ExitCode | Should -Be 2
        (Test-CimaaDeployStatus (Join-Path $script:Run 'web2/status') -WarningAge '00:10:00' -ErrorAge '00:20:00').ExitCode | Should -Be 0
    }

    It 'takes files from Get-ChildItem through the pipeline' {
        $s = Get-ChildItem -Path $script:Run -Recurse -Filter status | Sort-Object FullName | Test-CimaaDeployStatus

        $s.Path | Should -Be @('web1', 'web2', 'web3' | ForEach-Object { Join-Path $script:Run "$_/status" })
    }

    It 'reports an agent that failed as CRITICAL' {
        $path = New-StatusFile (Join-Path (New-TestPath 'err') 'status') 10 1.2.4 'error'

        $s = Test-CimaaDeployStatus $path
        $s.State | Should -Be 'CRITICAL'
        $s.Message | Should -Be 'Error deploying 1.2.4'
    }

    It 'reports a malformed file as UNKNOWN with exit code 3' {
        $path = Join-Path (New-TestPath 'bad') 'status'
        $null = New-Item -ItemType File -Force -Path $path -Value "not a status`n"

        $s = Test-CimaaDeployStatus $path
        $s.State | Should -Be 'UNKNOWN'
        $s.ExitCode | Should -Be 3
        $s.Message | Should -BeLike "Malformed status file $path*"
    }

    It 'says OK for done with the matching cluster version' {
        $path = New-StatusFile (Join-Path (New-TestPath 'done') 'status') 90010 1.2.3 'done'

        (Test-CimaaDeployStatus $path -ClusterVersion 1.2.3).State | Should -Be 'OK'
        (Test-CimaaDeployStatus $path -ClusterVersion '').Message | Should -Be 'Cluster version is None'
    }

    It 'rejects a malformed -ClusterVersionFrom' {
        { Test-CimaaDeployStatus (Join-Path $script:Run 'web1/status') -ClusterVersionFrom 'deploy/cluster' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidClusterVersionSource*'
    }
}

Describe 'Deploy status recorded as a fault on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
    }
    BeforeEach {
        Clear-TestStore
        Set-CimaaFault -Agent web1 -Name load -Severity Warning
    }

    It 'records an unhealthy check as the deploy fault (Test-CimaaDeployStatus example 5)' {
        Test-CimaaDeployStatus (Join-Path $script:Run 'web2/status') | Set-CimaaFault -Agent web1 -Check deploy

        $f = Get-CimaaFault -Agent web1 -Name deploy
        $f.Severity | Should -Be 30
        $f.Message | Should -Match '^Too long deploying 1\.2\.3'
        (Get-CimaaFault -Agent web1).Name | Should -Be @('deploy', 'load')
    }

    It 'clears the deploy fault when the check is healthy (Test-CimaaDeployStatus example 5)' {
        Test-CimaaDeployStatus (Join-Path $script:Run 'web2/status') | Set-CimaaFault -Agent web1 -Check deploy
        Test-CimaaDeployStatus (Join-Path $script:Run 'web1/status') | Set-CimaaFault -Agent web1 -Check deploy

        (Get-CimaaFault -Agent web1).Name | Should -Be 'load'
    }

    It 'reads the cluster version from the configuration store' {
        Set-CimaaConfig deploy cluster -Value @{ version = '1.2.3' }
        $ok = New-StatusFile (Join-Path (New-TestPath 'cv') 'status') 5 1.2.3 'done'

        (Test-CimaaDeployStatus $ok -ClusterVersionFrom 'deploy/cluster/version').State | Should -Be 'OK'
        $s = Test-CimaaDeployStatus (Join-Path $script:Run 'web3/status') -ClusterVersionFrom 'deploy/cluster/version'
        $s.State | Should -Be 'CRITICAL'
        $s.ClusterVersion | Should -Be '1.2.3'
        (Test-CimaaDeployStatus $ok -ClusterVersionFrom 'deploy/cluster/missing').Message | Should -Be 'Cluster version is None'
    }
}
