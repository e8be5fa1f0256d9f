#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Stale agents and the meta check. A cutoff in the future (a negative age) makes every agent stale,
# since agents here have just reported.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

AfterAll {
    Remove-Item "$script:db*" -Force -ErrorAction Ignore
}

Describe 'Agents' {
    BeforeEach {
        Get-CimaaAgent | Remove-CimaaAgent -Confirm:$false
        Set-CimaaFault -Agent web1 -Name disk -Severity Error
        Set-CimaaFault -Agent web2
    }

    It 'lists agents sorted by name with their age' {
        $agents = Get-CimaaAgent
        $agents.Agent | Should -Be @('web1', 'web2')
        $agents[0].Age | Should -BeLessThan ([timespan]::FromMinutes(5))
    }

    It 'does not call agents that just reported stale' {
        Get-CimaaStaleAgent | Should -BeNullOrEmpty
        @(Get-CimaaStaleAgent -OlderThan -60).Count | Should -Be 2
    }

    It 'removes an agent with its faults and touches no other' {
        Remove-CimaaAgent -Agent web1 -Confirm:$false

        (Get-CimaaAgent).Agent | Should -Be 'web2'
        Get-CimaaFault -Agent web1 | Should -BeNullOrEmpty
    }

    It 'supports -WhatIf' {
        Remove-CimaaAgent -Agent web1 -WhatIf
        (Get-CimaaAgent).Agent | Should -Contain 'web1'
    }
}

Describe 'Invoke-CimaaMetaCheck' {
    BeforeAll {
        Set-CimaaFault -Agent web1
    }

    It 'reports nothing while agents report and squelches are young' {
        Invoke-CimaaMetaCheck | Should -BeNullOrEmpty
        Invoke-CimaaMetaCheck -AsJson | Should -Be '{"faults":[]}'
    }

    It 'reports inactive agents as //meta faults' {
        $faults = Invoke-CimaaMetaCheck -Warning -60 -Error 3600
        $faults.Agent | Should -Contain '//meta'
        ($faults | Where-Object Name -EQ 'web1').Message | Should -Be 'Inactive agent'
        ($faults | Where-Object Name -EQ 'web1').Severity | Should -Be 30
    }

    It 'reports old squelches, and emits the zc.cimaa JSON protocol' {
        Add-CimaaSquelch -Pattern '^load' -Reason 'noisy' -User bob
        try {
            $json = Invoke-CimaaMetaCheck -SquelchAge -60 -AsJson | ConvertFrom-Json
            $squelch = $json.faults | Where-Object name -EQ 'squelch-%5Eload'
            $squelch.severity | Should -Be 40
            $squelch.message | Should -BeLike 'Alerts squelched * minutes ago by bob because noisy'
        }
        finally {
            Remove-CimaaSquelch -Pattern '^load' -Confirm:$false
        }
    }
}
