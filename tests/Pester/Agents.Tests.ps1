#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Agents, stale agents and the meta check, on both stores. Old heartbeats and squelches are seeded into the store
# as an agent would have left them: batch3 reported 2h 14m ago, mail1 21m ago, the others just now.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function Initialize-Fleet {
        Clear-TestStore
        Set-CimaaFault -Agent batch3 -Name cron -Severity Error -Message 'job failed'
        Set-TestHeartbeat batch3 ([DateTimeOffset]::UtcNow.AddMinutes(-134))
        Set-TestHeartbeat mail1 ([DateTimeOffset]::UtcNow.AddMinutes(-21))
        Set-CimaaFault -Agent db1
        Set-CimaaFault -Agent web1 -Name disk -Severity Error
        Set-CimaaFault -Agent web2
    }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Agents on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
    }
    BeforeEach {
        Initialize-Fleet
    }

    It 'lists every agent sorted by name with its last heartbeat and age (Get-CimaaAgent example 1)' {
        $a = Get-CimaaAgent

        $a.Agent | Should -Be @('batch3', 'db1', 'mail1', 'web1', 'web2')
        $a[0].Age | Should -BeOfType [timespan]
        $a[0].Age | Should -BeGreaterThan ([timespan]'02:13:00')
        $a[0].LastSeen | Should -BeOfType [DateTimeOffset]
        $a[0].LastSeen.Offset | Should -Be ([timespan]::Zero)
        $a[3].Age | Should -BeLessThan ([timespan]::FromMinutes(5))
    }

    It 'lists agents by wildcard (Get-CimaaAgent example 2)' {
        (Get-CimaaAgent -Agent web*).Agent | Should -Be @('web1', 'web2')
        (Get-CimaaAgent -Agent web1, 'db?').Agent | Should -Be @('db1', 'web1')
    }

    It 'matches agent names case-sensitively' {
        Get-CimaaAgent -Agent WEB1 | Should -BeNullOrEmpty
        Get-CimaaAgent -Agent 'WEB*' | Should -BeNullOrEmpty
    }

    It 'lists agents silent for 15 minutes, oldest first (Get-CimaaStaleAgent example 1)' {
        $stale = Get-CimaaStaleAgent

        $stale.Agent | Should -Be @('batch3', 'mail1')
        $stale[0].PSObject.TypeNames[0] | Should -Be 'Cimaa.Agent'
    }

    It 'takes -OlderThan as seconds or as a time span (Get-CimaaStaleAgent example 2)' {
        (Get-CimaaStaleAgent -OlderThan 3600).Agent | Should -Be 'batch3'
        (Get-CimaaStaleAgent -OlderThan '01:00:00').Agent | Should -Be 'batch3'
        (Get-CimaaStaleAgent -OlderThan ([timespan]::FromMinutes(10))).Agent | Should -Be @('batch3', 'mail1')
    }

    It 'compares the cut-off exactly, not in whole seconds' {
        # An agent whose heartbeat is U (whole seconds) is stale when U < now - OlderThan. Choosing OlderThan so that
        # now - OlderThan falls half a second after U, inside the same second, shows whether the cut-off was truncated.
        $now = [DateTimeOffset]::UtcNow
        $u = $now.ToUnixTimeSeconds() - 2
        Set-TestHeartbeat edge ([DateTimeOffset]::FromUnixTimeSeconds($u))
        $olderThan = [timespan]::FromMilliseconds($now.ToUnixTimeMilliseconds() - $u * 1000 - 500)

        (Get-CimaaStaleAgent -OlderThan $olderThan).Agent | Should -Contain 'edge'
    }

    It 'forgets agents that are gone, with their faults (Get-CimaaStaleAgent example 3)' {
        Get-CimaaStaleAgent -OlderThan 3600 | Remove-CimaaAgent -Confirm:$false

        (Get-CimaaAgent).Agent | Should -Be @('db1', 'mail1', 'web1', 'web2')
        Get-CimaaFault -Agent batch3 | Should -BeNullOrEmpty
        (Get-CimaaFault -Agent web1).Name | Should -Be 'disk'
    }

    It 'previews a removal with -WhatIf and removes nothing (Remove-CimaaAgent example 1)' {
        Remove-CimaaAgent mail1 -WhatIf

        (Get-CimaaAgent).Agent | Should -Contain 'mail1'
    }

    It 'removes agents silent for a while through the pipeline (Remove-CimaaAgent example 2)' {
        Get-CimaaStaleAgent | Remove-CimaaAgent -Confirm:$false

        (Get-CimaaAgent).Agent | Should -Be @('db1', 'web1', 'web2')
    }

    It 'removes several agents by name and touches no other' {
        Remove-CimaaAgent -Agent web1, web2 -Confirm:$false

        (Get-CimaaAgent).Agent | Should -Be @('batch3', 'db1', 'mail1')
        (Get-CimaaFault).Agent | Should -Be 'batch3'
    }

    It 'reports an unknown agent as a non-terminating AgentNotFound' {
        Remove-CimaaAgent -Agent nosuch, db1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AgentNotFound*'
        (Get-CimaaAgent).Agent | Should -Not -Contain 'db1'
    }

    It 'removes nothing for a name that differs only in case' {
        Remove-CimaaAgent -Agent WEB1 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable err

        $err[0].FullyQualifiedErrorId | Should -BeLike 'AgentNotFound*'
        (Get-CimaaAgent).Agent | Should -Contain 'web1'
        (Get-CimaaFault -Agent web1).Name | Should -Be 'disk'
    }

    It 'sorts agents by age with Sort-Object' {
        (Get-CimaaAgent | Sort-Object Age -Descending | Select-Object -First 2).Agent | Should -Be @('batch3', 'mail1')
        (Get-CimaaAgent | Sort-Object LastSeen | Select-Object -First 1).Agent | Should -Be 'batch3'
    }

    It 'filters agents on their age with Where-Object' {
        (Get-CimaaAgent | Where-Object Age -GT ([timespan]::FromMinutes(10))).Agent | Should -Be @('batch3', 'mail1')
        (Get-CimaaAgent | Where-Object { $_.Age -gt '00:30:00' }).Agent | Should -Be 'batch3'
        (Get-CimaaAgent | Where-Object { $_.Age.TotalSeconds -lt 300 }).Count | Should -Be 3
        (Get-CimaaAgent | Where-Object LastSeen -LT ([DateTimeOffset]::UtcNow.AddHours(-1))).Agent | Should -Be 'batch3'
    }

    It 'groups agents by age with Group-Object' {
        $groups = Get-CimaaAgent | Group-Object { if ($_.Age -gt [timespan]'01:00:00') { 'gone' } elseif ($_.Age.TotalMinutes -gt 15) { 'stale' } else { 'ok' } }

        ($groups | Where-Object Name -EQ 'ok').Count | Should -Be 3
        ($groups | Where-Object Name -EQ 'stale').Group.Agent | Should -Be 'mail1'
        ($groups | Where-Object Name -EQ 'gone').Group.Agent | Should -Be 'batch3'
    }

    It 'shows agents in a table of Agent, LastSeen and a short Age' {
        $lines = Get-CimaaAgent -Agent batch3, web1 | ConvertTo-TestTable

        $lines[0] | Should -Match '^Agent\s+LastSeen\s+Age$'
        $lines[2] | Should -Match '^batch3\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+2h 1[45]m$'
        $lines[3] | Should -Match '^web1\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d+s$'
    }
}

Describe 'Invoke-CimaaMetaCheck on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
    }
    BeforeEach {
        Initialize-Fleet
        $time = [DateTimeOffset]::UtcNow.AddMinutes(-185).AddSeconds(-20)
        Add-TestSquelch -Pattern '^load' -Reason 'noisy after kernel update' -User bob -Time $time -Expires $time.AddHours(1)
        Add-TestSquelch -Pattern 'disk' -Reason 'new volume ordered, OPS-1234' -User alice -Time $time -Permanent
    }

    It 'reports stale agents and old squelches as //meta faults (Invoke-CimaaMetaCheck example 1)' {
        $f = Invoke-CimaaMetaCheck

        $f.Agent | Select-Object -Unique | Should -Be '//meta'
        $f.Name | Should -Be @('batch3', 'mail1', 'squelch-%5Eload')
        $f.Severity | Should -Be @(40, 40, 40)
        $f[0].Message | Should -Be 'Inactive agent'
        $f[2].Message | Should -Be 'Alerts squelched 185 minutes ago by bob because noisy after kernel update'
        $f[0].PSObject.TypeNames[0] | Should -Be 'Cimaa.Fault'
    }

    It 'emits the zc.cimaa JSON check protocol (Invoke-CimaaMetaCheck example 2)' {
        $json = Invoke-CimaaMetaCheck -AsJson

        $json | Should -BeOfType [string]
        $json | Should -Be ('{"faults":[{"name":"batch3","severity":40,"message":"Inactive agent"},{"name":"mail1","severity":40,"message":"Inactive agent"},' +
            '{"name":"squelch-%5Eload","severity":40,"message":"Alerts squelched 185 minutes ago by bob because noisy after kernel update"}]}')
        ($json | ConvertFrom-Json).faults.Count | Should -Be 3
    }

    It 'takes looser thresholds as seconds (Invoke-CimaaMetaCheck example 3)' {
        $f = Invoke-CimaaMetaCheck -Warning 600 -Error 3600 -SquelchAge 86400

        $f.Name | Should -Be @('batch3', 'mail1')
        $f.Level | Should -Be @('Error', 'Warning')
        $f.Severity | Should -Be @(40, 30)
    }

    It 'reports nothing when every agent reports and no squelch is old' {
        Get-CimaaStaleAgent | Remove-CimaaAgent -Confirm:$false
        Remove-CimaaSquelch -Pattern '^load' -Confirm:$false

        Invoke-CimaaMetaCheck | Should -BeNullOrEmpty
        Invoke-CimaaMetaCheck -AsJson | Should -Be '{"faults":[]}'
    }

    It 'pipes into Set-CimaaFault to record the meta check as the //meta agent''s faults' {
        Invoke-CimaaMetaCheck | Set-CimaaFault

        (Get-CimaaFault -Agent '//meta').Name | Should -Be @('batch3', 'mail1', 'squelch-%5Eload')
    }
}
