<#
.SYNOPSIS
Runs the Pester suite (tests/Pester/*.Tests.ps1) against the built module in out/Cimaa.

.DESCRIPTION
Imports Pester from out/tools/packages/pester/<version>/tools (restored by tests/Pester/restore, and restored here if
missing), runs the test files in a child pwsh bounded by -TimeoutMinutes, and writes NUnit 2.5 XML to -OutputPath.
Pester's NUnit 2.5 writer counts only tests; a file that does not parse, or a BeforeAll/AfterAll that fails outside any
test, is written as the root's `errors` attribute, so that it counts as a failure and does not vanish.
Exits 0 when every test passed, 1 when anything failed, 124 when the run timed out.

.EXAMPLE
dotnet pwsh -NoProfile -File tests/Pester/Invoke-CimaaPester.ps1
.EXAMPLE
dotnet pwsh -NoProfile -File tests/Pester/Invoke-CimaaPester.ps1 -Path tests/Pester/Faults.Tests.ps1 -Output Detailed
#>
[CmdletBinding()]
param(
    # Test files or folders (wildcards allowed; through -File, separate them with commas); default: every *.Tests.ps1 here.
    [string[]] $Path = @(Join-Path $PSScriptRoot '*.Tests.ps1'),
    # Where the NUnit 2.5 XML goes.
    [string] $OutputPath = (Join-Path $PSScriptRoot '../../out/TestResults/pester.xml'),
    # Default: <PesterVersion> in Directory.Packages.props.
    [string] $PesterVersion,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Output = 'Normal',
    [ValidateRange(1, 120)]
    [int] $TimeoutMinutes = 10,
    # Internal: run Pester in this process (the child started by the outer call).
    [switch] $InProcess
)
$ErrorActionPreference = 'Stop'
$root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
$OutputPath = [System.IO.Path]::GetFullPath($OutputPath, (Get-Location).Path)

if (-not $PesterVersion) {
    $props = Get-Content (Join-Path $root 'Directory.Packages.props') -Raw
    if ($props -notmatch '<PesterVersion>([^<]+)</PesterVersion>') { throw 'Directory.Packages.props has no <PesterVersion>.' }
    $PesterVersion = $Matches[1].Trim()
}
$pesterManifest = Join-Path $root "out/tools/packages/pester/$PesterVersion/tools/Pester.psd1"

if (-not $InProcess) {
    if (-not (Test-Path (Join-Path $root 'out/Cimaa/Cimaa.psd1'))) {
        Write-Error 'out/Cimaa/Cimaa.psd1 is missing: build the module first (./build.sh).'
        exit 1
    }
    if (-not (Test-Path $pesterManifest)) {
        & dotnet restore (Join-Path $root 'tests/Pester/restore/PesterRestore.csproj') --nologo -v q "-p:PesterVersion=$PesterVersion"
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path $pesterManifest)) { Write-Error "Pester $PesterVersion could not be restored."; exit 1 }
    }
    # A result file from an earlier run must never be read as this run's.
    Remove-Item -LiteralPath $OutputPath -Force -ErrorAction Ignore

    # pwsh runs either as its own executable or as pwsh.dll under dotnet (the .NET tool).
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
    }
    foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-InProcess', '-OutputPath', $OutputPath,
            '-PesterVersion', $PesterVersion, '-Output', $Output)) { $psi.ArgumentList.Add($a) }
    # -File binds one string per parameter: the paths travel as one argument, a line each.
    $psi.ArgumentList.Add('-Path')
    $psi.ArgumentList.Add((@($Path -split ',' | Where-Object { $_ } | ForEach-Object { [System.IO.Path]::GetFullPath($_, (Get-Location).Path) }) -join "`n"))
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    try {
        if (-not $process.WaitForExit([int][TimeSpan]::FromMinutes($TimeoutMinutes).TotalMilliseconds)) {
            $process.Kill($true)
            $process.WaitForExit()
            Remove-Item -LiteralPath $OutputPath -Force -ErrorAction Ignore
            [Console]::Error.WriteLine("The Pester run did not finish in $TimeoutMinutes minutes; process $($process.Id) and its children were stopped.")
            exit 124
        }
        $process.WaitForExit()
        exit $process.ExitCode
    }
    finally {
        $process.Dispose()
    }
}

# --- the child: Pester itself ---
Import-Module $pesterManifest -Force
$files = @(@(foreach ($p in $Path -split "`n") {
        if (Test-Path -LiteralPath $p -PathType Container) { Get-ChildItem -LiteralPath $p -Recurse -File -Filter *.Tests.ps1 }
        else { Get-ChildItem -Path $p -File -ErrorAction SilentlyContinue }
    }) | ForEach-Object FullName | Sort-Object -Unique)
if ($files.Count -eq 0) {
    Write-Error "No test files found at: $($Path -join ', ')"
    exit 1
}
New-Item -ItemType Directory -Force -Path (Split-Path $OutputPath) | Out-Null

$config = New-PesterConfiguration
$config.Run.Path = [string[]]$files
$config.Run.PassThru = $true
$config.Run.Exit = $false
$config.Output.Verbosity = $Output
$config.Output.StackTraceVerbosity = 'Filtered'
$config.Output.CIFormat = 'None'
if ([Console]::IsOutputRedirected -or $env:NO_COLOR) { $config.Output.RenderMode = 'Plaintext' }
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $OutputPath
$config.TestResult.TestSuiteName = 'Cimaa.Pester'

$result = Invoke-Pester -Configuration $config

# Failures outside any test: a container (file) that failed without a failed test of its own (a parse error, a throw
# during discovery), and a block whose BeforeAll/AfterAll failed while none of its tests failed.
function Test-HasFailedTest($Item) {
    @($Item.Tests | Where-Object Result -eq 'Failed').Count -gt 0 -or
    @($Item.Blocks | Where-Object { Test-HasFailedTest $_ }).Count -gt 0
}
$outside = @($result.Containers | Where-Object { $_.ErrorRecord.Count -gt 0 -and -not (Test-HasFailedTest $_) }).Count +
    @($result.FailedBlocks | Where-Object { -not (Test-HasFailedTest $_) }).Count

if (Test-Path -LiteralPath $OutputPath) {
    $xml = [System.Xml.XmlDocument]::new()
    $xml.PreserveWhitespace = $true
    $xml.Load($OutputPath)
    $xml.DocumentElement.SetAttribute('errors', [string]$outside)
    $xml.Save($OutputPath)
}
if ($outside -gt 0) {
    Write-Host "Failed outside a test (file, BeforeAll or AfterAll): $outside"
}

$failed = $result.FailedCount -gt 0 -or $outside -gt 0 -or $result.FailedContainersCount -gt 0 -or
    $result.FailedBlocksCount -gt 0 -or $result.Result -ne 'Passed'
exit ($failed ? 1 : 0)
