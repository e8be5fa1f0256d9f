# A short tour of Cimaa on the embedded SQLite store, in a throw-away file: ./build.sh demo, or
# `pwsh -NoProfile -File examples/quickstart.ps1` after ./build.sh.
$ErrorActionPreference = 'Stop'
# The module as ./build.sh leaves it; once installed (Install-PSResource Cimaa), PowerShell finds it by name.
if (-not (Get-Module -ListAvailable Cimaa)) { Import-Module (Join-Path $PSScriptRoot '../out/Cimaa/Cimaa.psd1') }
$db = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "cimaa-quickstart-$PID.db")
Connect-Cimaa -Path $db
Initialize-CimaaTable | Out-Default

# An agent reports its faults: the set replaces what it reported before, and its heartbeat is written last.
@(
    [pscustomobject]@{ Name = 'disk'; Severity = 'Error'; Message = '/var is 95% full' }
    [pscustomobject]@{ Name = 'load'; Severity = 'Warning'; Message = 'load average 12' }
) | Set-CimaaFault -Agent web1
Set-CimaaFault -Agent db1 -Name replication -Severity Critical -Message 'replica 300 s behind'

# Silence the load warnings for an hour, after previewing what the pattern matches.
Test-CimaaSquelch '^load' | Out-Default
Add-CimaaSquelch -Pattern '^load' -Reason 'batch window' -Duration 3600

Get-CimaaFault | Out-Default
Get-CimaaAgent | Out-Default
Get-CimaaSquelch | Out-Default

# Configuration, as dynamodb-config-store keeps it.
Set-CimaaConfig -Store prod -Option db -Value @{ host = 'db1.example.com'; port = 5432 }
Get-CimaaConfig prod | Out-Default

# The meta check in zc.cimaa's JSON check protocol.
Invoke-CimaaMetaCheck -AsJson

foreach ($file in $db, "$db-wal", "$db-shm") { if ([System.IO.File]::Exists($file)) { [System.IO.File]::Delete($file) } }
