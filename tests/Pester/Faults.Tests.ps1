#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Faults and heartbeats, on both stores: what an agent run and an operator do, and the examples of
# Set-CimaaFault, Get-CimaaFault and Remove-CimaaFault.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Set-CimaaFault on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
    }
    BeforeEach {
        Clear-TestStore
    }

    It 'raises one fault by hand (Set-CimaaFault example 1)' {
        Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message 'disk /var is 97% full'

        $f = Get-CimaaFault -Agent web1
        $f.Agent | Should -Be 'web1'
        $f.Name | Should -Be 'disk'
        $f.Severity | Should -Be 40
        $f.Level | Should -Be 'Error'
        $f.Message | Should -Be 'disk /var is 97% full'
        $f.Squelch | Should -BeNullOrEmpty
    }

    It 'reports a round of checks from the pipeline and returns them with -PassThru (Set-CimaaFault example 2)' {
        $out = @(
            [pscustomobject]@{ Name = 'load'; Severity = 30; Message = 'load average 9.1' }
            [pscustomobject]@{ Name = 'http#api'; Severity = 'Critical'; Message = 'GET /health returned 503' }
        ) | Set-CimaaFault -Agent web2 -PassThru

        $out.Name | Should -Be @('load', 'http#api')
        $out.Level | Should -Be @('Warning', 'Critical')
        (Get-CimaaFault -Agent web2).Name | Should -Be @('http#api', 'load')
    }

    It 'replaces only the faults of one check (Set-CimaaFault example 3)' {
        @(
            [pscustomobject]@{ Name = 'load'; Severity = 30; Message = 'load average 9.1' }
            [pscustomobject]@{ Name = 'http#api'; Severity = 'Critical'; Message = 'GET /health returned 503' }
        ) | Set-CimaaFault -Agent web2
        Set-CimaaFault -Agent web2 -Check http -Name 'http#api' -Severity OK

        $f = Get-CimaaFault -Agent web2
        $f.Name | Should -Be 'load'
        $f.Message | Should -Be 'load average 9.1'
    }

    It 'names a nameless input after the check and prefixes other names with it' {
        @(
            [pscustomobject]@{ Severity = 40; Message = 'down' }
            [pscustomobject]@{ Name = 'api'; Severity = 30; Message = 'slow' }
        ) | Set-CimaaFault -Agent web1 -Check http

        (Get-CimaaFault -Agent web1).Name | Should -Be @('http', 'http#api')
    }

    It 'rejects a bad severity as a terminating InvalidFault and writes nothing (Set-CimaaFault example 4)' {
        $err = $null
        try { Set-CimaaFault -Agent web3 -Name disk -Severity 12x } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidFault*'
        $err.Exception.Message | Should -BeLike "*'12x'*"
        Get-CimaaAgent -Agent web3 | Should -BeNullOrEmpty
        Get-CimaaFault -Agent web3 | Should -BeNullOrEmpty
    }

    It 'writes nothing when one record of many is bad' {
        Set-CimaaFault -Agent web1 -Name old -Severity 30
        {
            @(
                [pscustomobject]@{ Name = 'a'; Severity = 30 }
                [pscustomobject]@{ Name = ''; Severity = 40 }
            ) | Set-CimaaFault -Agent web1 -ErrorAction Stop
        } | Should -Throw -ErrorId 'InvalidFault*'

        (Get-CimaaFault -Agent web1).Name | Should -Be 'old'
    }

    It 'rejects a name given twice for one agent' {
        { @(
                [pscustomobject]@{ Name = 'disk'; Severity = 30 }
                [pscustomobject]@{ Name = 'disk'; Severity = 40 }
            ) | Set-CimaaFault -Agent web1 } | Should -Throw -ErrorId 'InvalidFault*'
        Get-CimaaAgent -Agent web1 | Should -BeNullOrEmpty
    }

    It 'takes level names in any case and integers as severity' {
        @(
            [pscustomobject]@{ Name = 'a'; Severity = 'critical' }
            [pscustomobject]@{ Name = 'b'; Severity = 'WARNING' }
            [pscustomobject]@{ Name = 'c'; Severity = 45 }
            [pscustomobject]@{ Name = 'd'; Severity = '35' }
        ) | Set-CimaaFault -Agent web1

        $f = Get-CimaaFault -Agent web1
        $f.Severity | Should -Be @(50, 30, 45, 35)
        $f.Level | Should -Be @('Critical', 'Warning', 'Error', 'Warning')
    }

    It 'does not store an input with severity OK' {
        @(
            [pscustomobject]@{ Name = 'disk'; Severity = 0; Message = 'fine' }
            [pscustomobject]@{ Name = 'load'; Severity = 'OK' }
            [pscustomobject]@{ Name = 'mem'; Severity = 30 }
        ) | Set-CimaaFault -Agent web1

        (Get-CimaaFault -Agent web1).Name | Should -Be 'mem'
    }

    It 'keeps Since for a fault that stays and stamps a new fault with now' {
        Set-CimaaFault -Agent web1 -Name disk -Severity Error
        $since = (Get-CimaaFault -Agent web1 -Name disk).Since
        $before = [DateTimeOffset]::FromUnixTimeSeconds([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())

        @(
            [pscustomobject]@{ Name = 'disk'; Severity = 50; Message = 'disk full, really' }
            [pscustomobject]@{ Name = 'load'; Severity = 30 }
        ) | Set-CimaaFault -Agent web1
        $after = [DateTimeOffset]::UtcNow

        $f = Get-CimaaFault -Agent web1
        $f[0].Since | Should -Be $since
        $f[0].Level | Should -Be 'Critical'
        $f[1].Since | Should -BeGreaterOrEqual $before
        $f[1].Since | Should -BeLessOrEqual $after
        $f[1].Since.Offset | Should -Be ([timespan]::Zero)
    }

    It 'deletes stored faults that are absent from the input' {
        @(
            [pscustomobject]@{ Name = 'disk'; Severity = 40 }
            [pscustomobject]@{ Name = 'load'; Severity = 30 }
        ) | Set-CimaaFault -Agent web1
        [pscustomobject]@{ Name = 'load'; Severity = 30 } | Set-CimaaFault -Agent web1

        (Get-CimaaFault -Agent web1).Name | Should -Be 'load'
    }

    It 'clears an agent given no input at all and still writes its heartbeat' {
        Set-CimaaFault -Agent web1 -Name disk -Severity Error
        Set-TestHeartbeat web1 ([DateTimeOffset]::UtcNow.AddHours(-1))
        Set-CimaaFault -Agent web1

        Get-CimaaFault -Agent web1 | Should -BeNullOrEmpty
        (Get-CimaaAgent -Agent web1).Age | Should -BeLessThan ([timespan]::FromMinutes(30))
    }

    It 'clears an agent given an empty pipeline, and writes its heartbeat' {
        Set-CimaaFault -Agent web1 -Name disk -Severity Error
        Set-TestHeartbeat web1 ([DateTimeOffset]::UtcNow.AddHours(-1))

        @() | Set-CimaaFault -Agent web1

        Get-CimaaFault -Agent web1 | Should -BeNullOrEmpty
        (Get-CimaaAgent -Agent web1).Age | Should -BeLessThan ([timespan]::FromMinutes(30))
    }

    It 'clears an agent whose checks are all healthy, after Where-Object lets nothing through (Set-CimaaFault example 5)' {
        Set-CimaaFault -Agent web2 -Name disk -Severity Error
        Set-TestHeartbeat web2 ([DateTimeOffset]::UtcNow.AddHours(-1))
        $checks = @(
            [pscustomobject]@{ Name = 'load'; Severity = 0; Message = 'load average 0.4' }
            [pscustomobject]@{ Name = 'disk'; Severity = 0; Message = 'disk /var is 41% full' }
        )

        $checks | Where-Object Severity | Set-CimaaFault -Agent web2

        @(Get-CimaaFault -Agent web2).Count | Should -Be 0
        (Get-CimaaAgent -Agent web2).Age | Should -BeLessThan ([timespan]::FromMinutes(30))
    }

    It 'clears only the check''s faults given an empty pipeline with -Check' {
        Set-CimaaFault -Agent web1 -Name load -Severity Warning
        Set-CimaaFault -Agent web1 -Check http -Name 'http#api' -Severity Critical

        @() | Set-CimaaFault -Agent web1 -Check http

        (Get-CimaaFault -Agent web1).Name | Should -Be 'load'
    }

    It 'writes several agents from records that carry an Agent property' {
        @(
            [pscustomobject]@{ Agent = 'db1'; Name = 'disk'; Severity = 40 }
            [pscustomobject]@{ Agent = 'web1'; Name = 'load'; Severity = 30 }
            [pscustomobject]@{ Agent = 'web1'; Name = 'mem'; Severity = 30 }
        ) | Set-CimaaFault

        (Get-CimaaAgent).Agent | Should -Be @('db1', 'web1')
        (Get-CimaaFault -Agent web1).Name | Should -Be @('load', 'mem')
    }

    It 'stores an empty message as an empty string' {
        Set-CimaaFault -Agent web1 -Name disk -Severity 40

        (Get-CimaaFault -Agent web1).Message | Should -BeExactly ''
    }

    It 'keeps Triggered given on the command line or as a boolean property' {
        Set-CimaaFault -Agent web1 -Name disk -Severity 40 -Triggered:$true
        (Get-CimaaFault -Agent web1).Triggered | Should -BeTrue

        @(
            [pscustomobject]@{ Name = 'a'; Severity = 40; Triggered = $true }
            [pscustomobject]@{ Name = 'b'; Severity = 40; Triggered = $false }
        ) | Set-CimaaFault -Agent web2
        (Get-CimaaFault -Agent web2).Triggered | Should -Be @($true, $false)
    }

    It 'writes nothing with -WhatIf' {
        Set-CimaaFault -Agent web1 -Name disk -Severity 40 -WhatIf

        Get-CimaaAgent -Agent web1 | Should -BeNullOrEmpty
    }

    It 'keeps agents whose names differ only in case apart' {
        Set-CimaaFault -Agent web1 -Name disk -Severity 40
        Set-CimaaFault -Agent WEB1 -Name load -Severity 30

        (Get-CimaaAgent).Agent | Should -Be @('WEB1', 'web1')
        (Get-CimaaFault -Agent web1).Name | Should -Be 'disk'
        (Get-CimaaFault -Agent WEB1).Name | Should -Be 'load'
    }
}

Describe 'Get-CimaaFault on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
        Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message 'disk /var is 97% full'
        @(
            [pscustomobject]@{ Name = 'load'; Severity = 30; Message = 'load average 9.1' }
            [pscustomobject]@{ Name = 'http#api'; Severity = 'Critical'; Message = 'GET /health returned 503' }
        ) | Set-CimaaFault -Agent web2
        Set-CimaaFault -Agent db1
        Add-CimaaSquelch -Pattern disk -Reason 'new volume ordered, OPS-1234' -User alice -Permanent
    }

    It 'lists all faults sorted by agent then name, with the squelch that covers them (Get-CimaaFault example 1)' {
        $f = Get-CimaaFault

        $f | ForEach-Object { "$($_.Agent)/$($_.Name)" } | Should -Be @('web1/disk', 'web2/http#api', 'web2/load')
        $f[0].Squelch | Should -Be 'disk'
        $f[1].Squelch | Should -BeNullOrEmpty
    }

    It 'lists errors and worse of one agent (Get-CimaaFault example 2)' {
        $f = Get-CimaaFault -Agent web2 -MinimumSeverity Error

        $f.Name | Should -Be 'http#api'
        (Get-CimaaFault -Agent web2 -MinimumSeverity 30).Count | Should -Be 2
    }

    It 'lists the faults nobody silenced (Get-CimaaFault example 3)' {
        (Get-CimaaFault -Unsquelched).Name | Should -Be @('http#api', 'load')
    }

    It 'selects faults by name with wildcards (Get-CimaaFault example 4)' {
        $f = Get-CimaaFault -Name disk*, load

        $f | ForEach-Object { "$($_.Agent)/$($_.Name)" } | Should -Be @('web1/disk', 'web2/load')
    }

    It 'takes several agents and agent wildcards' {
        (Get-CimaaFault -Agent web1, web2).Count | Should -Be 3
        (Get-CimaaFault -Agent 'web?' -Name 'http*').Agent | Should -Be 'web2'
        Get-CimaaFault -Agent 'mail*' | Should -BeNullOrEmpty
    }

    It 'never lists heartbeat rows as faults' {
        (Get-CimaaFault).Agent | Should -Not -Contain '_'
        Get-CimaaFault -Agent db1 | Should -BeNullOrEmpty
    }

    It 'takes agents from the pipeline by property name' {
        $f = Get-CimaaAgent -Agent web* | Get-CimaaFault

        $f.Count | Should -Be 3
        ([pscustomobject]@{ Agent = 'web1' } | Get-CimaaFault).Name | Should -Be 'disk'
    }

    It 'matches agent and fault names case-sensitively, exact names and wildcards alike' {
        Get-CimaaFault -Agent WEB1 | Should -BeNullOrEmpty
        Get-CimaaFault -Agent 'WEB*' | Should -BeNullOrEmpty
        Get-CimaaFault -Name DISK | Should -BeNullOrEmpty
        Get-CimaaFault -Name 'D*' | Should -BeNullOrEmpty
        (Get-CimaaFault -Agent 'w*' -Name 'd*').Name | Should -Be 'disk'
    }

    It 'writes what it reads to the verbose stream' {
        $verbose = Get-CimaaFault -Agent web1 -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        $verbose | Should -Not -BeNullOrEmpty
    }

    It 'carries the Cimaa.Fault type and the documented properties' {
        $f = Get-CimaaFault -Agent web1

        $f.PSObject.TypeNames[0] | Should -Be 'Cimaa.Fault'
        $f.PSObject.Properties.Name | Should -Be @('Agent', 'Name', 'Severity', 'Level', 'Message', 'Since', 'Updated', 'Triggered', 'Squelch')
        $f.Since | Should -BeOfType [DateTimeOffset]
        $f.Severity | Should -BeOfType [int]
    }
}

Describe 'Remove-CimaaFault on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
    }
    BeforeEach {
        Clear-TestStore
        Set-CimaaFault -Agent web1 -Name load -Severity 30
        @(
            [pscustomobject]@{ Name = 'load'; Severity = 30 }
            [pscustomobject]@{ Name = 'disk'; Severity = 40 }
        ) | Set-CimaaFault -Agent web2
    }

    It 'removes one fault (Remove-CimaaFault example 1)' {
        Remove-CimaaFault -Agent web2 -Name load -Confirm:$false

        (Get-CimaaFault -Agent web2).Name | Should -Be 'disk'
        (Get-CimaaFault -Agent web1).Name | Should -Be 'load'
    }

    It 'previews removing every fault named load and removes nothing (Remove-CimaaFault example 2)' {
        Get-CimaaFault -Name load | Remove-CimaaFault -WhatIf

        (Get-CimaaFault -Name load).Count | Should -Be 2
    }

    It 'removes every fault piped from Get-CimaaFault' {
        Get-CimaaFault -Name load | Remove-CimaaFault -Confirm:$false

        Get-CimaaFault -Name load | Should -BeNullOrEmpty
        (Get-CimaaFault).Name | Should -Be 'disk'
        (Get-CimaaAgent).Agent | Should -Be @('web1', 'web2')
    }

    It 'reports a missing fault as a non-terminating FaultNotFound and goes on (Remove-CimaaFault example 3)' {
        Remove-CimaaFault -Agent web2 -Name nosuch, load -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FaultNotFound*'
        $err[0].Exception.Message | Should -Be "Agent 'web2' has no fault named 'nosuch'."
        (Get-CimaaFault -Agent web2).Name | Should -Be 'disk'
    }

    It 'matches the fault name case-sensitively' {
        Remove-CimaaFault -Agent web2 -Name DISK -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err[0].FullyQualifiedErrorId | Should -BeLike 'FaultNotFound*'
        (Get-CimaaFault -Agent web2).Name | Should -Contain 'disk'
    }
}
