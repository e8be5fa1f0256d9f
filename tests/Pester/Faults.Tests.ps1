#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Faults and heartbeats on a temporary SQLite file: what an agent and an operator do.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

AfterAll {
    Remove-Item "$script:db*" -Force -ErrorAction Ignore
}

Describe 'Set-CimaaFault and Get-CimaaFault' {
    BeforeEach {
        Get-CimaaAgent | Remove-CimaaAgent -Confirm:$false
    }

    It 'stores the faults of an agent and lists them sorted by name' {
        @(
            [pscustomobject]@{ Name = 'load'; Severity = 'Warning'; Message = 'load 9' }
            [pscustomobject]@{ Name = 'disk'; Severity = 40; Message = 'disk full' }
        ) | Set-CimaaFault -Agent web1

        $faults = Get-CimaaFault -Agent web1
        $faults.Name | Should -Be @('disk', 'load')
        $faults[0].Level | Should -Be 'Error'
        $faults[1].Severity | Should -Be 30
        (Get-CimaaAgent -Agent web1).Agent | Should -Be 'web1'
    }

    It 'replaces the whole set and keeps Since for faults that stay' {
        Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message 'disk full'
        $since = (Get-CimaaFault -Agent web1 -Name disk).Since
        [pscustomobject]@{ Name = 'disk'; Severity = 50; Message = 'disk full, really' } | Set-CimaaFault -Agent web1

        $fault = Get-CimaaFault -Agent web1
        $fault.Level | Should -Be 'Critical'
        $fault.Since | Should -Be $since
    }

    It 'clears an agent with no input and still writes its heartbeat' {
        Set-CimaaFault -Agent web2 -Name disk -Severity Error
        Set-CimaaFault -Agent web2

        Get-CimaaFault -Agent web2 | Should -BeNullOrEmpty
        Get-CimaaAgent -Agent web2 | Should -Not -BeNullOrEmpty
    }

    It 'replaces only the faults of one check with -Check' {
        Set-CimaaFault -Agent web3 -Name load -Severity Warning
        Set-CimaaFault -Agent web3 -Check http -Name 'http#api' -Severity Critical
        Set-CimaaFault -Agent web3 -Check http -Name 'http#api' -Severity OK

        (Get-CimaaFault -Agent web3).Name | Should -Be 'load'
    }

    It 'filters by wildcard and minimum severity' {
        Set-CimaaFault -Agent web4 -Name disk -Severity Error
        Set-CimaaFault -Agent db4 -Name disk -Severity Warning

        (Get-CimaaFault -Agent web* -MinimumSeverity Error).Agent | Should -Be 'web4'
        @(Get-CimaaFault -Name d*).Count | Should -Be 2
    }

    It 'rejects a bad severity and writes nothing' {
        { Set-CimaaFault -Agent web5 -Name disk -Severity 12x -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFault*'
        Get-CimaaAgent -Agent web5 | Should -BeNullOrEmpty
    }

    It 'removes single faults and reports missing ones' {
        Set-CimaaFault -Agent web6 -Name disk -Severity Error
        Remove-CimaaFault -Agent web6 -Name disk -Confirm:$false
        Get-CimaaFault -Agent web6 | Should -BeNullOrEmpty

        Remove-CimaaFault -Agent web6 -Name disk -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FaultNotFound*'
    }
}
