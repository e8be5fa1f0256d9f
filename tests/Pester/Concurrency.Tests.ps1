#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Background and parallel work: Start-Job (a separate pwsh process that imports the module by path) on both
# stores, and ForEach-Object -Parallel with four writers on one SQLite file.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Start-Job' {
    BeforeAll {
        # Both jobs run at once: each is a pwsh process of its own.
        $script:JobDb = New-TestPath 'job.db'
        $c = Connect-Cimaa -Path $script:JobDb -PassThru
        Set-CimaaFault -Connection $c -Agent web1 -Name disk -Severity Error -Message 'disk full'
        $script:Prefix = New-TestPrefix
        $local = Start-Job -ScriptBlock {
            Import-Module $using:ModulePath
            Connect-Cimaa -Path $using:JobDb
            Set-CimaaFault -Agent jobagent -Name disk -Severity Error -Message 'from a job'
            Get-CimaaFault
        }
        $dynamo = Start-Job -ScriptBlock {
            Import-Module $using:ModulePath
            Connect-Cimaa -EndpointUrl $using:Dynalite.Endpoint -TablePrefix $using:Prefix
            Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null
            Set-CimaaFault -Agent jobagent -Name load -Severity Warning
            Get-CimaaAgent
        }
        $script:LocalOut = Wait-TestJob $local
        $script:DynamoOut = Wait-TestJob $dynamo
    }

    It 'writes and reads a SQLite file in a job, and the session sees the result' {
        $script:LocalOut[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.Cimaa.Fault'
        $script:LocalOut.Agent | Should -Be @('jobagent', 'web1')
        $script:LocalOut.Severity | Should -Be @(40, 40)
        (Get-CimaaFault -Connection (Connect-Cimaa -Path $script:JobDb -PassThru) -Agent jobagent).Message | Should -Be 'from a job'
    }

    It 'uses DynamoDB in a job given the endpoint and prefix' {
        $script:DynamoOut.PSObject.TypeNames[0] | Should -Be 'Deserialized.Cimaa.Agent'
        $script:DynamoOut.Agent | Should -Be 'jobagent'
        $script:DynamoOut.Age | Should -BeOfType [timespan]
        $c = Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix $script:Prefix -PassThru
        (Get-CimaaFault -Connection $c).Name | Should -Be 'load'
    }

    It 'shows objects received from a job in the same table as live ones, by default' {
        $c = Connect-Cimaa -Path $script:JobDb -PassThru
        $rendering = $PSStyle.OutputRendering
        $PSStyle.OutputRendering = 'PlainText'
        try {
            $received = $script:LocalOut | Where-Object Agent -EQ web1 | Out-String -Width 200
            $live = Get-CimaaFault -Connection $c -Agent web1 | Out-String -Width 200
        }
        finally { $PSStyle.OutputRendering = $rendering }

        $received | Should -Be $live
        $received | Should -Match 'Agent\s+Name\s+Level\s+Since'
    }
}

Describe 'ForEach-Object -Parallel with four writers on one SQLite file' {
    BeforeAll {
        $script:Db = New-TestPath 'parallel.db'
        Connect-Cimaa -Path $script:Db
        Initialize-CimaaTable | Out-Null
        # Each writer reports its errors as text, so that one failure does not hide the others.
        $script:Errors = @(1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                $ErrorActionPreference = 'Stop'
                try {
                    Import-Module $using:ModulePath
                    Connect-Cimaa -Path $using:Db
                    $writer = $_
                    foreach ($i in 1..20) {
                        Set-CimaaFault -Agent ('w{0}-{1:d2}' -f $writer, $i) -Name disk -Severity 40 -Message "writer $writer"
                        Set-CimaaFault -Agent shared -Check "c$writer" -Name "c$writer#run" -Severity 30 -Message "run $i"
                    }
                }
                catch { "writer ${writer}: $_" }
            })
    }

    It 'reports no error, and no "database is locked"' {
        $script:Errors | Should -BeNullOrEmpty
        ($script:Errors | Out-String) | Should -Not -Match 'locked'
    }

    It 'loses no agent and no fault' {
        $agents = (Get-CimaaAgent).Agent
        $agents.Count | Should -Be 81
        foreach ($w in 1..4) {
            ($agents -like "w$w-*").Count | Should -Be 20
        }
        (Get-CimaaFault -Name disk).Count | Should -Be 80
    }

    It 'keeps the last fault of each check that four writers replaced on one agent' {
        $f = Get-CimaaFault -Agent shared

        $f.Name | Should -Be @('c1#run', 'c2#run', 'c3#run', 'c4#run')
        $f.Message | Select-Object -Unique | Should -Be 'run 20'
    }
}

Describe 'A test run that is killed' {
    It 'leaves no dynalite behind' {
        # A child pwsh starts dynalite as the suite does, writes its PID, and is then killed (SIGKILL, no tree).
        $pidFile = New-TestPath 'dynalite.pid'
        $child = Start-TestPwsh -Environment @{ TMPDIR = $script:TestRoot } -Command (
            ". '$(Join-Path $PSScriptRoot 'TestSetup.ps1')'; Set-Content '$pidFile' (Start-TestDynalite).Id; Start-Sleep 120")
        $nodePid = $null
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path $pidFile) -and -not $child.Process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $nodePid = [int](Get-Content $pidFile)
            $child.Process.Kill($false)

            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            while ((Get-Process -Id $nodePid -ErrorAction Ignore) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-Process -Id $nodePid -ErrorAction Ignore | Should -BeNullOrEmpty
        }
        finally {
            if ($nodePid) { Stop-Process -Id $nodePid -Force -ErrorAction Ignore }
            Stop-TestProcess $child.Process
        }
    }
}
