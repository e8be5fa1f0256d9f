#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Packaging as operators install modules: the package step (build/Publish-CimaaModule.ps1, which `./build.sh package` runs)
# publishes out/Cimaa to a file repository; Install-PSResource installs it by name into a user module path under a
# temporary HOME; a fresh pwsh imports it by name and uses it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'PwshProcess.ps1')
    $root = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $props = Get-Content (Join-Path $root 'Directory.Build.props') -Raw
    $script:version = [regex]::Match($props, '<CimaaVersion>([^<]+)</CimaaVersion>').Groups[1].Value
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ('cimaa-package-' + [guid]::NewGuid().ToString('N'))
    $script:repo = Join-Path $script:work 'repo'
    $script:userHome = Join-Path $script:work 'home'
    New-Item -ItemType Directory -Path $script:repo, $script:userHome | Out-Null

    # A user of their own: PSResourceGet's settings and the CurrentUser module path follow HOME (and XDG_*, LOCALAPPDATA);
    # PSModulePath is left to pwsh's defaults, so out/ is not on it.
    $script:userEnv = @{
        HOME            = $script:userHome
        XDG_DATA_HOME   = Join-Path $script:userHome '.local/share'
        XDG_CONFIG_HOME = Join-Path $script:userHome '.config'
        XDG_CACHE_HOME  = Join-Path $script:userHome '.cache'
        LOCALAPPDATA    = Join-Path $script:userHome 'AppData/Local'
        PSModulePath    = $null
        CIMAA_DB        = $null
        CIMAA_CONFIG    = $null
    }

    $script:nupkg = & (Join-Path $root 'build/Publish-CimaaModule.ps1') -ModulePath (Join-Path $root 'out/Cimaa') -RepositoryPath $script:repo

    $script:install = Invoke-PwshProcess -ModulePath '' -Environment $script:userEnv -WorkingDirectory $script:work -ArgumentList '-Command', @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name CimaaTest -Uri '$($script:repo)' -Trusted
try {
    Install-PSResource Cimaa -Repository CimaaTest -TrustRepository -Scope CurrentUser
    Get-InstalledPSResource Cimaa | ForEach-Object { "installed=`$(`$_.Name) `$(`$_.Version) `$(`$_.InstalledLocation)" }
}
finally {
    Unregister-PSResourceRepository -Name CimaaTest
}
"repositories=`$((Get-PSResourceRepository).Name -join ',')"
"@
    $script:installed = Join-Path $script:userHome ".local/share/powershell/Modules/Cimaa/$($script:version)"
}

AfterAll {
    Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction Ignore
}

Describe 'The package step' {
    It 'publishes Cimaa.<version>.nupkg, with the version of Directory.Build.props, to the file repository' {
        $script:version | Should -Match '^\d+\.\d+\.\d+'
        $script:nupkg | Should -Be (Join-Path $script:repo "Cimaa.$($script:version).nupkg")
        Test-Path -LiteralPath $script:nupkg | Should -BeTrue
    }

    It 'installs by name with Install-PSResource into the user module path, and leaves no repository registered' {
        $script:install.ExitCode | Should -Be 0 -Because $script:install.Error
        $script:install.Lines | Should -Contain "installed=Cimaa $($script:version) $(Join-Path $script:userHome '.local/share/powershell/Modules')"
        $repositories = $script:install.Lines | Where-Object { $_ -like 'repositories=*' }
        $repositories | Should -Not -BeNullOrEmpty
        $repositories | Should -Not -Match 'CimaaTest'
    }

    It 'installs the cmdlet assembly, the views, the help and the private dependencies with natives' {
        foreach ($file in 'Cimaa.psd1', 'Cimaa.PowerShell.dll', 'Cimaa.format.ps1xml', 'en-US/Cimaa.PowerShell.dll-Help.xml',
            'Dependencies/Cimaa.Core.dll', 'Dependencies/AWSSDK.Core.dll', 'Dependencies/Microsoft.Data.Sqlite.dll',
            'Dependencies/runtimes/linux-x64/native/libe_sqlite3.so') {
            Join-Path $script:installed $file | Should -Exist
        }
    }
}

Describe 'A fresh pwsh with the installed module' {
    BeforeAll {
        $script:db = Join-Path $script:work 'installed.db'
        $script:use = Invoke-PwshProcess -ModulePath '' -Environment ($script:userEnv + @{ CIMAA_TEST_DB = $script:db }) `
            -WorkingDirectory $script:work -ArgumentList '-Command', @'
$ErrorActionPreference = 'Stop'
Import-Module Cimaa
"base=$((Get-Module Cimaa).ModuleBase)"
"version=$((Get-Module Cimaa).Version)"
Connect-Cimaa -Path $env:CIMAA_TEST_DB
@(
    [pscustomobject]@{ Name = 'disk'; Severity = 'Error'; Message = 'disk full' }
    [pscustomobject]@{ Name = 'load'; Severity = 30; Message = 'load 9' }
) | Set-CimaaFault -Agent web1
Get-CimaaFault -Agent web1 | ForEach-Object { "fault=$($_.Agent)/$($_.Name)/$($_.Level)/$($_.Message)" }
"agents=$((Get-CimaaAgent).Agent -join ',')"
"synopsis=$((Get-Help Set-CimaaFault).Synopsis)"
'@
    }

    It 'imports Cimaa by name from the installed folder' {
        $script:use.ExitCode | Should -Be 0 -Because $script:use.Error
        $script:use.Lines | Should -Contain "base=$($script:installed)"
        $script:use.Lines | Should -Contain "version=$($script:version)"
    }

    It 'stores and reads faults and heartbeats with it' {
        $script:use.Lines | Where-Object { $_ -like 'fault=*' } | Should -Be @('fault=web1/disk/Error/disk full', 'fault=web1/load/Warning/load 9')
        $script:use.Lines | Should -Contain 'agents=web1'
        Test-Path -LiteralPath $script:db | Should -BeTrue
    }

    It 'shows the help installed with it' {
        $synopsis = $script:use.Lines | Where-Object { $_ -like 'synopsis=*' }
        $synopsis | Should -Match '^synopsis=\w.{10,}'
        $synopsis | Should -Not -Match 'Set-CimaaFault \['
    }
}
