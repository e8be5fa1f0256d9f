# Dot-sourced by each *.Tests.ps1 in BeforeAll: imports the built module and connects to a new temporary SQLite file.
Import-Module (Join-Path $PSScriptRoot '../../out/Cimaa/Cimaa.psd1') -Force
$script:db = Join-Path ([System.IO.Path]::GetTempPath()) ('cimaa-pester-' + [guid]::NewGuid().ToString('N') + '.db')
Connect-Cimaa -Path $script:db
Initialize-CimaaTable | Out-Null
