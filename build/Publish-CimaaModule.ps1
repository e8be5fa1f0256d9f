<#
.SYNOPSIS
Publishes the built module (out/Cimaa) with Publish-PSResource to a file-based PSResourceGet repository and writes the
path of the .nupkg. Used by `./build.sh package` and `./build.ps1 package`, and by tests/Pester/Package.Tests.ps1.

.DESCRIPTION
The repository is registered in a child pwsh whose PSResourceGet settings live in a temporary folder (XDG_DATA_HOME,
LOCALAPPDATA), so the caller's registered repositories are neither read nor changed; it is unregistered afterwards and the
folder removed. A package of the same version already in the repository is replaced.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Cimaa'),
    [string] $RepositoryPath = (Join-Path $PSScriptRoot '../out/repo'),
    [ValidateRange(1, 30)]
    [int] $TimeoutMinutes = 5
)
$ErrorActionPreference = 'Stop'
$ModulePath = [System.IO.Path]::GetFullPath($ModulePath, (Get-Location).Path)
$RepositoryPath = [System.IO.Path]::GetFullPath($RepositoryPath, (Get-Location).Path)
$manifest = Join-Path $ModulePath 'Cimaa.psd1'
if (-not (Test-Path -LiteralPath $manifest)) { throw "$manifest is missing: build the module first (./build.sh)." }
$version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
New-Item -ItemType Directory -Force -Path $RepositoryPath | Out-Null
$nupkg = Join-Path $RepositoryPath "Cimaa.$version.nupkg"
Remove-Item -LiteralPath $nupkg -Force -ErrorAction Ignore

$settings = Join-Path ([System.IO.Path]::GetTempPath()) ('cimaa-psresourceget-' + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $settings | Out-Null
$publish = {
    param($ModulePath, $RepositoryPath)
    $ErrorActionPreference = 'Stop'
    $name = 'CimaaPublish'
    Register-PSResourceRepository -Name $name -Uri $RepositoryPath -Trusted
    try {
        Publish-PSResource -Path $ModulePath -Repository $name -SkipDependenciesCheck
    }
    finally {
        Unregister-PSResourceRepository -Name $name
    }
}
$psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
    $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
}
$script = "& { $publish } '$($ModulePath -replace "'", "''")' '$($RepositoryPath -replace "'", "''")'"
foreach ($a in @('-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script)))) {
    $psi.ArgumentList.Add($a)
}
$psi.Environment['XDG_DATA_HOME'] = $settings
$psi.Environment['LOCALAPPDATA'] = $settings
$psi.UseShellExecute = $false
$process = [System.Diagnostics.Process]::Start($psi)
try {
    if (-not $process.WaitForExit([int][TimeSpan]::FromMinutes($TimeoutMinutes).TotalMilliseconds)) {
        $process.Kill($true)
        throw "Publish-PSResource did not finish in $TimeoutMinutes minutes; process $($process.Id) was stopped."
    }
    $process.WaitForExit()
    if ($process.ExitCode -ne 0) { throw "Publishing failed (exit code $($process.ExitCode))." }
}
finally {
    $process.Dispose()
    Remove-Item -LiteralPath $settings -Recurse -Force -ErrorAction Ignore
}
if (-not (Test-Path -LiteralPath $nupkg)) { throw "Publish-PSResource wrote no $nupkg." }
$nupkg
