#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as a module: its manifest, autoloading from PSModulePath, Remove-Module and a fresh import,
# living beside an older AWSSDK.Core, and tab completion (with a connection, and in a fresh session from the
# implicit one). Child pwsh processes are bounded in time and killed by PID when they overrun.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function Get-Completion([string]$Line, [System.Management.Automation.PowerShell]$PowerShell) {
        # The completion texts for the end of a command line, in this session or in another runspace.
        if ($PowerShell) {
            $r = [System.Management.Automation.CommandCompletion]::CompleteInput($Line, $Line.Length, $null, $PowerShell)
        }
        else {
            $r = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        }
        @($r.CompletionMatches | ForEach-Object CompletionText)
    }

    function Invoke-InFreshSession([hashtable]$Environment, [scriptblock]$Body) {
        # Runs $Body with a new runspace (a session that never ran Connect-Cimaa) and the given environment variables.
        $saved = @{}
        foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$script:ModulePath'").Invoke()
            $ps.Commands.Clear()
            & $Body $ps
        }
        finally {
            $ps.Dispose()
            foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
        }
    }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'The module' {
    BeforeAll {
        # Three child pwsh processes, started together; each test waits for its own.
        $modules = New-TestPath 'modules'
        $null = New-Item -ItemType Directory $modules
        if ($IsWindows) { Copy-Item $script:ModuleDir (Join-Path $modules 'Cimaa') -Recurse }
        else { $null = New-Item -ItemType SymbolicLink -Path (Join-Path $modules 'Cimaa') -Target $script:ModuleDir }
        $script:AutoDb = New-TestPath 'auto.db'
        $script:Autoload = Start-TestPwsh -Environment @{ PSModulePath = $modules; CIMAA_DB = $script:AutoDb; CIMAA_CONFIG = $null } -Command @'
Set-CimaaFault -Agent auto -Name disk -Severity Error
(Get-CimaaFault).Agent
(Get-Command Get-CimaaFault).Source
(Get-Module -ListAvailable Cimaa).Name
'@

        $db = New-TestPath 'reimport.db'
        $prefix = New-TestPrefix
        $endpoint = $script:Dynalite.Endpoint
        $script:Reimport = Start-TestPwsh -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module '$script:ModulePath'
Connect-Cimaa -Path '$db'
Set-CimaaFault -Agent local1 -Name disk -Severity Error
Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix
Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null
Set-CimaaFault -Agent dynamo1 -Name load -Severity Warning
Remove-Module Cimaa
if (Get-Command Get-CimaaFault -ErrorAction SilentlyContinue) { 'still loaded' }
Import-Module '$script:ModulePath'
(Get-CimaaFault -Connection (Connect-Cimaa -Path '$db' -PassThru)).Agent
(Get-CimaaFault -Connection (Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix -PassThru)).Agent
Connect-Cimaa -Path '$db'
Set-CimaaFault -Agent local2
(Get-CimaaAgent).Agent -join ','
"@

        $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
        $script:OldSdk = Join-Path $packages 'awssdk.core/3.7.402/lib/net8.0/AWSSDK.Core.dll'
        $prefix = New-TestPrefix
        $script:BesideOldSdk = Start-TestPwsh -Command @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$script:OldSdk'
[Amazon.Runtime.AWSCredentials].Assembly.GetName().Version.ToString()
Import-Module '$script:ModulePath'
Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix
Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null
Set-CimaaFault -Agent web1 -Name disk -Severity Error
(Get-CimaaFault).Name
([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { `$_.GetName().Version.Major } | Sort-Object) -join ','
[Amazon.Runtime.BasicAWSCredentials]::new('AKIDOLD', 'secret').GetCredentials().AccessKey
"@
    }

    It 'exports the cmdlets its manifest lists' {
        $manifest = Test-ModuleManifest $script:ModulePath
        $loaded = Get-Module Cimaa

        $manifest.Name | Should -Be 'Cimaa'
        $manifest.Version | Should -Be $loaded.Version
        @($loaded.ExportedCmdlets.Keys).Count | Should -BeGreaterThan 0
        @($manifest.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($loaded.ExportedCmdlets.Keys | Sort-Object)
        @(Get-Command -Module Cimaa -CommandType Cmdlet).Count | Should -Be @($loaded.ExportedCmdlets.Keys).Count
    }

    It 'supports -WhatIf and -Confirm on every cmdlet that writes, asking first before a removal' {
        $writers = 'Add-CimaaSquelch', 'Initialize-CimaaTable', 'Remove-CimaaAgent', 'Remove-CimaaConfig', 'Remove-CimaaFault',
            'Remove-CimaaSquelch', 'Set-CimaaConfig', 'Set-CimaaFault', 'Write-CimaaMetric', 'Export-CimaaDatabase', 'Export-CimaaReport', 'Import-CimaaDatabase',
            'New-CimaaAccessKey', 'Set-CimaaAccessKey', 'Remove-CimaaAccessKey'
        foreach ($c in Get-Command -Module Cimaa) {
            $attr = $c.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
            $expected = if ($c.Name -like 'Remove-*') { 'High' } else { 'Medium' }
            if ($c.Name -in $writers) {
                $c.Parameters.Keys | Should -Contain 'WhatIf' -Because $c.Name
                $attr.ConfirmImpact | Should -Be $expected -Because $c.Name
            }
            else {
                $c.Parameters.Keys | Should -Not -Contain 'WhatIf' -Because "$($c.Name) writes nothing"
            }
        }
    }

    It 'loads by name from PSModulePath on first use, without Import-Module' {
        $r = Wait-TestPwsh $script:Autoload

        $r.Error | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Be @('auto', 'Cimaa', 'Cimaa')
        (Get-CimaaFault -Connection (Connect-Cimaa -Path $script:AutoDb -PassThru)).Name | Should -Be 'disk'
    }

    It 'works again after Remove-Module and a fresh Import-Module in one session, on both stores' {
        $r = Wait-TestPwsh $script:Reimport

        $r.Error | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Be @('local1', 'dynamo1', 'local1,local2')
    }

    It 'works beside an AWSSDK.Core 3.7 loaded first with Add-Type' {
        Test-Path $script:OldSdk | Should -BeTrue -Because 'the xunit test project downloads AWSSDK.Core 3.7.402 (dotnet restore tests/Cimaa.PowerShell.Tests)'
        $r = Wait-TestPwsh $script:BesideOldSdk

        $r.Error | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $r.Output | Should -Be @('3.3.0.0', 'disk', '3,4', 'AKIDOLD')
    }
}

Describe 'Tab completion on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
        Set-CimaaFault -Agent web1 -Name disk -Severity Error
        Set-CimaaFault -Agent web2
        Set-CimaaFault -Agent db1
        Set-CimaaFault -Agent 'lab host'
        Add-CimaaSquelch -Pattern '^http#' -Reason r
        Add-CimaaSquelch -Pattern disk -Reason r
        Set-CimaaConfig prod db -Value @{ host = 'db1' }
        Set-CimaaConfig prod web -Value @{ host = 'web1' }
        Set-CimaaConfig staging db -Value @{ host = 'db2' }
    }

    It 'completes agent names from the heartbeats after -Agent' {
        Get-Completion 'Get-CimaaFault -Agent we' | Should -Be @('web1', 'web2')
        Get-Completion 'Remove-CimaaAgent -Agent d' | Should -Be @('db1')
        Get-Completion 'Set-CimaaFault -Agent lab' | Should -Be @("'lab host'")
    }

    It 'completes squelch patterns after -Pattern' {
        Get-Completion 'Remove-CimaaSquelch -Pattern ^' | Should -Be @('^http#')
        Get-Completion 'Test-CimaaSquelch -Pattern di' | Should -Be @('disk')
    }

    It 'completes config stores, and the options of the store typed' {
        Get-Completion 'Get-CimaaConfig -Store ' | Should -Be @('prod', 'staging')
        Get-Completion 'Get-CimaaConfig -Store prod -Option ' | Should -Be @('db', 'web')
    }

    It 'completes from the connection given with -Connection' {
        $other = Connect-Cimaa -Path (New-TestPath 'other.db') -PassThru
        Set-CimaaFault -Connection $other -Agent elsewhere

        Get-Completion 'Get-CimaaFault -Connection $other -Agent e' | Should -Be @('elsewhere')
    }
}

Describe 'Tab completion in a fresh session' {
    BeforeAll {
        $script:Db = New-TestPath 'complete.db'
        $c = Connect-Cimaa -Path $script:Db -PassThru
        Set-CimaaFault -Connection $c -Agent web1 -Name disk -Severity Error
        Set-CimaaFault -Connection $c -Agent web2
        Add-CimaaSquelch -Connection $c -Pattern disk -Reason r
    }

    It 'completes from $env:CIMAA_DB when that file exists' {
        $found = Invoke-InFreshSession @{ CIMAA_DB = $script:Db; CIMAA_CONFIG = $null } {
            param($ps)
            Get-Completion 'Get-CimaaFault -Agent we' $ps
            Get-Completion 'Get-CimaaSquelch -Pattern d' $ps
        }

        $found | Should -Be @('web1', 'web2', 'disk')
    }

    It 'offers nothing and creates no file when $env:CIMAA_DB does not exist' {
        $missing = New-TestPath 'never.db'
        $found = Invoke-InFreshSession @{ CIMAA_DB = $missing; CIMAA_CONFIG = $null } {
            param($ps)
            Get-Completion 'Get-CimaaFault -Agent we' $ps
        }

        $found | Should -BeNullOrEmpty
        Test-Path $missing | Should -BeFalse
    }

    It 'completes from $env:CIMAA_CONFIG when its tables exist' {
        $prefix = New-TestPrefix
        $c = Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix $prefix -PassThru
        Initialize-CimaaTable -Connection $c -WarningAction SilentlyContinue | Out-Null
        Set-CimaaFault -Connection $c -Agent cfg1
        $cfg = New-TestPath 'complete.cfg'
        Set-Content $cfg "[database]`nclass = zc.cimaa.dynamodb`nregion = us-east-1`nprefix = $prefix`nendpoint_url = $($script:Dynalite.Endpoint)`n"

        $found = Invoke-InFreshSession @{ CIMAA_CONFIG = $cfg; CIMAA_DB = $null } {
            param($ps)
            Get-Completion 'Get-CimaaAgent -Agent c' $ps
        }

        $found | Should -Be @('cfg1')
    }
}
