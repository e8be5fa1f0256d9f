@{
    RootModule           = 'Cimaa.PowerShell.dll'
    ModuleVersion        = '0.0.0-dev'
    GUID                 = '6f1d0c2e-8a4b-4d57-9c1e-2b7f3a9d5e61'
    Author               = 'The Cimaa authors'
    CompanyName          = 'Cimaa'
    Copyright            = '(c) The Cimaa authors. MIT License.'
    Description          = 'Monitoring state (faults, heartbeats, squelches, configuration, deployment status, metrics) in DynamoDB or an embedded SQLite file, compatible with zc.cimaa agents.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Cimaa.format.ps1xml')
    TypesToProcess       = @('Cimaa.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-Cimaa'
        'Get-CimaaConnection'
        'Get-CimaaConfig'
        'Set-CimaaConfig'
        'Remove-CimaaConfig'
        'Initialize-CimaaTable'
        'Get-CimaaFault'
        'Set-CimaaFault'
        'Remove-CimaaFault'
        'Get-CimaaAgent'
        'Get-CimaaStaleAgent'
        'Remove-CimaaAgent'
        'Add-CimaaSquelch'
        'Get-CimaaSquelch'
        'Remove-CimaaSquelch'
        'Test-CimaaSquelch'
        'Invoke-CimaaMetaCheck'
        'Test-CimaaDeployStatus'
        'Write-CimaaMetric'
        'Get-CimaaMetric'
        'Get-CimaaMetricName'
        'Get-CimaaMetricTag'
        'Export-CimaaDatabase'
        'Export-CimaaReport'
        'Import-CimaaDatabase'
        'New-CimaaAccessKey'
        'Get-CimaaAccessKey'
        'Set-CimaaAccessKey'
        'Remove-CimaaAccessKey'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Monitoring', 'DynamoDB', 'SQLite', 'Nagios', 'zc.cimaa', 'Alerting', 'Metrics')
            LicenseUri   = 'https://github.com/cimaa/cimaa/blob/main/LICENSE'
            ProjectUri   = 'https://github.com/cimaa/cimaa'
            ReleaseNotes = 'See https://github.com/cimaa/cimaa/blob/main/README.md'
        }
    }
}
