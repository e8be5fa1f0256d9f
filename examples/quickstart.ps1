# A short tour of Cimaa on the embedded SQLite store, in a throw-away file.
$db = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "cimaa-quickstart-$PID.db")
Connect-Cimaa -Path $db
Initialize-CimaaTable
Get-CimaaConnection
[System.IO.File]::Delete($db)
