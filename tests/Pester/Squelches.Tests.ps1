#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Squelches on both stores: preview, add, see the effect on faults, list, expire and remove; the examples of
# Add-, Get-, Remove- and Test-CimaaSquelch. An old, expired squelch (^load, 3h 5m old) is seeded as another tool left it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null
    $script:DefaultUser = if ([Environment]::UserName -eq 'root' -and $env:SUDO_USER -and -not $IsWindows) { $env:SUDO_USER } else { [Environment]::UserName }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Squelches on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
        Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message 'disk /var is 97% full'
        @(
            [pscustomobject]@{ Name = 'load'; Severity = 30; Message = 'load average 9.1' }
            [pscustomobject]@{ Name = 'http#api'; Severity = 'Critical'; Message = 'GET /health returned 503' }
        ) | Set-CimaaFault -Agent web2
    }
    BeforeEach {
        Get-CimaaSquelch | Remove-CimaaSquelch -Confirm:$false
    }

    Context 'adding' {
        It 'silences a check during a deploy for two hours (Add-CimaaSquelch example 1)' {
            $before = [DateTimeOffset]::FromUnixTimeSeconds([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())
            $s = Add-CimaaSquelch -Pattern '^http#' -Reason 'api deploy in progress' -Duration '02:00:00' -PassThru

            $s.PSObject.TypeNames[0] | Should -Be 'Cimaa.Squelch'
            $s.Pattern | Should -Be '^http#'
            $s.Reason | Should -Be 'api deploy in progress'
            $s.User | Should -Be $script:DefaultUser
            $s.Permanent | Should -BeFalse
            $s.IsExpired | Should -BeFalse
            $s.Time | Should -BeGreaterOrEqual $before
            ($s.Expires - $s.Time) | Should -Be ([timespan]::FromHours(2))
        }

        It 'takes -Duration as seconds and -Until as a time' {
            $a = Add-CimaaSquelch -Pattern a -Reason r -Duration 7200 -PassThru
            ($a.Expires - $a.Time) | Should -Be ([timespan]::FromHours(2))

            $until = [DateTimeOffset]::FromUnixTimeSeconds([DateTimeOffset]::UtcNow.AddDays(1).ToUnixTimeSeconds())
            (Add-CimaaSquelch -Pattern b -Reason r -Until $until -PassThru).Expires | Should -Be $until
        }

        It 'adds a permanent squelch for another user (Add-CimaaSquelch example 2)' {
            $s = Add-CimaaSquelch -Pattern 'disk' -Reason 'new volume ordered, OPS-1234' -User alice -Permanent -PassThru

            $s.User | Should -Be 'alice'
            $s.Permanent | Should -BeTrue
            $s.Expires | Should -BeNullOrEmpty
            (Get-CimaaSquelch -Pattern disk).Reason | Should -Be 'new volume ordered, OPS-1234'
        }

        It 'refuses a pattern that exists unless -Force is given (Add-CimaaSquelch example 3)' {
            Add-CimaaSquelch -Pattern disk -Reason one
            Add-CimaaSquelch -Pattern disk -Reason again -ErrorVariable err -ErrorAction SilentlyContinue

            $err[0].FullyQualifiedErrorId | Should -BeLike 'SquelchExists*'
            $err[0].Exception.Message | Should -Be "A squelch with the pattern 'disk' exists; use -Force to replace it."
            (Get-CimaaSquelch disk).Reason | Should -Be 'one'

            Add-CimaaSquelch -Pattern disk -Reason again -Force
            (Get-CimaaSquelch disk).Reason | Should -Be 'again'
        }

        It 'rejects a regex that does not parse with InvalidSquelchPattern' {
            { Add-CimaaSquelch -Pattern '(' -Reason bad -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSquelchPattern*'
            Get-CimaaSquelch | Should -BeNullOrEmpty
        }

        It 'rejects a blank reason and an expiry in the past with InvalidSquelch' {
            { Add-CimaaSquelch -Pattern x -Reason ' ' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSquelch*'
            { Add-CimaaSquelch -Pattern x -Reason r -Until ([DateTimeOffset]::UtcNow.AddHours(-1)) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSquelch*'
            Get-CimaaSquelch | Should -BeNullOrEmpty
        }

        It 'accepts the alias -Regex and a positional pattern' {
            Add-CimaaSquelch -Regex '^a' -Reason r
            Add-CimaaSquelch '^b' -Reason r

            (Get-CimaaSquelch).Pattern | Should -Be @('^a', '^b')
        }

        It 'writes nothing with -WhatIf' {
            Add-CimaaSquelch -Pattern disk -Reason r -WhatIf

            Get-CimaaSquelch | Should -BeNullOrEmpty
        }
    }

    Context 'effect on faults' {
        It 'marks the matching faults and hides them with -Unsquelched' {
            Add-CimaaSquelch -Pattern '^http#' -Reason deploy -Duration 3600

            (Get-CimaaFault -Agent web2 -Name 'http#api').Squelch | Should -Be '^http#'
            (Get-CimaaFault -Unsquelched).Name | Should -Be @('disk', 'load')
        }

        It 'matches the regex anywhere in the name, case-sensitively' {
            Add-CimaaSquelch -Pattern 'api' -Reason r
            Add-CimaaSquelch -Pattern 'LOAD' -Reason r

            (Get-CimaaFault -Name 'http#api').Squelch | Should -Be 'api'
            (Get-CimaaFault -Name load).Squelch | Should -BeNullOrEmpty
        }

        It 'silences nothing once expired' {
            $t = [DateTimeOffset]::UtcNow.AddHours(-3)
            Add-TestSquelch -Pattern disk -Reason old -User bob -Time $t -Expires $t.AddHours(1)

            (Get-CimaaFault -Name disk).Squelch | Should -BeNullOrEmpty
            (Get-CimaaSquelch disk).IsExpired | Should -BeTrue
        }

        It 'previews the faults a pattern would silence (Test-CimaaSquelch example 1)' {
            $f = Test-CimaaSquelch -Pattern '^http#'

            $f.PSObject.TypeNames[0] | Should -Be 'Cimaa.Fault'
            "$($f.Agent)/$($f.Name)" | Should -Be 'web2/http#api'
            Test-CimaaSquelch -Pattern '^nothing' | Should -BeNullOrEmpty
            Get-CimaaSquelch | Should -BeNullOrEmpty
        }

        It 'adds a squelch only if it would silence something (Test-CimaaSquelch example 2)' {
            foreach ($p in '^http#', '^nothing') {
                if (Test-CimaaSquelch $p) {
                    Add-CimaaSquelch $p -Reason 'api deploy in progress' -Duration 7200
                }
            }

            (Get-CimaaSquelch).Pattern | Should -Be '^http#'
        }

        It 'shows in a preview what is already silenced' {
            Add-CimaaSquelch -Pattern 'disk' -Reason r

            (Test-CimaaSquelch -Pattern '^di').Squelch | Should -Be 'disk'
        }
    }

    Context 'listing and removing' {
        BeforeEach {
            $old = [DateTimeOffset]::UtcNow.AddMinutes(-185)
            Add-TestSquelch -Pattern '^load' -Reason 'noisy after kernel update' -User bob -Time $old -Expires $old.AddHours(1)
            Add-CimaaSquelch -Pattern '^http#' -Reason 'api deploy in progress' -Duration 7200
            Add-CimaaSquelch -Pattern 'disk' -Reason 'new volume ordered, OPS-1234' -User alice -Permanent
        }

        It 'lists every squelch sorted by pattern, an expired one included (Get-CimaaSquelch example 1)' {
            $s = Get-CimaaSquelch

            $s.Pattern | Should -Be @('^http#', '^load', 'disk')
            $s.IsExpired | Should -Be @($false, $true, $false)
            $s[1].Age | Should -BeGreaterThan ([timespan]'03:04:00')
            $s[1].User | Should -Be 'bob'
        }

        It 'shows an expired squelch as expired in the table' {
            $lines = Get-CimaaSquelch | ConvertTo-TestTable

            $lines[0] | Should -Match '^Pattern\s+User\s+Age\s+Permanent\s+Expires\s+Reason$'
            $lines | Where-Object { $_ -match '^\^load\s' } | Should -Match '^\^load\s+bob\s+3h 5m\s+False\s+expired\s+noisy after kernel update$'
            $lines | Where-Object { $_ -match '^disk\s' } | Should -Match '^disk\s+alice\s+\d+s\s+True\s+new volume ordered, OPS-1234$'
        }

        It 'lists squelches older than an hour (Get-CimaaSquelch example 2)' {
            (Get-CimaaSquelch -OlderThan 3600).Pattern | Should -Be '^load'
        }

        It 'lists patterns by wildcard (Get-CimaaSquelch example 3)' {
            (Get-CimaaSquelch -Pattern '^*').Pattern | Should -Be @('^http#', '^load')
            (Get-CimaaSquelch -Pattern 'd*', '^h*').Pattern | Should -Be @('^http#', 'disk')
        }

        It 'matches patterns case-sensitively, exact and wildcard alike' {
            Get-CimaaSquelch -Pattern 'DISK' | Should -BeNullOrEmpty
            Get-CimaaSquelch -Pattern 'D*' | Should -BeNullOrEmpty
        }

        It 'lists only expired squelches with -Expired' {
            (Get-CimaaSquelch -Expired).Pattern | Should -Be '^load'
        }

        It 'previews removing expired squelches (Remove-CimaaSquelch example 1)' {
            Remove-CimaaSquelch -Expired -WhatIf

            (Get-CimaaSquelch).Count | Should -Be 3
        }

        It 'removes every expired squelch and keeps the rest' {
            Remove-CimaaSquelch -Expired -Confirm:$false

            (Get-CimaaSquelch).Pattern | Should -Be @('^http#', 'disk')
        }

        It 'removes a squelch found by wildcard through the pipeline (Remove-CimaaSquelch example 2)' {
            Get-CimaaSquelch -Pattern '^http#' | Remove-CimaaSquelch -Confirm:$false

            (Get-CimaaSquelch).Pattern | Should -Be @('^load', 'disk')
        }

        It 'reports a pattern that does not exist and still removes the others (Remove-CimaaSquelch example 3)' {
            Remove-CimaaSquelch -Pattern nope, disk -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'SquelchNotFound*'
            $err[0].Exception.Message | Should -Be "There is no squelch with the pattern 'nope'."
            (Get-CimaaSquelch).Pattern | Should -Be @('^http#', '^load')
        }

        It 'removes nothing for a pattern that differs only in case' {
            Remove-CimaaSquelch -Pattern DISK -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            $err[0].FullyQualifiedErrorId | Should -BeLike 'SquelchNotFound*'
            (Get-CimaaSquelch).Pattern | Should -Contain 'disk'
        }
    }
}
