#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Squelches: preview, add, see the effect on faults, list and remove.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Set-CimaaFault -Agent web1 -Name 'http#api' -Severity Critical -Message 'GET /health returned 503'
    Set-CimaaFault -Agent web2 -Name disk -Severity Error -Message 'disk full'
}

AfterAll {
    Remove-Item "$script:db*" -Force -ErrorAction Ignore
}

Describe 'Squelches' {
    AfterEach {
        Get-CimaaSquelch | Remove-CimaaSquelch -Confirm:$false
    }

    It 'previews the faults a pattern would silence' {
        (Test-CimaaSquelch -Pattern '^http#').Name | Should -Be 'http#api'
        Test-CimaaSquelch -Pattern '^nothing' | Should -BeNullOrEmpty
    }

    It 'marks matching faults and hides them with -Unsquelched' {
        Add-CimaaSquelch -Pattern '^http#' -Reason 'deploy' -Duration 3600

        (Get-CimaaFault -Agent web1).Squelch | Should -Be '^http#'
        (Get-CimaaFault -Unsquelched).Name | Should -Be 'disk'
    }

    It 'records the reason, the user and the expiry' {
        $s = Add-CimaaSquelch -Pattern disk -Reason 'new volume ordered' -User alice -Permanent -PassThru

        $s.User | Should -Be 'alice'
        $s.Permanent | Should -BeTrue
        $s.Expires | Should -BeNullOrEmpty
        (Get-CimaaSquelch -Pattern disk).Reason | Should -Be 'new volume ordered'
    }

    It 'refuses a duplicate without -Force and an invalid regex' {
        Add-CimaaSquelch -Pattern disk -Reason one
        Add-CimaaSquelch -Pattern disk -Reason two -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SquelchExists*'
        Add-CimaaSquelch -Pattern disk -Reason two -Force
        (Get-CimaaSquelch disk).Reason | Should -Be 'two'

        { Add-CimaaSquelch -Pattern '(' -Reason bad -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSquelchPattern*'
    }

    It 'removes squelches by pattern' {
        Add-CimaaSquelch -Pattern disk -Reason one
        Remove-CimaaSquelch -Pattern disk -Confirm:$false
        Get-CimaaSquelch | Should -BeNullOrEmpty
    }
}
