#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-CimaaDatabase and Import-CimaaDatabase on both stores: the examples of both pages, the move from one store to the
# other and back (the same records), Merge and Replace, and every kind of bad file refused with nothing changed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function Initialize-ExportData([Parameter(Mandatory)]$Connection) {
        # The data the pages' examples show: 2 faults and 3 heartbeats, 1 squelch, 2 options, 500 datapoints.
        Set-CimaaFault -Connection $Connection -Agent web1 -Name disk -Severity Error -Message 'disk /var is 97% full'
        Set-CimaaFault -Connection $Connection -Agent web2 -Name load -Severity 30 -Message 'load average 9.1'
        Set-CimaaFault -Connection $Connection -Agent mail1
        Add-CimaaSquelch -Connection $Connection -Pattern '^load' -Reason 'noisy after kernel update' -User bob -Duration 3600
        Set-CimaaConfig -Connection $Connection prod db -Value @{ host = 'db1.example.org'; port = 6432 }
        Set-CimaaConfig -Connection $Connection prod web -Value @{ workers = 8 }
        $now = [DateTimeOffset]::UtcNow
        1..500 | ForEach-Object {
            [pscustomobject]@{ Name = 'cpu'; Value = $_ % 17 + 0.5; Tags = @{ host = "web$($_ % 3)" }; Timestamp = $now.AddMinutes(-$_).AddSeconds(-30) }
        } | Write-CimaaMetric -Connection $Connection
    }

    function Get-ExportLine([string]$Path) {
        # The lines of an export file, gzip or not.
        $Path = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
        $stream = [System.IO.File]::OpenRead($Path)
        try {
            $source = if ($Path.EndsWith('.gz')) { [System.IO.Compression.GZipStream]::new($stream, [System.IO.Compression.CompressionMode]::Decompress) } else { $stream }
            $reader = [System.IO.StreamReader]::new($source)
            $reader.ReadToEnd() -split "`n" | Where-Object { $_ }
        }
        finally { $stream.Dispose() }
    }

    function Get-ExportContent([string]$Path) {
        # What two exports of the same records share: the header without source and time, the records in any order, the end line.
        $lines = @(Get-ExportLine $Path)
        @($lines[0] -replace '"source":"[^"]*","exported":"[^"]*"', '') + @($lines[1..($lines.Count - 2)] | Sort-Object -CaseSensitive) + @($lines[-1])
    }

    function Get-Snapshot($Connection) {
        $path = New-TestPath 'snapshot'
        $null = Export-CimaaDatabase -Connection $Connection "$path.jsonl"
        Get-ExportContent "$path.jsonl"
    }

    function Format-Page([object[]]$Lines, [string]$Dir) {
        # Output as the pages show it: the test folder written as /home/ops.
        $Lines | ForEach-Object { $_.Replace($Dir, '/home/ops') }
    }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Export and import on <Store>' -ForEach @(@{ Store = 'Local'; Other = 'DynamoDB' }, @{ Store = 'DynamoDB'; Other = 'Local' }) {
    BeforeAll {
        $script:c = Connect-TestStore $Store
        Initialize-ExportData $script:c
        $script:dir = New-TestPath 'ops'
        $null = New-Item -ItemType Directory -Path $script:dir, (Join-Path $script:dir 'backups')
        Push-Location $script:dir
        $script:backup = Join-Path $script:dir 'backups/cimaa-2026-11-23.jsonl.gz'
    }
    AfterAll {
        Pop-Location
    }

    It 'backs up everything to a compressed file (Export-CimaaDatabase example 1)' {
        $s = Export-CimaaDatabase -Connection $script:c ./backups/cimaa-2026-11-23.jsonl.gz

        $s[0].PSObject.TypeNames[0] | Should -Be 'Cimaa.ExportSummary'
        Format-Page ($s | ConvertTo-TestTable) $script:dir | Should -Be ((Get-DocExample Export-CimaaDatabase 1).Output -split '\n')
        $bytes = [System.IO.File]::ReadAllBytes($script:backup)
        $bytes[0..1] | Should -Be @(0x1f, 0x8b)
        if (-not $IsWindows) { [System.IO.File]::GetUnixFileMode($script:backup) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
        Get-ChildItem (Join-Path $script:dir 'backups') -Force | Should -HaveCount 1
    }

    It 'exports only the configuration and the squelches (Export-CimaaDatabase example 2)' {
        Export-CimaaDatabase -Connection $script:c ./config.jsonl -Include config, squelches | Out-Null
        $lines = Get-Content ./config.jsonl
        $page = (Get-DocExample Export-CimaaDatabase 2).Output -split '\n'

        $lines.Count | Should -Be $page.Count
        $lines[0] | Should -Match '^\{"format":"cimaa-export","version":1,"module":"[0-9.]+","source":"(Local|DynamoDB)","exported":"[-0-9T:.]+Z","tables":\["squelches","config"\],"metricStart":null\}$'
        $lines[1] -replace '"time":\d+,', '' -replace '"expires":\d+', '' | Should -Be ($page[1] -replace '"time":\d+,', '' -replace '"expires":\d+', '')
        $lines[2..4] | Should -Be $page[2..4]
    }

    It 'exports only the last hour of metrics (Export-CimaaDatabase example 3)' {
        $s = Export-CimaaDatabase -Connection $script:c ./recent.jsonl -Include metrics -MetricStart -1h

        Format-Page ($s | ConvertTo-TestTable) $script:dir | Should -Be ((Get-DocExample Export-CimaaDatabase 3).Output -split '\n')
        (Get-Content ./recent.jsonl)[0] | Should -Match '"metricStart":\d{13}\}$'
    }

    It 'exports access keys only when asked, and never their secrets' {
        $key = New-CimaaAccessKey -Connection $script:c -Permission 'web:r', 'web:w' -Description 'collector on web1'
        try {
            Export-CimaaDatabase -Connection $script:c ./all.jsonl | Select-Object -ExpandProperty Table | Should -Not -Contain 'accesskeys'
            $s = Export-CimaaDatabase -Connection $script:c ./keys.jsonl -Include accesskeys
            $lines = @(Get-Content ./keys.jsonl)

            $s.Table | Should -Be 'accesskeys'
            $s.Records | Should -Be 1
            $lines | Should -HaveCount 3
            $record = $lines[1] | ConvertFrom-Json
            $record.id | Should -Be $key.AccessKeyId
            $record.permissions | Should -Be @('web:r', 'web:w')
            $record.state | Should -Be 'ACTIVE'
            $record.description | Should -Be 'collector on web1'
            Get-Content ./keys.jsonl -Raw | Should -Not -Match ([regex]::Escape($key.SecretAccessKey))
            Get-Content ./all.jsonl -Raw | Should -Not -Match $key.AccessKeyId
        }
        finally {
            Remove-CimaaAccessKey -Connection $script:c $key.AccessKeyId -Confirm:$false
        }
    }

    It 'refuses to replace a backup without -Force (Export-CimaaDatabase example 4)' {
        $before = (Get-FileHash $script:backup).Hash
        { Export-CimaaDatabase -Connection $script:c ./backups/cimaa-2026-11-23.jsonl.gz -ErrorAction Stop } | Should -Throw -ErrorId 'ExportFileExists*'
        (Get-FileHash $script:backup).Hash | Should -Be $before
        $sum = Export-CimaaDatabase -Connection $script:c ./backups/cimaa-2026-11-23.jsonl.gz -Force | Measure-Object Records -Sum | Select-Object -ExpandProperty Sum

        $sum | Should -Be ((Get-DocExample Export-CimaaDatabase 4).Output -split '\n')[1]
        Get-ChildItem (Join-Path $script:dir 'backups') -Force | Should -HaveCount 1
    }

    It 'previews a restore with the counts of each table and writes nothing (Import-CimaaDatabase example 1)' {
        $target = Connect-Cimaa -Path (New-TestPath 'preview') -PassThru
        $r = Invoke-TestPwsh -Command "Import-Module '$script:ModulePath'; Set-Location '$script:dir'; Connect-Cimaa -Path '$($target.Path)'; Import-CimaaDatabase ./backups/cimaa-2026-11-23.jsonl.gz -WhatIf; (Get-CimaaFault).Count"

        $r.Error | Should -BeNullOrEmpty
        $r.Output | Should -Be @(((Get-DocExample Import-CimaaDatabase 1).Output -split '\n') + '0')
        Import-CimaaDatabase -Connection $target $script:backup -WhatIf | Should -BeNullOrEmpty
        Get-CimaaAgent -Connection $target | Should -BeNullOrEmpty
        Connect-Cimaa -Path $script:db
    }

    It 'moves to the other store and back with the same records (Import-CimaaDatabase example 2)' {
        $target = if ($Other -eq 'Local') { Connect-Cimaa -Path (New-TestPath 'moved') -PassThru }
        else { Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix) -PassThru }
        Initialize-CimaaTable -Connection $target -WarningAction SilentlyContinue | Out-Null
        Export-CimaaDatabase -Connection $script:c ./move.jsonl -Force | Out-Null
        $s = Import-CimaaDatabase ./move.jsonl -Connection $target -Confirm:$false

        $s[0].PSObject.TypeNames[0] | Should -Be 'Cimaa.ImportSummary'
        Format-Page ($s | ConvertTo-TestTable) $script:dir | Should -Be ((Get-DocExample Import-CimaaDatabase 2).Output -split '\n')
        Get-Snapshot $target | Should -Be (Get-ExportContent ./move.jsonl)
        (Get-CimaaFault -Connection $target web1).Since | Should -Be (Get-CimaaFault -Connection $script:c web1).Since
        (Get-CimaaSquelch -Connection $target).Expires | Should -Be (Get-CimaaSquelch -Connection $script:c).Expires
        $start = [DateTimeOffset]::UtcNow.AddDays(-1)
        (Get-CimaaMetric -Connection $target cpu -Start $start | Measure-Object Value -Sum).Sum | Should -Be (Get-CimaaMetric -Connection $script:c cpu -Start $start | Measure-Object Value -Sum).Sum

        $back = if ($Store -eq 'Local') { Connect-Cimaa -Path (New-TestPath 'back') -PassThru }
        else { Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix) -PassThru }
        Initialize-CimaaTable -Connection $back -WarningAction SilentlyContinue | Out-Null
        Export-CimaaDatabase -Connection $target ./moved.jsonl.gz | Out-Null
        Import-CimaaDatabase -Connection $back ./moved.jsonl.gz -Confirm:$false | Out-Null
        Get-Snapshot $back | Should -Be (Get-ExportContent ./move.jsonl)
        Connect-Cimaa -Path $script:db
    }

    It 'puts the configuration back as it was in a backup (Import-CimaaDatabase example 3)' {
        Set-CimaaConfig -Connection $script:c prod db -Value @{ host = 'changed' }
        Set-CimaaConfig -Connection $script:c prod extra -Value @{ x = 1 }
        Set-CimaaFault -Connection $script:c -Agent web3 -Name new -Severity 40
        $s = Import-CimaaDatabase -Connection $script:c ./backups/cimaa-2026-11-23.jsonl.gz -Include config -Mode Replace -Confirm:$false

        Format-Page ($s | ConvertTo-TestTable) $script:dir | Should -Be ((Get-DocExample Import-CimaaDatabase 3).Output -split '\n')
        (Get-CimaaConfig -Connection $script:c prod).Option | Should -Be @('db', 'web')
        (Get-CimaaConfig -Connection $script:c prod db).Values.port | Should -Be 6432
        (Get-CimaaFault -Connection $script:c web3).Name | Should -Be 'new'
        Remove-CimaaAgent -Connection $script:c web3 -Confirm:$false
    }

    It 'merges over what is stored and keeps the rest, and replaces everything with -Mode Replace' {
        $before = Get-Snapshot $script:c
        Set-CimaaFault -Connection $script:c -Agent web1 -Name disk -Severity Critical -Message 'changed'
        Set-CimaaFault -Connection $script:c -Agent web9 -Name extra -Severity 40

        Import-CimaaDatabase -Connection $script:c $script:backup -Include faults -Confirm:$false | Out-Null
        (Get-CimaaFault -Connection $script:c web1).Message | Should -Be 'disk /var is 97% full'
        (Get-CimaaFault -Connection $script:c web9).Name | Should -Be 'extra'

        Import-CimaaDatabase -Connection $script:c $script:backup -Mode Replace -Confirm:$false | Out-Null
        Get-CimaaFault -Connection $script:c web9 | Should -BeNullOrEmpty
        Get-Snapshot $script:c | Should -Be $before
    }

    It 'refuses a damaged file and writes nothing (Import-CimaaDatabase example 4)' {
        $lines = @(Get-ExportLine $script:backup)
        $text = ($lines -join "`n") + "`n"
        [System.IO.File]::WriteAllText((Join-Path $script:dir 'cut.jsonl'), $text.Substring(0, $text.IndexOf('"table":"heartbeats"') + 10))
        $before = Get-Snapshot $script:c
        $err = $null
        try { Import-CimaaDatabase -Connection $script:c ./cut.jsonl -Confirm:$false } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'InvalidExportFile*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        Format-Page "Import-CimaaDatabase: $($err.Exception.Message)" $script:dir | Should -Be (Get-DocExample Import-CimaaDatabase 4).Output
        Get-Snapshot $script:c | Should -Be $before
    }

    It 'refuses <Case> with InvalidExportFile, naming <Says>, and changes nothing' -ForEach @(
        @{ Case = 'a truncated file'; Says = 'line \d+: the last line has no newline' }
        @{ Case = 'a gzip that is not gzip'; Says = 'the name ends in .gz, but the file is not gzip-compressed' }
        @{ Case = 'an unknown format version'; Says = 'line 1: format version 2 is newer' }
        @{ Case = 'a record of an unknown table'; Says = "line 2: unknown table 'alarms'" }
        @{ Case = 'a missing field'; Says = "line 2: the field 'since' is missing" }
        @{ Case = 'a wrong type'; Says = "line 2: the field 'severity' must be a whole number, not a string" }
        @{ Case = 'a duplicate key'; Says = "line \d+: the faults record for agent 'web1', fault 'disk' repeats the key of line 2" }
        @{ Case = 'a file from a newer module'; Says = 'line 1: the file was written by Cimaa 99.0.0, newer than this module' }
    ) {
        # The fault of web1 first (a DynamoDB Scan gives the faults in any order, which the format allows).
        $all = @(Get-ExportLine $script:backup)
        $fault = $all | Where-Object { $_ -match '^\{"table":"faults","agent":"web1","name":"disk"' }
        $lines = @($all[0], $fault) + @($all[1..($all.Count - 1)] | Where-Object { $_ -ne $fault })
        $lines.Count | Should -Be $all.Count
        $bad = switch ($Case) {
            'a truncated file' { (($lines -join "`n") + "`n").Substring(0, ($lines -join "`n").IndexOf('"table":"metrics"') + 30) }
            'a gzip that is not gzip' { ($lines -join "`n") + "`n" }
            'an unknown format version' { (@($lines[0] -replace '"version":1', '"version":2') + $lines[1..($lines.Count - 1)] -join "`n") + "`n" }
            'a record of an unknown table' { (@($lines[0], ($fault -replace '"table":"faults"', '"table":"alarms"')) + $lines[2..($lines.Count - 1)] -join "`n") + "`n" }
            'a missing field' { (@($lines[0], ($fault -replace ',"since":\d+', '')) + $lines[2..($lines.Count - 1)] -join "`n") + "`n" }
            'a wrong type' { (@($lines[0], ($fault -replace '"severity":(\d+)', '"severity":"$1"')) + $lines[2..($lines.Count - 1)] -join "`n") + "`n" }
            'a duplicate key' { (@($lines[0..($lines.Count - 2)]) + $fault + ($lines[-1] -replace '"faults":2', '"faults":3') -join "`n") + "`n" }
            'a file from a newer module' { (@($lines[0] -replace '"module":"[^"]+"', '"module":"99.0.0"') + $lines[1..($lines.Count - 1)] -join "`n") + "`n" }
        }
        $path = Join-Path $script:dir ("bad-" + [guid]::NewGuid().ToString('N').Substring(0, 6) + $(if ($Case -eq 'a gzip that is not gzip') { '.jsonl.gz' } else { '.jsonl' }))
        [System.IO.File]::WriteAllText($path, $bad)
        $before = Get-Snapshot $script:c

        foreach ($mode in 'Merge', 'Replace') {
            { Import-CimaaDatabase -Connection $script:c $path -Mode $mode -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidExportFile*'
            try { Import-CimaaDatabase -Connection $script:c $path -Mode $mode -Confirm:$false } catch { $_.Exception.Message | Should -Match $Says }
        }
        Get-Snapshot $script:c | Should -Be $before
    }
}

Describe 'Import confirmation' {
    It 'merges without asking, but asks before Replace deletes, so a non-interactive Replace without -Confirm:$false writes nothing' {
        $attribute = (Get-Command Import-CimaaDatabase).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'Medium'
        $source = Connect-Cimaa -Path (New-TestPath 'confirm-source') -PassThru
        Set-CimaaFault -Connection $source -Agent web1 -Name disk -Severity 40
        $file = (New-TestPath 'confirm') + '.jsonl'
        Export-CimaaDatabase -Connection $source $file -Include faults | Out-Null
        $merge, $replace, $confirmed = (New-TestPath 'merge'), (New-TestPath 'replace'), (New-TestPath 'confirmed')

        $r = Invoke-TestPwsh -Command (@(
                "Import-Module '$script:ModulePath'"
                "Import-CimaaDatabase '$file' -Connection (Connect-Cimaa -Path '$merge' -PassThru) | Out-Null"
                "Import-CimaaDatabase '$file' -Connection (Connect-Cimaa -Path '$replace' -PassThru) -Mode Replace"
                "Import-CimaaDatabase '$file' -Connection (Connect-Cimaa -Path '$confirmed' -PassThru) -Mode Replace -Confirm:`$false | Out-Null"
                "foreach (`$p in '$merge', '$replace', '$confirmed') { 'agents: ' + @(Get-CimaaAgent -Connection (Connect-Cimaa -Path `$p -PassThru)).Count }"
            ) -join '; ')

        $r.Error | Should -Match 'NonInteractive'
        $r.Output | Should -Be @('agents: 1', 'agents: 0', 'agents: 1')
        Connect-Cimaa -Path $script:db
    }
}
