#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Export-CimaaReport on both stores: the examples of its page, the file it writes (self-contained, encoded, replaced in one
# rename) and bad input that writes nothing.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null
}

AfterAll {
    Stop-TestDynalite
}

Describe 'Export-CimaaReport on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        $script:c = Connect-TestStore $Store
        Set-CimaaFault -Agent web1 -Name disk -Severity Critical -Message 'disk /var is 99% full & <rising>'
        Set-CimaaFault -Agent db1 -Name load -Severity Warning -Message 'load average 9.1'
        Set-CimaaFault -Agent mail1 -Name queue -Severity Error -Message 'queue is 4000 deep'
        Add-CimaaSquelch -Pattern '^queue$' -Reason 'migration' -User amy -Duration 3600
        Set-TestHeartbeat -Agent batch3 -Updated ([DateTimeOffset]::UtcNow.AddSeconds(-8040))
        $now = [DateTimeOffset]::UtcNow
        1..10 | ForEach-Object { [pscustomobject]@{ Name = 'cpu.load'; Value = $_; Timestamp = $now.AddMinutes(-5 * $_) } } | Write-CimaaMetric
        1..4 | ForEach-Object { [pscustomobject]@{ Name = 'queue.depth'; Value = $_; Tags = @{ queue = 'mail' }; Timestamp = $now.AddMinutes(-3 * $_) } } | Write-CimaaMetric
        $script:dir = New-TestPath 'ops'
        $null = New-Item -ItemType Directory -Path $script:dir
        Push-Location $script:dir
    }
    AfterAll {
        Pop-Location
    }

    It 'writes the page and emits the file (Export-CimaaReport example 1)' {
        $f = Export-CimaaReport ./status.html

        $f | Should -BeOfType System.IO.FileInfo
        $f.FullName | Should -Be (Join-Path $script:dir 'status.html')
        (Get-DocExample Export-CimaaReport 1).Output | Should -Match ' status\.html$'
        $html = Get-Content -Raw $f.FullName
        $html | Should -Match '^<!DOCTYPE html>'
        # Worst first: web1 (Critical), then db1 (Warning); mail1's only fault is squelched, so it comes last.
        ([regex]::Matches($html, 'data-agent="([^"]*)"') | ForEach-Object { $_.Groups[1].Value }) | Should -Be @('web1', 'db1', 'mail1')
        $html | Should -Match 'disk /var is 99% full &amp; &lt;rising&gt;'
        $html | Should -Not -Match '<script'
        $html | Should -Match '<tr><td>batch3</td>'
        Get-ChildItem $script:dir -Force | Should -HaveCount 1
    }

    It 'draws sparklines and takes the stale threshold (Export-CimaaReport example 2)' {
        Export-CimaaReport ./status.html -Metric cpu.load, 'queue.depth{queue=mail}' -StaleAfter 300 | Out-Null

        $html = Get-Content -Raw ./status.html
        $html | Should -Match 'data-metric="cpu\.load" data-series="" data-points="10"'
        $html | Should -Match 'data-metric="queue\.depth\{queue=mail\}" data-series="queue=mail" data-points="4"'
        $html | Should -Match '<h2>Stale agents \(1, no heartbeat for 5m 0s\)</h2>'
        Get-ChildItem $script:dir -Force | Should -HaveCount 1
    }

    It 'replaces the published page in one rename (Export-CimaaReport example 3)' {
        $target = Join-Path $script:dir 'index.html'
        Set-Content $target 'old page'
        $ErrorActionPreference = 'Stop'
        Export-CimaaReport $target -Metric cpu.load | Out-Null

        Get-Content -Raw $target | Should -Match 'data-metric="cpu\.load"'
        Get-ChildItem $script:dir -Force -Filter '*.tmp' | Should -HaveCount 0
    }

    It 'stops with <Id> and writes nothing for <Case>' -ForEach @(
        @{ Case = 'a metric that is not name{k=v}'; Id = 'InvalidMetric'; Arguments = @{ Path = 'bad.html'; Metric = 'cpu{host}' } }
        @{ Case = 'a threshold that is not positive'; Id = 'InvalidTime'; Arguments = @{ Path = 'bad.html'; StaleAfter = 0 } }
        @{ Case = 'a missing folder'; Id = 'ReportFileError'; Arguments = @{ Path = 'none/bad.html' } }
    ) {
        { Export-CimaaReport @Arguments } | Should -Throw -ErrorId "$Id,Cimaa.PowerShell.Commands.ExportCimaaReportCommand"
        Test-Path (Join-Path $script:dir 'bad.html') | Should -BeFalse
        Test-Path (Join-Path $script:dir 'none') | Should -BeFalse
    }
}
