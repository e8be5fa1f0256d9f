#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Metrics on both stores: the examples of Write-CimaaMetric, Get-CimaaMetric, Get-CimaaMetricName and
# Get-CimaaMetricTag, on points written in the last hour (the docs' points, moved to a recent five-minute boundary).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function Get-RecentBase {
        # A five-minute boundary between 30 and 35 minutes ago.
        $ms = [DateTimeOffset]::UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds()
        [DateTimeOffset]::FromUnixTimeMilliseconds($ms - $ms % 300000)
    }

    function Write-CpuPoints([DateTimeOffset]$Base) {
        # The points of Get-CimaaMetric's examples: web1 at +0, +60 s and +310 s; web2 at +30 s.
        @(
            [pscustomobject]@{ Name = 'cpu'; Value = 10; Tags = @{ host = 'web1'; dc = 'eu' }; Timestamp = $Base }
            [pscustomobject]@{ Name = 'cpu'; Value = 20; Tags = @{ host = 'web1'; dc = 'eu' }; Timestamp = $Base.AddSeconds(60) }
            [pscustomobject]@{ Name = 'cpu'; Value = 7; Tags = @{ host = 'web1'; dc = 'eu' }; Timestamp = $Base.AddSeconds(310) }
            [pscustomobject]@{ Name = 'cpu'; Value = 40.5; Tags = @{ host = 'web2'; dc = 'eu' }; Timestamp = $Base.AddSeconds(30) }
        ) | Write-CimaaMetric
    }

    function Get-ValueAndTags([string[]]$Lines) {
        # The Value and Tags columns of rendered DataPoint rows (neither holds a space in these examples).
        $Lines | Where-Object { $_ -match '^\d{4}-' } | ForEach-Object { $t = -split $_; "$($t[-2]) $($t[-1])" }
    }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Metrics on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    Context 'Write-CimaaMetric' {
        BeforeAll {
            Connect-TestStore $Store | Out-Null
        }

        It 'writes one value now and returns it with -PassThru (Write-CimaaMetric example 1)' {
            $before = [DateTimeOffset]::UtcNow
            $p = Write-CimaaMetric -Name cpu -Value 42.5 -Tags @{ host = 'web1'; dc = 'eu' } -PassThru

            $p.PSObject.TypeNames[0] | Should -Be 'Cimaa.DataPoint'
            $p.Value | Should -Be 42.5
            $p.Domain | Should -Be 'default'
            $p.Timestamp.ToUnixTimeMilliseconds() | Should -BeGreaterOrEqual $before.ToUnixTimeMilliseconds()
            $p.Timestamp.Ticks % 10000 | Should -Be 0
            ($p | ConvertTo-TestTable)[2] | Should -Match '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z cpu\s+42\.5 dc=eu;host=web1$'
            (Get-CimaaMetric cpu -Start -5m).Value | Should -Be 42.5
        }

        It 'writes a pipeline of objects and reads them back stream by stream (Write-CimaaMetric example 2)' {
            $t = (Get-RecentBase).AddMinutes(-10)
            @(
                [pscustomobject]@{ Name = 'load'; Value = 0.7; Tags = @{ host = 'web1' }; Timestamp = $t.ToString('o') }
                [pscustomobject]@{ Name = 'load'; Value = 1.3; Tags = @{ host = 'web2' }; Timestamp = $t.ToString('o') }
            ) | Write-CimaaMetric

            $p = Get-CimaaMetric load -Start $t.AddHours(-1)
            $p.Value | Should -Be @(0.7, 1.3)
            $p.Timestamp | Should -Be @($t, $t)
            $p[0].Tags.host | Should -Be 'web1'
        }

        It 'writes nothing when one record is bad (Write-CimaaMetric example 3)' {
            $err = $null
            try {
                @(
                    [pscustomobject]@{ Name = 'ok'; Value = 1 }
                    [pscustomobject]@{ Name = 'bad|name'; Value = 2 }
                ) | Write-CimaaMetric
            }
            catch { $err = $_ }

            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidMetric*'
            $err.Exception.Message | Should -Be "The metric name 'bad|name' contains '|'."
            Get-CimaaMetric ok -Start -1h | Should -BeNullOrEmpty
        }

        It 'stores a value that is not a number as JSON and gives it back' {
            Write-CimaaMetric -Name release -Value @{ version = '1.2.3'; hosts = 3 } -Tags @{ env = 'prod' }
            Write-CimaaMetric -Name note -Value 'deployed'

            $p = Get-CimaaMetric release -Start -5m
            $p.Value.version | Should -Be '1.2.3'
            $p.Value.hosts | Should -Be 3
            (Get-CimaaMetric note -Start -5m).Value | Should -BeExactly 'deployed'
        }

        It 'skips values that are not numbers when aggregating, with one warning' {
            Write-CimaaMetric -Name mixed -Value 5
            Write-CimaaMetric -Name mixed -Value 'n/a' -Tags @{ host = 'b' }

            $p = Get-CimaaMetric mixed -Start -5m -Aggregate sum -WarningVariable w -WarningAction SilentlyContinue
            $p.Value | Should -Be 5
            $w.Count | Should -Be 1
        }

        It 'rejects a time it cannot read with InvalidTime' {
            { Get-CimaaMetric cpu -Start 'last tuesday' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTime*'
            { Get-CimaaMetric cpu -Start -1h -End -2h -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTime*'
        }

        It 'writes nothing with -WhatIf' {
            Write-CimaaMetric -Name whatif -Value 1 -WhatIf

            Get-CimaaMetric whatif -Start -5m | Should -BeNullOrEmpty
        }
    }

    Context 'Get-CimaaMetric' {
        BeforeAll {
            Connect-TestStore $Store | Out-Null
            $script:Base = Get-RecentBase
            Write-CpuPoints $script:Base
        }

        It 'emits the last hour stream by stream, each in time order (Get-CimaaMetric example 1)' {
            $p = Get-CimaaMetric cpu -Start -1h

            $p.Value | Should -Be @(10, 20, 7, 40.5)
            $p.Timestamp | Should -Be @($script:Base, $script:Base.AddSeconds(60), $script:Base.AddSeconds(310), $script:Base.AddSeconds(30))
            $p[0].Tags.host | Should -Be 'web1'
            $p[3].Tags.host | Should -Be 'web2'
        }

        It 'averages five-minute windows across hosts (Get-CimaaMetric example 2)' {
            $p = Get-CimaaMetric cpu -Start -1h -Downsample 300 -Aggregate avg

            $p.Value | Should -Be @(27.75, 7)
            $p.Timestamp | Should -Be @($script:Base, $script:Base.AddMinutes(5))
        }

        It 'shows the aggregated tags as the docs show them (Get-CimaaMetric example 2)' {
            $docs = Get-ValueAndTags ((Get-DocExample Get-CimaaMetric 2).Output -split '\n')
            $actual = Get-ValueAndTags (Get-CimaaMetric cpu -Start -1h -Downsample 300 -Aggregate avg | ConvertTo-TestTable)

            $actual | Should -Be $docs
        }

        It 'filters streams by tags and downsamples with max (Get-CimaaMetric example 3)' {
            $p = Get-CimaaMetric cpu -Start $script:Base -End $script:Base.AddHours(1) -Tags @{ host = 'web1', 'web3' } -Downsample 300 -DownsampleFunction max

            $p.Value | Should -Be @(20, 7)
            $p.Tags.host | Select-Object -Unique | Should -Be 'web1'
        }

        It 'ANDs tag keys and matches values exactly' {
            (Get-CimaaMetric cpu -Start -1h -Tags @{ dc = 'eu'; host = 'web2' }).Value | Should -Be 40.5
            Get-CimaaMetric cpu -Start -1h -Tags @{ dc = 'us'; host = 'web2' } | Should -BeNullOrEmpty
            Get-CimaaMetric cpu -Start -1h -Tags @{ host = 'web' } | Should -BeNullOrEmpty
        }

        It 'aggregates with sum, min, max, count and rate' {
            (Get-CimaaMetric cpu -Start -1h -Downsample 300 -Aggregate sum).Value | Should -Be @(55.5, 7)
            (Get-CimaaMetric cpu -Start -1h -Downsample 300 -Aggregate count).Value | Should -Be @(2, 1)
            (Get-CimaaMetric cpu -Start -1h -Aggregate max).Value | Should -Be @(10, 40.5, 20, 7)
            (Get-CimaaMetric cpu -Start -1h -Downsample 300 -DownsampleFunction sum -Aggregate rate).Value | Should -Be @((([decimal]7 - [decimal]70.5) / 300))
        }

        It 'includes -Start and -End' {
            (Get-CimaaMetric cpu -Start $script:Base.AddSeconds(30) -End $script:Base.AddSeconds(60)).Value | Should -Be @(20, 40.5)
        }

        It 'gives values that sum with Measure-Object' {
            (Get-CimaaMetric cpu -Start -1h | Measure-Object Value -Sum -Maximum).Sum | Should -Be 77.5
        }

        It 'shows points in a table of Timestamp, Name, Value and Tags' {
            $lines = Get-CimaaMetric cpu -Start -1h -Tags @{ host = 'web2' } | ConvertTo-TestTable

            $lines[0] | Should -Match '^Timestamp\s+Name\s+Value\s+Tags$'
            $lines[2] | Should -Be ('{0:yyyy-MM-dd HH:mm:ss.fff}Z cpu   40.5 dc=eu;host=web2' -f $script:Base.AddSeconds(30).UtcDateTime)
        }
    }

    Context 'Get-CimaaMetricName and Get-CimaaMetricTag' {
        BeforeAll {
            Connect-TestStore $Store | Out-Null
            $base = Get-RecentBase
            Write-CpuPoints $base
            Write-CimaaMetric -Name cpu -Value 3 -Tags @{ host = 'web3'; dc = 'us' } -Timestamp $base
            Write-CimaaMetric -Name load -Value 0.7 -Tags @{ host = 'web1' } -Timestamp $base
            Write-CimaaMetric -Name mem -Value 512 -Domain lab
        }

        It 'lists the metric names of a domain (Get-CimaaMetricName example 1)' {
            Get-CimaaMetricName | Should -Be @('cpu', 'load')
            Get-CimaaMetricName -Domain lab | Should -Be 'mem'
        }

        It 'pipes names of another domain into Get-CimaaMetric (Get-CimaaMetricName example 2)' {
            $p = Get-CimaaMetricName lab | Get-CimaaMetric -Domain lab -Start -15m -Aggregate count

            $p.Name | Should -Be 'mem'
            $p.Value | Should -Be 1
            Get-CimaaMetric mem -Start -15m | Should -BeNullOrEmpty
        }

        It 'lists each tag key of a metric with its values (Get-CimaaMetricTag example 1)' {
            $t = Get-CimaaMetricTag cpu

            $t.Key | Should -Be @('dc', 'host')
            $t[0].Values | Should -Be @('eu', 'us')
            $t[1].Values | Should -Be @('web1', 'web2', 'web3')
            ($t | ConvertTo-TestTable)[3] | Should -Match '^cpu\s+host\s+web1, web2, web3$'
        }

        It 'gives the values of one key (Get-CimaaMetricTag example 2)' {
            (Get-CimaaMetricTag cpu).Where({ $_.Key -eq 'host' }).Values | Should -Be @('web1', 'web2', 'web3')
        }
    }
}
