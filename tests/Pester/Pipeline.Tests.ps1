#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What people do around the cmdlets, on both stores: JSON, CSV and CliXml round trips, Sort-, Group- and
# Where-Object on faults, Select-Object -First ending a read early, and the table views.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function Set-Faults {
        Clear-TestStore
        @(
            [pscustomobject]@{ Agent = 'web1'; Name = 'disk'; Severity = 40; Message = 'disk /var is 97% full'; Triggered = $true }
            [pscustomobject]@{ Agent = 'web2'; Name = 'http#api'; Severity = 50; Message = 'GET /health returned 503'; Triggered = $false }
            [pscustomobject]@{ Agent = 'web2'; Name = 'load'; Severity = 30; Message = 'load average 9.1, "quoted", and a comma'; Triggered = $true }
            [pscustomobject]@{ Agent = 'db1'; Name = 'repl'; Severity = 30; Message = ''; Triggered = $false }
        ) | Set-CimaaFault
    }

    function Get-FaultSummary {
        Get-CimaaFault | ForEach-Object { '{0}/{1} {2} {3} [{4}]' -f $_.Agent, $_.Name, $_.Severity, $_.Triggered, $_.Message }
    }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Round trips on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
    }
    BeforeEach {
        Set-Faults
        $script:Expected = Get-FaultSummary
    }

    It 'restores faults from ConvertTo-Json | ConvertFrom-Json' {
        $json = Get-CimaaFault | ConvertTo-Json
        Clear-TestStore

        $json | ConvertFrom-Json | Set-CimaaFault

        Get-FaultSummary | Should -Be $script:Expected
    }

    It 'restores faults from Export-Csv and Import-Csv, Triggered included' {
        $csv = New-TestPath 'faults.csv'
        Get-CimaaFault | Export-Csv -Path $csv
        Clear-TestStore

        Import-Csv -Path $csv | Set-CimaaFault

        Get-FaultSummary | Should -Be $script:Expected
    }

    It 'accepts the forms of Triggered that text files carry' {
        @(
            [pscustomobject]@{ Name = 'a'; Severity = 40; Triggered = 'True' }
            [pscustomobject]@{ Name = 'b'; Severity = 40; Triggered = 'false' }
            [pscustomobject]@{ Name = 'c'; Severity = 40; Triggered = 'TRUE' }
            [pscustomobject]@{ Name = 'd'; Severity = 40; Triggered = 'y' }
            [pscustomobject]@{ Name = 'e'; Severity = 40; Triggered = '' }
            [pscustomobject]@{ Name = 'f'; Severity = 40; Triggered = 1 }
            [pscustomobject]@{ Name = 'g'; Severity = 40; Triggered = 0 }
        ) | Set-CimaaFault -Agent forms

        (Get-CimaaFault -Agent forms).Triggered | Should -Be @($true, $false, $true, $true, $false, $true, $false)
    }

    It 'rejects any other Triggered value with InvalidFault and writes nothing' {
        {
            @(
                [pscustomobject]@{ Name = 'a'; Severity = 40; Triggered = 'True' }
                [pscustomobject]@{ Name = 'b'; Severity = 40; Triggered = 'maybe' }
            ) | Set-CimaaFault -Agent forms -ErrorAction Stop
        } | Should -Throw -ErrorId 'InvalidFault*'

        Get-CimaaAgent -Agent forms | Should -BeNullOrEmpty
    }

    It 'keeps the properties of faults through Export-Clixml and Import-Clixml' {
        $xml = New-TestPath 'faults.xml'
        $live = Get-CimaaFault
        $live | Export-Clixml -Path $xml

        $back = Import-Clixml -Path $xml

        $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.Cimaa.Fault'
        foreach ($p in 'Agent', 'Name', 'Severity', 'Level', 'Message', 'Triggered', 'Squelch') {
            $back.$p | Should -Be $live.$p
        }
        $back.Since.UtcTicks | Should -Be $live.Since.UtcTicks
        $back[0].Severity | Should -BeOfType [int]
        $back[0].Triggered | Should -BeOfType [bool]
    }

    It 'restores faults from Import-Clixml | Set-CimaaFault' {
        $xml = New-TestPath 'faults.xml'
        Get-CimaaFault | Export-Clixml -Path $xml
        Clear-TestStore

        Import-Clixml -Path $xml | Set-CimaaFault

        Get-FaultSummary | Should -Be $script:Expected
    }

    It 'keeps agents, squelches and config options through Export-Clixml' {
        $xml = New-TestPath 'objects.xml'
        Add-CimaaSquelch -Pattern disk -Reason 'new volume' -User alice -Permanent
        Set-CimaaConfig prod db -Value @{ host = 'db1'; port = 5432 }
        @(Get-CimaaAgent; Get-CimaaSquelch; Get-CimaaConfig prod) | Export-Clixml -Path $xml

        $back = Import-Clixml -Path $xml

        $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.Cimaa.Agent'
        $back[0..2].Agent | Should -Be @('db1', 'web1', 'web2')
        $back[0].Age | Should -BeOfType [timespan]
        $back[3].Pattern | Should -Be 'disk'
        $back[3].Permanent | Should -BeTrue
        $back[3].User | Should -Be 'alice'
        $back[4].Values.host | Should -Be 'db1'
        $back[4].Values.port | Should -Be 5432
    }

    It 'renders deserialized objects with the same views as live ones' {
        $xml = New-TestPath 'view.xml'
        Set-TestHeartbeat old ([DateTimeOffset]::UtcNow.AddMinutes(-134).AddSeconds(-20))
        $time = [DateTimeOffset]::UtcNow.AddMinutes(-185).AddSeconds(-20)
        Add-TestSquelch -Pattern '^load' -Reason 'noisy' -User bob -Time $time -Expires $time.AddHours(1)
        $live = @(Get-CimaaFault; Get-CimaaAgent -Agent old; Get-CimaaSquelch)
        $live | Export-Clixml -Path $xml
        $back = Import-Clixml -Path $xml

        foreach ($i in 0..($live.Count - 1)) {
            ($back[$i] | ConvertTo-TestTable) | Should -Be ($live[$i] | ConvertTo-TestTable)
        }
    }
}

Describe 'Sorting, grouping and filtering faults on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
        Set-Faults
    }

    It 'sorts faults by severity with Sort-Object' {
        (Get-CimaaFault | Sort-Object Severity -Descending | Select-Object -First 2).Name | Should -Be @('http#api', 'disk')
        (Get-CimaaFault | Sort-Object Level, Agent).Agent | Should -Be @('web2', 'web1', 'db1', 'web2')
    }

    It 'counts faults per level and per agent with Group-Object' {
        $byLevel = Get-CimaaFault | Group-Object Level -AsHashTable -AsString
        $byLevel.Warning.Count | Should -Be 2
        $byLevel.Critical.Name | Should -Be 'http#api'

        $byAgent = Get-CimaaFault | Group-Object Agent | Sort-Object Count -Descending
        $byAgent[0].Name | Should -Be 'web2'
        $byAgent[0].Count | Should -Be 2
    }

    It 'filters faults on properties with Where-Object' {
        (Get-CimaaFault | Where-Object Severity -GE 40).Name | Should -Be @('disk', 'http#api')
        (Get-CimaaFault | Where-Object Triggered).Name | Should -Be @('disk', 'load')
        (Get-CimaaFault | Where-Object Message -Like '*503*').Agent | Should -Be 'web2'
        (Get-CimaaFault | Where-Object { $_.Since -gt [DateTimeOffset]::UtcNow.AddMinutes(-10) }).Count | Should -Be 4
    }

    It 'ends the read early with Select-Object -First 1, and the session stays usable' {
        1..40 | ForEach-Object { [pscustomobject]@{ Agent = 'bulk{0:d2}' -f $_; Name = 'x'; Severity = 30 } } | Set-CimaaFault
        $c = Get-CimaaConnection
        $sent = $c.RequestCount
        $full = @(Get-CimaaFault).Count
        $fullRequests = $c.RequestCount - $sent

        $sent = $c.RequestCount
        $first = Get-CimaaFault | Select-Object -First 1
        $earlyRequests = $c.RequestCount - $sent

        "$($first.Agent)/$($first.Name)" | Should -Be 'bulk01/x'
        $earlyRequests | Should -BeLessThan ($fullRequests / 2)
        @(Get-CimaaFault).Count | Should -Be $full
        Set-CimaaFault -Agent after -Name x -Severity 30
        (Get-CimaaFault -Agent after).Name | Should -Be 'x'
    }

    It 'stops the read for other consumers that stop early' {
        (Get-CimaaFault | Select-Object -First 3 | Measure-Object).Count | Should -Be 3
        (Get-CimaaAgent | Select-Object -First 1).Agent | Should -Be 'after'
        (Get-CimaaFault | ForEach-Object { $_ } | Select-Object -Skip 1 -First 1).Agent | Should -Not -BeNullOrEmpty
    }
}

Describe 'Table views' {
    BeforeAll {
        Connect-TestStore Local | Out-Null
        Set-CimaaFault -Agent web1 -Name disk -Severity Error -Message 'disk /var is 97% full'
    }

    It 'shows faults as Agent, Name, Level, Since, Squelch and Message, by default too' {
        $lines = Get-CimaaFault | ConvertTo-TestTable
        $default = (Get-CimaaFault | Out-String -Width 250) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ -and $_ -notmatch '\e' }

        $lines[0] | Should -Match '^Agent\s+Name\s+Level\s+Since\s+Squelch\s+Message$'
        $lines[2] | Should -Match '^web1\s+disk\s+Error\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+disk /var is 97% full$'
        $lines.Count | Should -Be 3
        $default[-1] | Should -Be $lines[2]
    }

    It 'shows the connection without secrets and the table status with its keys' {
        (Get-CimaaConnection | ConvertTo-TestTable)[0] | Should -Match '^Kind\s+Path\s+Region\s+TablePrefix\s+EndpointUrl$'
        (Initialize-CimaaTable | ConvertTo-TestTable)[2] | Should -Match '^faults\s+Exists\s+agent, name$'
    }

    It 'shows a deploy status as State, Version, Age in seconds, Message and Path' {
        $path = New-TestPath 'status'
        Set-Content $path "$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() - 45) 4242 1.2.3 installing foo"
        $lines = Test-CimaaDeployStatus $path | ConvertTo-TestTable

        $lines[0] | Should -Match '^State\s+Version\s+Age \(s\)\s+Message\s+Path$'
        $lines[2] | Should -Match "^OK\s+1\.2\.3\s+4[5-9]\s+installing foo\s+$([regex]::Escape($path))$"
    }

    It 'lists every property with Format-List' {
        $text = Get-CimaaFault | Format-List * | Out-String

        foreach ($p in 'Agent', 'Name', 'Severity', 'Level', 'Message', 'Since', 'Updated', 'Triggered', 'Squelch') {
            $text | Should -Match "(?m)^$p\s+:"
        }
    }
}
