#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Connecting, the implicit connection, creating tables, and what goes wrong with them: the examples of
# Connect-Cimaa, Get-CimaaConnection and Initialize-CimaaTable.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function Invoke-InNewRunspace([string]$Script) {
        # Runs a script in a new runspace of this process: a fresh session with no Connect-Cimaa.
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$script:ModulePath'`n$Script")
            $out = $ps.Invoke()
            if ($ps.Streams.Error.Count) { throw $ps.Streams.Error[0] }
            $out
        }
        finally { $ps.Dispose() }
    }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Connect-Cimaa and Get-CimaaConnection' {
    It 'connects to a local SQLite file, resolving a relative path (Connect-Cimaa example 1)' {
        $dir = New-TestPath 'docs'
        $null = New-Item -ItemType Directory $dir
        Push-Location $dir
        try { $c = Connect-Cimaa -Path ./cimaa.db -PassThru }
        finally { Pop-Location }

        $c.Kind | Should -Be 'Local'
        $c.Path | Should -Be (Join-Path $dir 'cimaa.db')
        Test-Path (Join-Path $dir 'cimaa.db') | Should -BeTrue
        ($c | ConvertTo-TestTable)[0] | Should -Match '^Kind\s+Path\s+Region\s+TablePrefix\s+EndpointUrl$'
        ($c | ConvertTo-TestTable)[2] | Should -Be "Local $(Join-Path $dir 'cimaa.db')"
    }

    It 'creates the SQLite file at once, readable by its owner only' {
        $path = New-TestPath 'mode'
        Connect-Cimaa -Path $path

        Test-Path $path | Should -BeTrue
        if (-not $IsWindows) { (Get-Item $path).UnixFileMode | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite') }
    }

    It 'refuses a path whose folder does not exist, and creates nothing' {
        $path = Join-Path (New-TestPath 'missing') 'cimaa.db'

        { Connect-Cimaa -Path $path } | Should -Throw -ErrorId 'InvalidConnection*'
        Test-Path (Split-Path $path) | Should -BeFalse
    }

    It 'connects to a DynamoDB endpoint and creates the tables (Connect-Cimaa example 2)' {
        $prefix = New-TestPrefix
        $c = Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix $prefix -PassThru
        $t = Initialize-CimaaTable -WarningAction SilentlyContinue

        $c.Kind | Should -Be 'DynamoDB'
        $c.TablePrefix | Should -Be "$prefix."
        $c.EndpointUrl | Should -Be ([uri]"$($script:Dynalite.Endpoint)/")
        $t.Table | Should -Contain "$prefix.faults"
        $t.Table | Should -Contain "$prefix.squelches"
        $t.Table | Should -Contain "$prefix.config"
        $t.Status | Select-Object -Unique | Should -Be 'Created'
        ($t | Where-Object Table -EQ "$prefix.faults").KeySchema | Should -Be 'agent (HASH S), name (RANGE S)'
        ($t | Where-Object Table -EQ "$prefix.config").KeySchema | Should -Be '_store (HASH S), _option (RANGE S)'
    }

    It 'keeps a prefix that already ends with a dot' {
        (Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix 'team.' -PassThru).TablePrefix | Should -Be 'team.'
    }

    It 'uses the database of a zc.cimaa agent config file (Connect-Cimaa example 3)' {
        $cfg = New-TestPath 'agent.cfg'
        Set-Content $cfg "[agent]`nname = web1`n`n[database]`nclass = zc.cimaa.dynamodb`nregion = us-east-1`nprefix = prod`nendpoint_url = $($script:Dynalite.Endpoint)`n"
        $c = Connect-Cimaa -ConfigFile $cfg -PassThru

        $c.Kind | Should -Be 'DynamoDB'
        $c.Region | Should -Be 'us-east-1'
        $c.TablePrefix | Should -Be 'prod.'
        $c.EndpointUrl.Port | Should -Be $script:Dynalite.Port
    }

    It 'uses a SQLite path from a config file' {
        $db = New-TestPath 'cfg.db'
        $cfg = New-TestPath 'local.cfg'
        Set-Content $cfg "[database]`nclass = cimaa.sqlite`npath = $db`n"

        (Connect-Cimaa -ConfigFile $cfg -PassThru).Path | Should -Be $db
    }

    It 'rejects a config file without a usable database section' {
        $cfg = New-TestPath 'bad.cfg'
        Set-Content $cfg "[database]`nclass = something.else`n"

        { Connect-Cimaa -ConfigFile $cfg } | Should -Throw -ErrorId 'InvalidConfigFile*'
    }

    It 'shows the current connection (Get-CimaaConnection example 1)' {
        $path = New-TestPath 'show.db'
        Connect-Cimaa -Path $path
        $c = Get-CimaaConnection

        $c.PSObject.TypeNames[0] | Should -Be 'Cimaa.CimaaConnection'
        $c.Path | Should -Be $path
        $c.Region | Should -BeNullOrEmpty
    }

    It 'never shows a secret given with -Credential, in any rendering' {
        $secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY'
        $cred = [pscredential]::new('AKIDPESTEREXAMPLE', (ConvertTo-SecureString $secret -AsPlainText -Force))
        $c = Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix) -Credential $cred -PassThru
        $xml = New-TestPath 'conn.xml'
        $c | Export-Clixml $xml

        $text = @(
            $c | Format-List * | Out-String
            $c | Format-Table * | Out-String
            $c | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            "$c"
            Get-Content -Raw $xml
        ) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($secret))
        $text | Should -Match 'DynamoDB'
    }

    It 'never shows a secret from a config file, even in errors' {
        $secret = 'S3cretFromIniFileEXAMPLE0123456789'
        $cfg = New-TestPath 'secret.cfg'
        Set-Content $cfg "[database]`nclass = zc.cimaa.dynamodb`nregion = us-east-1`nprefix = nosuchprefix`naws_access_key_id = AKIDINI`naws_secret_access_key = $secret`nendpoint_url = $($script:Dynalite.Endpoint)`n"
        $c = Connect-Cimaa -ConfigFile $cfg -PassThru
        $err = $null
        try { Get-CimaaFault } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'TableNotFound*'
        (($c | Format-List * | Out-String) + ($err | Format-List * -Force | Out-String)) | Should -Not -Match $secret
    }
}

Describe 'Request counts on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    It 'counts the requests a command sent (Get-CimaaConnection example 2)' {
        $c = Connect-TestStore $Store
        foreach ($a in 'web1', 'web2', 'db1', 'mail1') { Set-CimaaFault -Agent $a -Name disk -Severity 40 }
        $total = $c.RequestCount
        $before = @{} + $c.Requests

        Get-CimaaFault | Out-Null

        $after = $c.Requests
        $c.RequestCount - $total | Should -Be 6
        if ($Store -eq 'Local') {
            $after.SelectFaults - $before.SelectFaults | Should -Be 4
            $after.SelectHeartbeats - $before.SelectHeartbeats | Should -Be 1
            $after.SelectSquelches - [int]$before.SelectSquelches | Should -Be 1
        }
        else {
            $after.Query - $before.Query | Should -Be 5
            $after.Scan - [int]$before.Scan | Should -Be 1
        }
    }
}

Describe 'Initialize-CimaaTable' {
    It 'creates the tables of a new SQLite file, then finds them (Initialize-CimaaTable example 1)' {
        Connect-Cimaa -Path (New-TestPath 'init.db')
        $first = Initialize-CimaaTable
        $again = Initialize-CimaaTable

        $first[0].PSObject.TypeNames[0] | Should -Be 'Cimaa.TableStatus'
        $first.Table[0..3] | Should -Be @('faults', 'heartbeats', 'squelches', 'config')
        $first.Status | Select-Object -Unique | Should -Be 'Created'
        $first[3].KeySchema | Should -Be 'store, option'
        $again.Status | Select-Object -Unique | Should -Be 'Exists'
        ($first | ConvertTo-TestTable)[0] | Should -Match '^Table\s+Status\s+KeySchema$'
    }

    It 'only validates existing DynamoDB tables, whatever the billing mode asked (Initialize-CimaaTable example 2)' {
        Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix)
        Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null
        $t = Initialize-CimaaTable -BillingMode Provisioned -ReadCapacity 10 -WriteCapacity 5 -WarningAction SilentlyContinue

        $t.Status | Select-Object -Unique | Should -Be 'Exists'
    }

    It 'creates provisioned tables when asked' {
        $prefix = New-TestPrefix
        Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix $prefix
        Initialize-CimaaTable -BillingMode Provisioned -ReadCapacity 10 -WriteCapacity 5 -WarningAction SilentlyContinue | Out-Null

        $d = Invoke-TestDynamo DescribeTable @{ TableName = "$prefix.faults" }
        $d.Table.ProvisionedThroughput.ReadCapacityUnits | Should -Be 10
        $d.Table.ProvisionedThroughput.WriteCapacityUnits | Should -Be 5
    }

    It 'warns about TTL once, not on every run' {
        Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix)
        Initialize-CimaaTable -WarningVariable first -WarningAction SilentlyContinue | Out-Null
        Initialize-CimaaTable -WarningVariable again -WarningAction SilentlyContinue | Out-Null

        @($first | Where-Object { "$_" -match 'TTL' }).Count | Should -BeGreaterThan 0
        @($again | Where-Object { "$_" -match 'TTL' }).Count | Should -Be 0
    }

    It 'names the table and both key schemas when a table has the wrong keys' {
        $prefix = New-TestPrefix
        $null = Invoke-TestDynamo CreateTable @{
            TableName = "$prefix.faults"; BillingMode = 'PAY_PER_REQUEST'
            AttributeDefinitions = @(@{ AttributeName = 'id'; AttributeType = 'S' }); KeySchema = @(@{ AttributeName = 'id'; KeyType = 'HASH' })
        }
        Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix $prefix
        $err = $null
        try { Initialize-CimaaTable -WarningAction SilentlyContinue } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'MisconfiguredSchema*'
        $err.Exception.Message | Should -Match "$prefix\.faults"
        $err.Exception.Message | Should -Match 'id'
        $err.Exception.Message | Should -Match 'agent'
    }

    It 'creates nothing with -WhatIf' {
        Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix)
        Initialize-CimaaTable -WhatIf

        { Get-CimaaFault -ErrorAction Stop } | Should -Throw -ErrorId 'TableNotFound*'
    }

    It 'tells to run Initialize-CimaaTable when DynamoDB tables are missing' {
        Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix)

        { Get-CimaaFault -ErrorAction Stop } | Should -Throw -ErrorId 'TableNotFound*'
    }

    It 'works on SQLite without Initialize-CimaaTable' {
        Connect-Cimaa -Path (New-TestPath 'noinit.db')
        Set-CimaaFault -Agent web1 -Name disk -Severity 40

        (Get-CimaaFault).Name | Should -Be 'disk'
    }
}

Describe 'Connections side by side and implicit' {
    It 'copies faults from a SQLite file to DynamoDB with -Connection' {
        $local = Connect-Cimaa -Path (New-TestPath 'from.db') -PassThru
        $dynamo = Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix) -PassThru
        Initialize-CimaaTable -Connection $dynamo -WarningAction SilentlyContinue | Out-Null
        @(
            [pscustomobject]@{ Name = 'disk'; Severity = 40; Message = 'full' }
            [pscustomobject]@{ Name = 'load'; Severity = 30 }
        ) | Set-CimaaFault -Agent web1 -Connection $local

        Get-CimaaFault -Connection $local | Set-CimaaFault -Connection $dynamo

        (Get-CimaaFault -Connection $dynamo).Name | Should -Be @('disk', 'load')
        (Get-CimaaFault -Connection $dynamo -Name disk).Message | Should -Be 'full'
        (Get-CimaaConnection).Kind | Should -Be 'DynamoDB'
    }

    It 'uses $env:CIMAA_DB in a session that never connected' {
        $db = New-TestPath 'env.db'
        $saved = $env:CIMAA_DB
        $env:CIMAA_DB = $db
        try {
            $path = Invoke-InNewRunspace 'Set-CimaaFault -Agent envagent -Name x -Severity 30; (Get-CimaaConnection).Path'
        }
        finally { $env:CIMAA_DB = $saved }

        $path | Should -Be $db
        (Get-CimaaFault -Connection (Connect-Cimaa -Path $db -PassThru)).Agent | Should -Be 'envagent'
    }

    It 'uses $env:CIMAA_CONFIG in a session that never connected' {
        $prefix = New-TestPrefix
        $cfg = New-TestPath 'env.cfg'
        Set-Content $cfg "[database]`nclass = zc.cimaa.dynamodb`nregion = us-east-1`nprefix = $prefix`nendpoint_url = $($script:Dynalite.Endpoint)`n"
        $saved = $env:CIMAA_CONFIG
        $env:CIMAA_CONFIG = $cfg
        try {
            $out = Invoke-InNewRunspace 'Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null; Set-CimaaFault -Agent cfgagent; (Get-CimaaConnection).TablePrefix'
        }
        finally { $env:CIMAA_CONFIG = $saved }

        $out | Should -Be "$prefix."
        (Get-CimaaAgent -Connection (Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix $prefix -PassThru)).Agent | Should -Be 'cfgagent'
    }

    It 'names the cause and the endpoint when DynamoDB cannot be reached' {
        $port = Get-FreeTcpPort
        $c = Connect-Cimaa -EndpointUrl "http://127.0.0.1:$port" -TablePrefix unreachable -MaxReadAttempts 2 -PassThru
        $err = $null
        try { Get-CimaaFault -Connection $c -WarningVariable w -WarningAction SilentlyContinue } catch { $err = $_ }

        $err.FullyQualifiedErrorId | Should -BeLike 'DynamoDbUnavailable*'
        $err.Exception.Message | Should -Match "127\.0\.0\.1:$port"
        $w.Count | Should -Be 1
        "$($w[0])" | Should -BeLike "cannot reach DynamoDB at http://127.0.0.1:$port*waiting * seconds"
        "$($w[0])" | Should -Not -BeLike '*provisioned throughput*'
    }
}
