#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Access keys on both stores: create, list, change, disable and remove them, the secret shown once and never again; the
# examples of New-, Get-, Set- and Remove-CimaaAccessKey. Then a Server connection against a small fake KairosDB server
# on 127.0.0.1 (an HttpListener in a thread job): the examples of Connect-Cimaa -ServerUrl.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    Start-TestDynalite | Out-Null

    function Connect-Again($Connection) {
        # Makes a store connection the session default again after a test connected elsewhere.
        if ($Connection.Kind -eq 'Local') { Connect-Cimaa -Path $Connection.Path }
        else { Connect-Cimaa -EndpointUrl $Connection.EndpointUrl -TablePrefix $Connection.TablePrefix }
    }

    function Start-TestKairos {
        # A fake metrics server: records each request and answers 204, or 200 with {"results":[..]} for metricnames.
        $port = Get-FreeTcpPort
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        $requests = [System.Collections.Concurrent.ConcurrentQueue[object]]::new()
        $job = Start-ThreadJob -ArgumentList $listener, $requests -ScriptBlock {
            param($listener, $requests)
            while ($listener.IsListening) {
                try { $context = $listener.GetContext() } catch { break }
                $body = [System.IO.StreamReader]::new($context.Request.InputStream).ReadToEnd()
                $requests.Enqueue([pscustomobject]@{
                    Method = $context.Request.HttpMethod
                    Path = $context.Request.Url.AbsolutePath
                    Authorization = $context.Request.Headers['Authorization']
                    ContentSha256 = $context.Request.Headers['X-Amz-Content-Sha256']
                    Body = $body
                })
                if ($context.Request.Url.AbsolutePath -like '*/metricnames') {
                    $bytes = [Text.Encoding]::UTF8.GetBytes('{"results":["deploys"]}')
                    $context.Response.ContentType = 'application/json'
                    $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                }
                else { $context.Response.StatusCode = 204 }
                $context.Response.Close()
            }
        }
        [pscustomobject]@{ Url = "http://127.0.0.1:$port"; Listener = $listener; Requests = $requests; Job = $job }
    }

    function Stop-TestKairos($Server) {
        if (-not $Server) { return }
        $Server.Listener.Stop()
        $Server.Listener.Close()
        Stop-Job $Server.Job
        Remove-Job $Server.Job -Force
    }
}

AfterAll {
    Stop-TestDynalite
    Remove-TestRoot
}

Describe 'Access keys on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) {
    BeforeAll {
        $script:Conn = Connect-TestStore $Store
    }
    BeforeEach {
        Get-CimaaAccessKey | Remove-CimaaAccessKey -Confirm:$false
    }

    Context 'creating' {
        It 'creates a key that writes one domain, with its secret this once (New-CimaaAccessKey example 1)' {
            $k = New-CimaaAccessKey -Permission web:w -Description 'collectd on web1'

            $k.PSObject.TypeNames[0] | Should -Be 'Cimaa.NewAccessKey'
            $k.AccessKeyId | Should -MatchExactly '^[A-Z0-9]{20}$'
            $k.SecretAccessKey | Should -MatchExactly '^[A-Za-z0-9+/]{40}$'
            $k.Permissions | Should -Be @('web:w')
            $k.Description | Should -Be 'collectd on web1'
            $k.Created | Should -BeOfType [DateTimeOffset]
            $shown = $k | Format-List | Out-String -Width 200
            $shown | Should -Match "SecretAccessKey : $([regex]::Escape($k.SecretAccessKey))"
            (Get-CimaaAccessKey $k.AccessKeyId).State | Should -Be 'Active'
        }

        It 'grants every domain with -Force (New-CimaaAccessKey example 2)' {
            $k = New-CimaaAccessKey -Permission '*:r' -Description grafana -Force

            $k.Permissions | Should -Be @('*:r')
            (Get-CimaaAccessKey).Description | Should -Be 'grafana'
        }

        It 'keeps a new key in a credential and connects to a server with it (New-CimaaAccessKey example 3)' {
            $key = New-CimaaAccessKey -Permission app:rw -Description 'deploy scripts'
            $cred = [pscredential]::new($key.AccessKeyId, (ConvertTo-SecureString $key.SecretAccessKey -AsPlainText -Force))
            $file = New-TestPath 'key.xml'
            $cred | Export-Clixml $file
            try {
                $c = Connect-Cimaa -ServerUrl http://metrics.example.org:8080 -Credential (Import-Clixml $file) -PassThru

                $key.Permissions | Should -Be @('app:r', 'app:w')
                $c.Kind | Should -Be 'Server'
                $c.AccessKeyId | Should -Be $key.AccessKeyId
                ($c | ConvertTo-TestTable)[2] | Should -Be 'Server      us-west-2             http://metrics.example.org:8080/'
            }
            finally { Connect-Again $script:Conn }
        }

        It 'refuses an invalid permission and creates nothing (New-CimaaAccessKey example 4)' {
            { New-CimaaAccessKey -Permission web:write } |
                Should -Throw -ErrorId 'InvalidPermission*' -ExpectedMessage "'web:write' is not a permission: give <domain>:r, <domain>:w or <domain>:rw*"
            Get-CimaaAccessKey | Should -BeNullOrEmpty
        }

        It 'creates keys from CSV rows, checking every row before writing any' {
            $csv = New-TestPath 'keys.csv'
            @([pscustomobject]@{ Permission = 'a:r'; Description = 'one' }, [pscustomobject]@{ Permission = 'b:rw'; Description = 'two' }) |
                Export-Csv $csv
            $made = Import-Csv $csv | New-CimaaAccessKey

            $made.Count | Should -Be 2
            (Get-CimaaAccessKey | Sort-Object Description).Permissions | Should -Be @('a:r', 'b:r', 'b:w')
            Get-CimaaAccessKey | Remove-CimaaAccessKey -Confirm:$false

            @([pscustomobject]@{ Permission = 'a:r' }, [pscustomobject]@{ Permission = 'b:' }) | Export-Csv $csv
            { Import-Csv $csv | New-CimaaAccessKey -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPermission*'
            Get-CimaaAccessKey | Should -BeNullOrEmpty
        }

        It 'previews with -WhatIf and writes nothing' {
            New-CimaaAccessKey -Permission a:r -WhatIf
            New-CimaaAccessKey -Permission '*:w' -WhatIf

            Get-CimaaAccessKey | Should -BeNullOrEmpty
        }
    }

    Context 'listing' {
        BeforeEach {
            $script:Web = New-CimaaAccessKey -Permission web:w -Description 'collectd on web1'
            $script:Graf = New-CimaaAccessKey -Permission '*:r' -Description grafana -Force
            $script:App = New-CimaaAccessKey -Permission app:rw -Description 'deploy scripts'
        }

        It 'lists every key sorted by id, without secrets (Get-CimaaAccessKey example 1)' {
            $all = Get-CimaaAccessKey
            $lines = $all | ConvertTo-TestTable

            $all.AccessKeyId | Should -Be @($script:Web, $script:Graf, $script:App | ForEach-Object AccessKeyId | Sort-Object -CaseSensitive)
            $all[0].PSObject.TypeNames[0] | Should -Be 'Cimaa.AccessKey'
            $all[0].PSObject.Properties.Name | Should -Be @('AccessKeyId', 'Permissions', 'State', 'Created', 'Description')
            $lines[0] | Should -Match '^AccessKeyId\s+State\s+Created\s+Permissions\s+Description$'
            $lines | Should -Contain ($lines | Where-Object { $_ -match "^$($script:App.AccessKeyId) Active \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ app:r, app:w +deploy scripts$" })
            ($lines | Where-Object { $_ -like "$($script:App.AccessKeyId)*" }) | Should -Match 'app:r, app:w\s+deploy scripts$'
        }

        It 'gets keys by exact id and by case-sensitive wildcard (Get-CimaaAccessKey example 2)' {
            $prefix = $script:Web.AccessKeyId.Substring(0, 2)
            $got = Get-CimaaAccessKey $script:Graf.AccessKeyId, "$prefix*"

            $got.AccessKeyId | Should -Contain $script:Graf.AccessKeyId
            $got.AccessKeyId | Should -Contain $script:Web.AccessKeyId
            Get-CimaaAccessKey ($script:Web.AccessKeyId.ToLowerInvariant().Substring(0, 4) + '*') | Should -BeNullOrEmpty
            Get-CimaaAccessKey 'NOSUCHKEY00000000000' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AccessKeyNotFound*'
        }

        It 'finds the keys that may write a domain (Get-CimaaAccessKey example 3)' {
            (Get-CimaaAccessKey | Where-Object Permissions -Contains 'web:w').AccessKeyId | Should -Be $script:Web.AccessKeyId
        }

        It 'never shows a secret in a view, a format or an export' {
            $secrets = $script:Web, $script:Graf, $script:App | ForEach-Object SecretAccessKey
            $file = New-TestPath 'keys.xml'
            Get-CimaaAccessKey | Export-Clixml $file
            $texts = @(
                Get-CimaaAccessKey | Format-Table | Out-String -Width 300
                Get-CimaaAccessKey | Format-Table * -AutoSize | Out-String -Width 500
                Get-CimaaAccessKey | Format-List * | Out-String
                Get-CimaaAccessKey | ConvertTo-Json -Depth 5
                Get-CimaaAccessKey | ConvertTo-Csv
                Get-Content -Raw $file
                "$(Get-CimaaAccessKey)"
                Get-CimaaAccessKey | Select-Object * | Out-String
            ) -join "`n"

            $texts | Should -Match 'deploy scripts'
            foreach ($s in $secrets) { $texts.Contains($s) | Should -BeFalse }
        }
    }

    Context 'changing and removing' {
        BeforeEach {
            $script:Web = New-CimaaAccessKey -Permission web:w -Description 'collectd on web1'
            $script:Graf = New-CimaaAccessKey -Permission '*:r' -Description grafana -Force
            $script:App = New-CimaaAccessKey -Permission app:rw -Description 'deploy scripts'
        }

        It 'adds permissions (Set-CimaaAccessKey example 1)' {
            $k = Set-CimaaAccessKey $script:Web.AccessKeyId -AddPermission web:r, mail:w -PassThru

            $k.Permissions | Should -Be @('mail:w', 'web:r', 'web:w')
            (Get-CimaaAccessKey $script:Web.AccessKeyId).Permissions | Should -Be @('mail:w', 'web:r', 'web:w')
        }

        It 'disables a key and enables it again (Set-CimaaAccessKey example 2)' {
            Set-CimaaAccessKey $script:Graf.AccessKeyId -Disable
            (Get-CimaaAccessKey $script:Graf.AccessKeyId).State | Should -Be 'Inactive'

            Set-CimaaAccessKey $script:Graf.AccessKeyId -Enable
            (Get-CimaaAccessKey $script:Graf.AccessKeyId).State | Should -Be 'Active'
        }

        It 'replaces the permissions and the description (Set-CimaaAccessKey example 3)' {
            $k = Set-CimaaAccessKey $script:Web.AccessKeyId -Permission web:rw -Description 'collectd on web1 and web2' -PassThru

            $k.Permissions | Should -Be @('web:r', 'web:w')
            $k.Description | Should -Be 'collectd on web1 and web2'
        }

        It 'takes a permission from the keys found in the pipeline (Set-CimaaAccessKey example 4)' {
            $k = Get-CimaaAccessKey | Where-Object Description -Like 'deploy*' | Set-CimaaAccessKey -RemovePermission app:w -PassThru

            $k.AccessKeyId | Should -Be $script:App.AccessKeyId
            $k.Permissions | Should -Be @('app:r')
        }

        It 'leaves a key with no permission, and refuses a bad one with nothing changed' {
            (Set-CimaaAccessKey $script:App.AccessKeyId -Permission @() -PassThru).Permissions | Should -BeNullOrEmpty
            { Set-CimaaAccessKey $script:Web.AccessKeyId -AddPermission 'x:q' -Disable -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPermission*'
            (Get-CimaaAccessKey $script:Web.AccessKeyId).State | Should -Be 'Active'
        }

        It 'removes a key (Remove-CimaaAccessKey example 1)' {
            Remove-CimaaAccessKey $script:Graf.AccessKeyId -Confirm:$false

            (Get-CimaaAccessKey).AccessKeyId | Should -Not -Contain $script:Graf.AccessKeyId
            @(Get-CimaaAccessKey).Count | Should -Be 2
        }

        It 'removes every disabled key (Remove-CimaaAccessKey example 2)' {
            Set-CimaaAccessKey $script:Graf.AccessKeyId -Disable
            Get-CimaaAccessKey | Where-Object State -EQ Inactive | Remove-CimaaAccessKey -Confirm:$false

            (Get-CimaaAccessKey).AccessKeyId | Should -Be @($script:Web, $script:App | ForEach-Object AccessKeyId | Sort-Object -CaseSensitive)
        }

        It 'reports a key that does not exist and still removes the others (Remove-CimaaAccessKey example 3)' {
            Remove-CimaaAccessKey NOSUCHKEY00000000000, $script:App.AccessKeyId -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue

            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AccessKeyNotFound*'
            $err[0].Exception.Message | Should -Be "There is no access key 'NOSUCHKEY00000000000'."
            (Get-CimaaAccessKey).AccessKeyId | Should -Not -Contain $script:App.AccessKeyId
        }
    }
}

Describe 'Granting every domain in a host that cannot ask' {
    It 'stops with ConfirmationRequired and creates nothing, unless -Force' {
        $db = New-TestPath 'confirm.db'
        $r = Invoke-TestPwsh -Command @"
Import-Module '$script:ModulePath'; Connect-Cimaa -Path '$db'
try { New-CimaaAccessKey -Permission '*:w' } catch { 'stopped ' + `$_.FullyQualifiedErrorId }
@(Get-CimaaAccessKey).Count
(New-CimaaAccessKey -Permission '*:w' -Force).Permissions
"@

        $r.Output | Should -Be @('stopped ConfirmationRequired,Cimaa.PowerShell.Commands.NewCimaaAccessKeyCommand', '0', '*:w')
    }
}

Describe 'A Server connection' {
    BeforeAll {
        $script:Kairos = Start-TestKairos
        $script:Store = Connect-TestStore Local
        $script:Key = New-CimaaAccessKey -Permission app:w
        $script:Cred = [pscredential]::new($script:Key.AccessKeyId, (ConvertTo-SecureString $script:Key.SecretAccessKey -AsPlainText -Force))
    }
    AfterAll {
        Stop-TestKairos $script:Kairos
        Connect-Again $script:Store
    }

    It 'sends metrics through a metrics server with a signed request (Connect-Cimaa example 4)' {
        $c = Connect-Cimaa -ServerUrl $script:Kairos.Url -Credential $script:Cred -PassThru
        Write-CimaaMetric deploys 1 -Tags @{ app = 'shop' } -Domain app -Timestamp ([DateTimeOffset]::FromUnixTimeMilliseconds(1700000000000))
        $names = Get-CimaaMetricName -Domain app

        $c.Kind | Should -Be 'Server'
        $c.Region | Should -Be 'us-west-2'
        $names | Should -Be 'deploys'
        $sent = @($script:Kairos.Requests.ToArray())
        $sent.Count | Should -Be 2
        $sent[0].Method | Should -Be 'POST'
        $sent[0].Path | Should -Be '/api/v1/app/datapoints'
        $sent[0].Body | Should -Be '[{"name":"deploys","tags":{"app":"shop"},"datapoints":[[1700000000000,1]]}]'
        $sent[0].Authorization | Should -Match "^AWS4-HMAC-SHA256 Credential=$($script:Key.AccessKeyId)/\d{8}/us-west-2/amondawa/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$"
        $sent[1].Path | Should -Be '/api/v1/app/metricnames'
        $c.RequestCount | Should -Be 2
        ($c | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($script:Key.SecretAccessKey))
    }

    It 'stops the cmdlets that need the store itself with NotSupportedByConnection' {
        Connect-Cimaa -ServerUrl $script:Kairos.Url -Credential $script:Cred

        { Get-CimaaFault } | Should -Throw -ErrorId 'NotSupportedByConnection*'
        { Get-CimaaAccessKey } | Should -Throw -ErrorId 'NotSupportedByConnection*'
        { Initialize-CimaaTable } | Should -Throw -ErrorId 'NotSupportedByConnection*'
        { Get-CimaaSquelch -Connection $script:Store } | Should -Not -Throw
    }
}
