# Dot-sourced by each *.Tests.ps1 in its BeforeAll: imports the built module and defines the helpers the files share.
#
# Both stores: a file runs its Describe blocks once per store with
#     Describe 'Faults on <Store>' -ForEach @(@{ Store = 'Local' }, @{ Store = 'DynamoDB' }) { BeforeAll { Connect-TestStore $Store } }
# after starting one dynalite for the whole file (Start-TestDynalite in BeforeAll, Stop-TestDynalite in AfterAll).
# Every container gets a fresh SQLite file or a fresh table prefix. Everything lives under $script:TestRoot, which
# Remove-TestRoot deletes.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleDir = Join-Path $script:RepoRoot 'out/Cimaa'
$script:ModulePath = Join-Path $script:ModuleDir 'Cimaa.psd1'
$script:DocsDir = Join-Path $script:RepoRoot 'docs/cmdlets'
Import-Module $script:ModulePath -Force
$script:TestRoot = Join-Path ([System.IO.Path]::GetTempPath()) ('cimaa-pester-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory -Path $script:TestRoot
$script:Dynalite = $null
$script:Children = [System.Collections.Generic.List[object]]::new()
# The session starts on a file of its own, so that nothing ever reaches the user's default store.
$script:db = Join-Path $script:TestRoot 'cimaa.db'
Connect-Cimaa -Path $script:db

function Remove-TestRoot {
    # Stops any child pwsh still running, then deletes every file the tests made.
    foreach ($child in @($script:Children)) { Stop-TestProcess $child.Process }
    $script:Children.Clear()
    Remove-Item -LiteralPath $script:TestRoot -Recurse -Force -ErrorAction Ignore
}

function New-TestPath([string]$Name = 'item') {
    # A path under the test root that does not exist yet.
    Join-Path $script:TestRoot ("$Name-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-TestDynalite {
    # Starts dynalite in memory on a free 127.0.0.1 port and waits until GET / answers. Sets $script:Dynalite.
    $cli = Join-Path $script:RepoRoot 'tests/dynalite/node_modules/dynalite/cli.js'
    if (-not (Test-Path $cli)) { throw "dynalite is not installed: run 'npm ci' in tests/dynalite" }
    # Where the repository has it, a preload that ends dynalite when its standard input (held open here) closes,
    # so that even a cancelled or killed run leaves no dynalite behind.
    $guard = Join-Path $script:RepoRoot 'tests/dynalite/exit-with-parent.js'
    for ($try = 1; $try -le 3; $try++) {
        $port = Get-FreeTcpPort
        $psi = [System.Diagnostics.ProcessStartInfo]::new('node')
        if (Test-Path $guard) { $psi.ArgumentList.Add('--require'); $psi.ArgumentList.Add($guard) }
        foreach ($a in @($cli, '--host', '127.0.0.1', '--port', "$port", '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0')) {
            $psi.ArgumentList.Add($a)
        }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($psi)
        $process.BeginOutputReadLine()
        $process.BeginErrorReadLine()
        $endpoint = "http://127.0.0.1:$port"
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while (-not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) {
            try {
                $null = Invoke-RestMethod -Uri "$endpoint/" -TimeoutSec 2
                $script:Dynalite = [pscustomobject]@{ Id = $process.Id; Port = $port; Endpoint = $endpoint; Process = $process }
                return $script:Dynalite
            }
            catch { Start-Sleep -Milliseconds 50 }
        }
        Stop-TestProcess $process
    }
    throw 'dynalite did not start'
}

function Stop-TestDynalite {
    if ($script:Dynalite) {
        Stop-TestProcess $script:Dynalite.Process
        $script:Dynalite = $null
    }
}

function Stop-TestProcess([System.Diagnostics.Process]$Process) {
    # Stops one process we started (and its children), by its PID, and waits for it.
    if ($null -eq $Process) { return }
    try {
        if (-not $Process.HasExited) {
            $Process.Kill($true)
            $null = $Process.WaitForExit(10000)
        }
    }
    catch [System.InvalidOperationException] { }
    finally { $Process.Dispose() }
}

function Connect-TestStore {
    # Connects the session to a fresh store of the given kind, creates its tables and returns the connection.
    param([Parameter(Mandatory)][ValidateSet('Local', 'DynamoDB')][string]$Store)
    if ($Store -eq 'Local') {
        Connect-Cimaa -Path (New-TestPath 'store')
    }
    else {
        if (-not $script:Dynalite) { throw 'Start-TestDynalite first' }
        Connect-Cimaa -EndpointUrl $script:Dynalite.Endpoint -TablePrefix (New-TestPrefix)
    }
    Initialize-CimaaTable -WarningAction SilentlyContinue | Out-Null
    Get-CimaaConnection
}

function New-TestPrefix { 'p' + [guid]::NewGuid().ToString('N').Substring(0, 10) }

function Clear-TestStore {
    # Removes every agent, fault and squelch of the session's store.
    Get-CimaaAgent | Remove-CimaaAgent -Confirm:$false
    Get-CimaaSquelch | Remove-CimaaSquelch -Confirm:$false
}

# --- Seeding: states the cmdlets cannot make on the real clock (old heartbeats, old squelches), written as another
# --- agent or an older run would have written them.

function Invoke-TestSql {
    # Runs one statement on a Cimaa SQLite file through the module's own Microsoft.Data.Sqlite (its private load context).
    param([string]$Path, [string]$Sql, [hashtable]$Parameters = @{})
    $alc = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'Cimaa'
    $asm = $alc.Assemblies | Where-Object { $_.GetName().Name -eq 'Microsoft.Data.Sqlite' } | Select-Object -First 1
    if (-not $asm) { throw 'Microsoft.Data.Sqlite is not loaded yet: use a Local connection first' }
    $connection = [Activator]::CreateInstance($asm.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @("Data Source=$Path;Pooling=False"))
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        foreach ($k in $Parameters.Keys) {
            $value = if ($null -eq $Parameters[$k]) { [DBNull]::Value } else { $Parameters[$k] }
            $null = $command.Parameters.AddWithValue($k, $value)
        }
        $null = $command.ExecuteNonQuery()
    }
    finally { $connection.Dispose() }
}

function Invoke-TestDynamo {
    # Sends one DynamoDB request straight to dynalite (which checks no signature), as another tool would.
    param([string]$Operation, [hashtable]$Body)
    $headers = @{
        'X-Amz-Target'  = "DynamoDB_20120810.$Operation"
        'X-Amz-Date'    = '20260101T000000Z'
        'Authorization' = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00'
    }
    Invoke-RestMethod -Method Post -Uri "$($script:Dynalite.Endpoint)/" -Headers $headers -SkipHeaderValidation `
        -ContentType 'application/x-amz-json-1.0' -Body ($Body | ConvertTo-Json -Depth 10 -Compress)
}

function Set-TestHeartbeat {
    # Writes an agent's heartbeat with the given time into the session's store.
    param([string]$Agent, [DateTimeOffset]$Updated)
    $c = Get-CimaaConnection
    $epoch = $Updated.ToUnixTimeSeconds()
    if ($c.Kind -eq 'Local') {
        Invoke-TestSql $c.Path 'INSERT OR REPLACE INTO heartbeats (agent, updated) VALUES ($a, $u)' @{ '$a' = $Agent; '$u' = $epoch }
    }
    else {
        $null = Invoke-TestDynamo PutItem @{ TableName = "$($c.TablePrefix)faults"; Item = @{ agent = @{ S = '_' }; name = @{ S = $Agent }; updated = @{ N = "$epoch" } } }
    }
}

function Add-TestSquelch {
    # Writes a squelch created at the given time (and optionally expiring at another) into the session's store.
    param([string]$Pattern, [string]$Reason, [string]$User, [DateTimeOffset]$Time, [switch]$Permanent, [object]$Expires)
    $c = Get-CimaaConnection
    $t = $Time.ToUnixTimeSeconds()
    $e = if ($null -ne $Expires) { ([DateTimeOffset]$Expires).ToUnixTimeSeconds() } else { $null }
    if ($c.Kind -eq 'Local') {
        Invoke-TestSql $c.Path 'INSERT OR REPLACE INTO squelches (regex, reason, user, time, permanent, expires) VALUES ($r, $why, $u, $t, $p, $e)' @{
            '$r' = $Pattern; '$why' = $Reason; '$u' = $User; '$t' = $t; '$p' = [int][bool]$Permanent; '$e' = $e
        }
    }
    else {
        $item = @{ regex = @{ S = $Pattern }; reason = @{ S = $Reason }; user = @{ S = $User }; time = @{ N = "$t" } }
        if ($Permanent) { $item.permanent = @{ S = 'p' } }
        if ($null -ne $e) { $item.expires = @{ N = "$e" } }
        $null = Invoke-TestDynamo PutItem @{ TableName = "$($c.TablePrefix)squelches"; Item = $item }
    }
}

# --- Child processes

function Start-TestPwsh {
    # Starts a command in a child pwsh (the same pwsh as this one) and returns at once; Wait-TestPwsh collects it.
    # Children still running when Remove-TestRoot runs are killed by their PID.
    param(
        [Parameter(Mandatory)][string]$Command,
        [hashtable]$Environment = @{},
        [int]$TimeoutSeconds = 120,
        [string]$WorkingDirectory = $script:TestRoot
    )
    $exe = [Environment]::ProcessPath
    $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
    if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in @('-NoProfile', '-NonInteractive', '-Command', "`$PSStyle.OutputRendering = 'PlainText'; $Command")) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.WorkingDirectory = $WorkingDirectory
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { $null = $psi.Environment.Remove($k) } else { $psi.Environment[$k] = [string]$Environment[$k] }
    }
    $process = [System.Diagnostics.Process]::Start($psi)
    $child = [pscustomobject]@{
        Process  = $process
        Stdout   = $process.StandardOutput.ReadToEndAsync()
        Stderr   = $process.StandardError.ReadToEndAsync()
        Deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    }
    $script:Children.Add($child)
    $child
}

function Wait-TestPwsh {
    # Waits for a child started by Start-TestPwsh until its deadline (then kills it by PID and fails), and returns
    # its exit code, its output lines and its error text.
    param([Parameter(Mandatory)]$Child)
    $process = $Child.Process
    try {
        $left = [math]::Max(0, ($Child.Deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $process.WaitForExit([int]$left)) {
            throw "child pwsh $($process.Id) did not finish in time"
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = @($Child.Stdout.Result -split '\r?\n' | Where-Object { $_ -ne '' })
            Error    = $Child.Stderr.Result
        }
    }
    finally {
        Stop-TestProcess $process
        $null = $script:Children.Remove($Child)
    }
}

function Invoke-TestPwsh {
    # Runs a command in a child pwsh, bounded in time (see Start-TestPwsh).
    param([Parameter(Mandatory)][string]$Command, [hashtable]$Environment = @{}, [int]$TimeoutSeconds = 120)
    Wait-TestPwsh (Start-TestPwsh -Command $Command -Environment $Environment -TimeoutSeconds $TimeoutSeconds)
}

function Wait-TestJob {
    # Waits for a job with a bound, stops it on timeout, and returns its output (errors re-thrown).
    param([System.Management.Automation.Job]$Job, [int]$TimeoutSeconds = 60)
    try {
        if (-not (Wait-Job $Job -Timeout $TimeoutSeconds)) { throw "job did not finish within $TimeoutSeconds s" }
        Receive-Job $Job -ErrorAction Stop
    }
    finally { Remove-Job $Job -Force }
}

# --- Docs

function Get-DocExample {
    # The code and the output blocks of example N of docs/cmdlets/<Cmdlet>.md.
    param([string]$Cmdlet, [int]$Number)
    $text = Get-Content -Raw (Join-Path $script:DocsDir "$Cmdlet.md")
    $m = [regex]::Match($text, "(?s)### Example ${Number}:[^\n]*\n(.*?)(?=\n### |\n## )")
    if (-not $m.Success) { throw "$Cmdlet.md has no example $Number" }
    $blocks = [regex]::Matches($m.Groups[1].Value, '(?s)```(\w+)\n(.*?)\n```')
    [pscustomobject]@{
        Code   = ($blocks | Where-Object { $_.Groups[1].Value -eq 'powershell' } | ForEach-Object { $_.Groups[2].Value }) -join "`n"
        Output = ($blocks | Where-Object { $_.Groups[1].Value -eq 'output' } | ForEach-Object { $_.Groups[2].Value }) -join "`n"
    }
}

function ConvertTo-TestTable {
    # Renders objects through the module's views, without colour, as lines with trailing blanks trimmed.
    param([Parameter(ValueFromPipeline)]$InputObject)
    begin { $items = [System.Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        $rendering = $PSStyle.OutputRendering
        $PSStyle.OutputRendering = 'PlainText'
        try { ($items | Format-Table | Out-String -Width 250) -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ -ne '' } }
        finally { $PSStyle.OutputRendering = $rendering }
    }
}
