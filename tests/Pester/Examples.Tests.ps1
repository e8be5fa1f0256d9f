#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The help pages: every cmdlet has one with its examples and parameters, every example is exercised by a test
# named '<Cmdlet> example <N>', and the -WhatIf examples print what their page shows (in a child pwsh, whose host
# writes the What if: lines to its output).

BeforeDiscovery {
    $script:Pages = Get-ChildItem (Join-Path $PSScriptRoot '../../docs/cmdlets') -Filter '*.md' | ForEach-Object { @{ Cmdlet = $_.BaseName } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Exported = @((Get-Module Cimaa).ExportedCmdlets.Keys | Sort-Object)
    $script:TestNames = [System.Collections.Generic.List[string]]::new()
    $script:CommandsUsed = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    foreach ($f in Get-ChildItem $PSScriptRoot -Filter '*.Tests.ps1') {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($f.FullName, [ref]$null, [ref]$null)
        foreach ($c in $ast.FindAll({ param($a) $a -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            $name = $c.GetCommandName()
            if ($name -eq 'It') { $script:TestNames.Add($c.CommandElements[1].Value) }
            elseif ($name) { $null = $script:CommandsUsed.Add($name) }
        }
    }
    $script:AllTestNames = $script:TestNames -join "`n"
}

AfterAll {
    Remove-TestRoot
}

Describe 'Help of <Cmdlet>' -ForEach $script:Pages {
    It 'is an exported cmdlet with a synopsis, its examples and every parameter documented' {
        $script:Exported | Should -Contain $Cmdlet
        $help = Get-Help $Cmdlet -Full
        $pageExamples = [regex]::Matches((Get-Content -Raw (Join-Path $script:DocsDir "$Cmdlet.md")), '(?m)^### Example \d+:').Count

        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\w+-\w+ \[' # not the generated syntax
        @((Get-Help $Cmdlet -Examples).examples.example).Count | Should -Be $pageExamples
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($p in (Get-Command $Cmdlet).Parameters.Keys | Where-Object { $_ -notin $common }) {
            (Get-Help $Cmdlet -Parameter $p).description.Text | Should -Not -BeNullOrEmpty -Because "-$p of $Cmdlet is documented"
        }
    }

    It 'has each of its examples exercised by a test of this suite' {
        $count = [regex]::Matches((Get-Content -Raw (Join-Path $script:DocsDir "$Cmdlet.md")), '(?m)^### Example \d+:').Count
        foreach ($n in 1..$count) {
            $script:AllTestNames.Contains("$Cmdlet example $n)") | Should -BeTrue -Because "$Cmdlet example $n is a scenario"
        }
    }
}

Describe 'The suite' {
    It 'uses every exported cmdlet' {
        $script:Exported | Where-Object { -not $script:CommandsUsed.Contains($_) } | Should -BeNullOrEmpty
    }

    It 'has a help page for every exported cmdlet' {
        $pages = (Get-ChildItem $script:DocsDir -Filter '*.md').BaseName | Sort-Object
        $pages | Should -Be $script:Exported
    }

    It 'shows parameter details with Get-Help -Parameter' {
        $agent = Get-Help Set-CimaaFault -Parameter Agent
        $agent.required | Should -Be 'true'
        $agent.pipelineInput | Should -Match 'ByPropertyName'
        (Get-Help Get-CimaaStaleAgent -Parameter OlderThan).type.name | Should -Be 'TimeSpan'
    }
}

Describe 'What if: lines of the -WhatIf examples' {
    BeforeAll {
        $db = New-TestPath 'whatif.db'
        $c = Connect-Cimaa -Path $db -PassThru
        Set-CimaaFault -Connection $c -Agent web1 -Name load -Severity 30
        Set-CimaaFault -Connection $c -Agent web2 -Name load -Severity 30
        Set-CimaaFault -Connection $c -Agent mail1
        Set-CimaaConfig -Connection $c prod db -Value @{ host = 'db1.example.org'; port = 6432; replicas = 'db2', 'db3'; pool = @{ min = 2; max = 20 } }
        Set-CimaaConfig -Connection $c staging db -Value @{ host = 'db1' }
        Set-CimaaConfig -Connection $c staging web -Value @{ host = 'web1' }
        $old = [DateTimeOffset]::UtcNow.AddMinutes(-185)
        Connect-Cimaa -Path $db
        Add-TestSquelch -Pattern '^load' -Reason 'noisy after kernel update' -User bob -Time $old -Expires $old.AddHours(1)
        Add-CimaaSquelch -Pattern disk -Reason r -Permanent

        $examples = [ordered]@{
            'Remove-CimaaAgent 1'  = 'Remove-CimaaAgent mail1 -WhatIf'
            'Remove-CimaaFault 2'  = 'Get-CimaaFault -Name load | Remove-CimaaFault -WhatIf'
            'Remove-CimaaSquelch 1' = 'Remove-CimaaSquelch -Expired -WhatIf'
            'Set-CimaaConfig 3'    = 'Get-CimaaConfig prod | Set-CimaaConfig -Store staging -WhatIf'
            'Remove-CimaaConfig 2' = 'Get-CimaaConfig staging | Remove-CimaaConfig -WhatIf'
        }
        $script_ = "Import-Module '$script:ModulePath'; Connect-Cimaa -Path '$db'; " + (($examples.Keys | ForEach-Object { "'=== $_'; $($examples[$_])" }) -join '; ')
        $r = Invoke-TestPwsh -Command $script_
        $script:WhatIf = @{}
        $key = $null
        foreach ($line in $r.Output) {
            if ($line -match '^=== (.+)$') { $key = $Matches[1]; $script:WhatIf[$key] = @() }
            elseif ($key) { $script:WhatIf[$key] += $line }
        }
        $script:ChildErrors = $r.Error
    }

    It 'previews <Cmdlet> example <N> as its page shows' -ForEach @(
        @{ Cmdlet = 'Remove-CimaaAgent'; N = 1 }
        @{ Cmdlet = 'Remove-CimaaFault'; N = 2 }
        @{ Cmdlet = 'Remove-CimaaSquelch'; N = 1 }
        @{ Cmdlet = 'Set-CimaaConfig'; N = 3 }
        @{ Cmdlet = 'Remove-CimaaConfig'; N = 2 }
    ) {
        $expected = (Get-DocExample $Cmdlet $N).Output -split '\n' | Where-Object { $_ }

        $script:ChildErrors | Should -BeNullOrEmpty
        $script:WhatIf["$Cmdlet $N"] | Should -Be $expected
    }

    It 'changed nothing' {
        (Get-CimaaAgent).Agent | Should -Contain 'mail1'
        (Get-CimaaFault -Name load).Count | Should -Be 2
        (Get-CimaaSquelch).Count | Should -Be 2
        (Get-CimaaConfig staging).Option | Should -Be @('db', 'web')
    }
}
