#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The configuration store on both stores: the examples of Get-, Set- and Remove-CimaaConfig, and what people do
# with the values (read them as properties, serialize them, copy a store).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null
    $script:DbValue = @{ host = 'db1.example.org'; port = 5432; replicas = 'db2', 'db3'; pool = @{ min = 2; max = 20 } }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Configuration on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        Connect-TestStore $Store | Out-Null
    }
    BeforeEach {
        foreach ($s in 'prod', 'staging') {
            Get-CimaaConfig $s | Remove-CimaaConfig -Confirm:$false
        }
        Set-CimaaConfig prod db -Value $script:DbValue
        Set-CimaaConfig prod web -Value @{ host = 'web.example.org'; workers = 8 }
    }

    It 'replaces an option and returns it with -PassThru (Set-CimaaConfig example 1)' {
        $o = Set-CimaaConfig prod db -Value $script:DbValue -PassThru

        $o.PSObject.TypeNames[0] | Should -Be 'Cimaa.ConfigOption'
        $o.Store | Should -Be 'prod'
        $o.Option | Should -Be 'db'
        @($o.Values.Keys) | Should -Be @('host', 'pool', 'port', 'replicas')
        ($o | ConvertTo-TestTable)[2] | Should -Be 'prod  db     host=db1.example.org; pool={max, min}; port=5432; replicas=[db2, db3]'
    }

    It 'reads one option (Get-CimaaConfig example 1)' {
        $lines = Get-CimaaConfig prod db | ConvertTo-TestTable

        $lines[0] | Should -Match '^Store\s+Option\s+Values$'
        $lines[2] | Should -Be 'prod  db     host=db1.example.org; pool={max, min}; port=5432; replicas=[db2, db3]'
    }

    It 'reads each key of Values as a property (Get-CimaaConfig example 2)' {
        $v = (Get-CimaaConfig prod db).Values

        $v.host | Should -Be 'db1.example.org'
        $v.HOST | Should -Be 'db1.example.org'
        $v.port | Should -Be 5432
        $v.port + 1 | Should -Be 5433
        $v.replicas | Should -Be @('db2', 'db3')
        $v.pool.max | Should -Be 20
    }

    It 'reads a whole store as a hashtable, cached with -MaxAge (Get-CimaaConfig example 3)' {
        $c = Get-CimaaConnection
        $config = Get-CimaaConfig prod -AsHashtable -MaxAge 300
        $config.db.port | Should -Be 5432
        $config.web.host | Should -Be 'web.example.org'

        $sent = $c.RequestCount
        (Get-CimaaConfig prod db -MaxAge 300).Values.host | Should -Be 'db1.example.org'
        $c.RequestCount | Should -Be $sent
    }

    It 'keeps only the keys asked for and leaves out missing ones (Get-CimaaConfig example 4)' {
        $h = Get-CimaaConfig prod db, web -Key host, missing -AsHashtable

        $h.Count | Should -Be 2
        $h[0].host | Should -Be 'db1.example.org'
        $h[1].host | Should -Be 'web.example.org'
        @($h[0].Keys) | Should -Be @('host')
    }

    It 'changes one key and keeps the others with -Merge (Set-CimaaConfig example 2)' {
        $o = Set-CimaaConfig prod db -Value @{ port = 6432 } -Merge -PassThru

        ($o | ConvertTo-TestTable)[2] | Should -Be 'prod  db     host=db1.example.org; pool={max, min}; port=6432; replicas=[db2, db3]'
        (Get-CimaaConfig prod db).Values.port | Should -Be 6432
    }

    It 'replaces the whole option without -Merge' {
        Set-CimaaConfig prod db -Value @{ port = 6432 }

        @((Get-CimaaConfig prod db).Values.Keys) | Should -Be @('port')
    }

    It 'previews copying a store with -WhatIf and writes nothing (Set-CimaaConfig example 3)' {
        Get-CimaaConfig prod | Set-CimaaConfig -Store staging -WhatIf

        Get-CimaaConfig staging | Should -BeNullOrEmpty
    }

    It 'copies a store through the pipeline' {
        Get-CimaaConfig prod | Set-CimaaConfig -Store staging

        (Get-CimaaConfig staging).Option | Should -Be @('db', 'web')
        (Get-CimaaConfig staging db).Values.replicas | Should -Be @('db2', 'db3')
    }

    It 'removes one option (Remove-CimaaConfig example 1)' {
        Remove-CimaaConfig prod web -Confirm:$false

        (Get-CimaaConfig prod).Option | Should -Be 'db'
    }

    It 'previews emptying a store, then empties it (Remove-CimaaConfig example 2)' {
        Get-CimaaConfig prod | Set-CimaaConfig -Store staging
        Get-CimaaConfig staging | Remove-CimaaConfig -WhatIf
        (Get-CimaaConfig staging).Count | Should -Be 2

        Get-CimaaConfig staging | Remove-CimaaConfig -Confirm:$false
        Get-CimaaConfig staging | Should -BeNullOrEmpty
        (Get-CimaaConfig prod).Count | Should -Be 2
    }

    It 'reports a missing option as a non-terminating ConfigOptionNotFound' {
        $o = Get-CimaaConfig prod nosuch, db -ErrorVariable err -ErrorAction SilentlyContinue

        $o.Option | Should -Be 'db'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ConfigOptionNotFound*'
        Remove-CimaaConfig prod nosuch -Confirm:$false -ErrorVariable err2 -ErrorAction SilentlyContinue
        $err2[0].FullyQualifiedErrorId | Should -BeLike 'ConfigOptionNotFound*'
    }

    It 'matches store and option names case-sensitively' {
        Get-CimaaConfig PROD | Should -BeNullOrEmpty
        Get-CimaaConfig prod DB -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'rejects a reserved key with InvalidConfigValue and writes nothing' {
        { Set-CimaaConfig prod other -Value @{ _store = 'x' } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidConfigValue*'
        { Set-CimaaConfig prod other -Value @{ when = [datetime]::Now } -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidConfigValue*'
        (Get-CimaaConfig prod).Option | Should -Not -Contain 'other'
    }

    It 'prints and serializes a whole number as it was given' {
        $v = (Get-CimaaConfig prod web).Values

        "$($v.workers)" | Should -Be '8'
        $v | ConvertTo-Json -Compress | Should -Be '{"host":"web.example.org","workers":8}'
        (Get-CimaaConfig prod db).Values | ConvertTo-Json -Compress | Should -Be '{"host":"db1.example.org","pool":{"max":20,"min":2},"port":5432,"replicas":["db2","db3"]}'
    }

    It 'keeps a decimal fraction exact' {
        Set-CimaaConfig prod tuning -Value @{ ratio = 0.1; scale = [decimal]'2.50' }
        $v = (Get-CimaaConfig prod tuning).Values

        $v.ratio | Should -Be ([decimal]'0.1')
        $v.scale | Should -Be ([decimal]'2.5')
    }

    It 'accepts a hashtable from ConvertFrom-Json -AsHashtable as the value' {
        $value = '{"host":"json.example.org","ports":[1,2]}' | ConvertFrom-Json -AsHashtable
        Set-CimaaConfig prod json -Value $value

        (Get-CimaaConfig prod json).Values.ports | Should -Be @(1, 2)
    }
}
