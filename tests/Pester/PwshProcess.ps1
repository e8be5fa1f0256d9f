# Dot-sourced by test files that run scripts in a fresh pwsh, as a scheduled task or a new session would.

# Runs pwsh (the same executable as this session) with -NoProfile -NonInteractive and the given arguments, and returns
# its exit code and its output. out/ comes first on PSModulePath, so Cimaa is found by name as if installed, unless
# -ModulePath says otherwise ('' leaves PSModulePath as it is). NO_COLOR keeps redirected output plain.
# An entry of -Environment whose value is $null removes that variable. The process and its children are stopped if it
# does not exit within -TimeoutSeconds.
function Invoke-PwshProcess {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string[]] $ArgumentList,
        [hashtable] $Environment = @{},
        [string] $ModulePath = (Join-Path $PSScriptRoot '../../out'),
        [string] $WorkingDirectory = [System.IO.Path]::GetTempPath(),
        [int] $TimeoutSeconds = 120
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    # pwsh runs either as its own executable or as pwsh.dll under dotnet (the .NET tool).
    if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
    }
    foreach ($a in @('-NoProfile', '-NonInteractive') + $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.WorkingDirectory = $WorkingDirectory
    $psi.Environment['NO_COLOR'] = '1'
    if ($ModulePath) {
        $psi.Environment['PSModulePath'] = [System.IO.Path]::GetFullPath($ModulePath) + [System.IO.Path]::PathSeparator + $env:PSModulePath
    }
    foreach ($key in $Environment.Keys) {
        if ($null -eq $Environment[$key]) { [void]$psi.Environment.Remove($key) } else { $psi.Environment[$key] = [string]$Environment[$key] }
    }
    $process = [System.Diagnostics.Process]::Start($psi)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "pwsh (process $($process.Id)) did not exit in $TimeoutSeconds s: $($ArgumentList -join ' ')"
        }
        $process.WaitForExit()
        $output = $stdout.GetAwaiter().GetResult()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $output
            Error    = $stderr.GetAwaiter().GetResult()
            Lines    = @($output -split '\r?\n' | ForEach-Object TrimEnd | Where-Object { $_ })
        }
    }
    finally {
        $process.Dispose()
    }
}
