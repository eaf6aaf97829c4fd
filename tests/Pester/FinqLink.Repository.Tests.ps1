#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The repository checks itself: links in its markdown, and the PowerShell rules of build/RepositoryChecks.psm1 over its
# scripts and docs examples. Each rule is also run on a planted violation, so a rule that stops finding fails here.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    # The module's cmdlets known to Get-Command, so the docs examples' switches are told from their other parameters.
    Import-FinqLinkUnderTest
    Import-Module (Join-Path $PSScriptRoot '../../build/RepositoryChecks.psm1') -Force
    $script:Root = [IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../..'))
    $script:Folders = @()

    function Format-Finding([Parameter(ValueFromPipeline)] $Finding) {
        process { "$($Finding.File):$($Finding.Line) $(if ($Finding.PSObject.Properties['Rule']) { "$($Finding.Rule): $($Finding.Message)" } else { "$($Finding.Target) $($Finding.Problem)" })" }
    }
}

AfterAll {
    foreach ($folder in $script:Folders) { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore }
}

Describe 'Links in the markdown' {
    It 'reads the READMEs, CONTRIBUTING.md and docs/en-US' {
        $read = Get-CheckedMarkdown $Root | ForEach-Object { [IO.Path]::GetRelativePath($Root, $_) -replace '\\', '/' }
        $read | Should -Contain 'README.md'
        $read | Should -Contain 'CONTRIBUTING.md'
        $read | Should -Contain 'bench/README.md'
        $read | Should -Contain 'src/FinqLink.Sandbox/README.md'
        $read | Should -Contain 'docs/en-US/about_FinqLink.md'
        $read | Should -Contain 'docs/en-US/New-FinqLink.md'
    }

    It 'every relative link, and every repository path in code, names a file that exists' {
        Find-BrokenLink -Root $Root | Format-Finding | Should -BeNullOrEmpty
    }

    It 'finds a link to a missing file, a heading that is not there and a repository path that is gone' {
        $folder = New-FinqLinkTestFolder
        $script:Folders += $folder
        New-Item (Join-Path $folder 'src') -ItemType Directory | Out-Null
        Set-Content (Join-Path $folder 'other.md') "# Other`n`n## A real heading`n"
        Set-Content (Join-Path $folder 'README.md') @'
[fine](other.md) and [also fine](other.md#a-real-heading), [a URL](https://example.test/x.md), [here](#top)
# Top
[gone](gone.md)
[no such heading](other.md#no-heading)
The code is in `src/` but not in `src/Gone.cs`.
[ref]: missing/ref.md
```
[inside a code block](not-checked.md)
```
'@
        $found = Find-BrokenLink -Root $folder -Path (Join-Path $folder 'README.md')
        $found | ForEach-Object { "$($_.Line) $($_.Target): $($_.Problem)" } | Should -Be @(
            '3 gone.md: names no file or folder'
            '4 other.md#no-heading: has no heading for #no-heading'
            '5 src/Gone.cs: names no file or folder'
            '6 missing/ref.md: names no file or folder')
    }
}

Describe 'PowerShell rules' {
    It 'the build, samples, bench, Pester files and docs examples break none of them' {
        Find-RepositoryScriptViolation -Root $Root | Format-Finding | Should -BeNullOrEmpty
    }

    It 'reads the PowerShell examples of every docs/en-US file' {
        $blocks = @(Get-DocsCodeBlock $Root)
        $blocks.Count | Should -BeGreaterThan 100
        ($blocks.File | Sort-Object -Unique).Count | Should -Be (Get-ChildItem (Join-Path $Root 'docs/en-US') -Filter *.md).Count
    }

    It 'an alias is a finding, the command it stands for is not' {
        $found = Find-ScriptRuleViolation -Text "gci -Recurse | % { `$_.Name } | ? Length -gt 3 | select -First 1"
        $found.Rule | Should -Be @('NoAlias', 'NoAlias', 'NoAlias', 'NoAlias')
        $found.Text | Should -Be @('gci', '%', '?', 'select')
        Find-ScriptRuleViolation -Text 'Get-ChildItem -Recurse | ForEach-Object { $_.Name } | Select-Object -First 1' | Should -BeNullOrEmpty
    }

    It 'an alias PowerShell defines on Windows only is a finding too' {
        (Find-ScriptRuleViolation -Text 'ls; sort; sleep 1').Text | Should -Be @('ls', 'sort', 'sleep')
    }

    It 'a switch given its value after a space is a finding, with a colon it is not' {
        $found = Find-ScriptRuleViolation -Text 'Remove-Item ./x -Recurse $false; Get-ChildItem -Rec $true'
        $found.Rule | Should -Be @('SwitchPosition', 'SwitchPosition')
        $found[0].Message | Should -BeLike '*write -Recurse:$false*'
        Find-ScriptRuleViolation -Text 'Remove-Item ./x -Recurse:$false; Get-ChildItem -Recurse ./src' | Should -BeNullOrEmpty
    }

    It 'a value after a parameter that is not a switch is no finding, nor is Pester''s Should -Be $true' {
        Find-ScriptRuleViolation -Text 'Set-Variable -Name x -Value $true; 1 | Should -Be 1; $true | Should -Be $true' | Should -BeNullOrEmpty
    }

    It 'a switch declared with a position is a finding' {
        $found = Find-ScriptRuleViolation -Text 'param([Parameter(Position = 0)] [switch] $Force, [Parameter(Position = 1)] [string] $Path)'
        $found.Rule | Should -Be 'SwitchPosition'
        $found.Text | Should -BeLike '*$Force'
    }

    It 'a script without Set-StrictMode is a finding; a module or docs example need none' {
        (Find-ScriptRuleViolation -Text 'param($x) Write-Output $x' -RequireStrictMode).Rule | Should -Be 'StrictMode'
        Find-ScriptRuleViolation -Text "param(`$x)`nSet-StrictMode -Version Latest`nWrite-Output `$x" -RequireStrictMode | Should -BeNullOrEmpty
        Find-ScriptRuleViolation -Text 'Write-Output 1' | Should -BeNullOrEmpty
    }

    It 'the scripts that must set strict mode are those a person runs by name: <Path> <Verdict>' -TestCases @(
        @{ Path = 'build.ps1'; Verdict = $true }
        @{ Path = 'build/New-CmdletMarkdown.ps1'; Verdict = $true }
        @{ Path = 'samples/Invoke-BulkPaymentLinks.ps1'; Verdict = $true }
        @{ Path = 'bench/Invoke-Benchmark.ps1'; Verdict = $true }
        @{ Path = 'bench/lib/Worker.ps1'; Verdict = $false }
        @{ Path = 'bench/lib/BenchReport.psm1'; Verdict = $false }
        @{ Path = 'tests/Pester/FinqLink.Pay.Tests.ps1'; Verdict = $false }
        @{ Path = 'tests/Pester/Bulk/Send-TestRows.ps1'; Verdict = $false }
    ) {
        Test-IsEntryScript $Root (Join-Path $Root $Path) | Should -Be $Verdict
    }

    It 'text that does not parse is a finding' {
        (Find-ScriptRuleViolation -Text 'Get-ChildItem | ForEach-Object {').Rule | Should -Contain 'Parse'
    }

    It 'a docs example is read without its prompt and output, across continued lines, and checked' {
        $folder = New-FinqLinkTestFolder
        $script:Folders += $folder
        New-Item (Join-Path $folder 'docs/en-US') -ItemType Directory | Out-Null
        Set-Content (Join-Path $folder 'docs/en-US/Get-Thing.md') @'
### Example 1
```powershell
PS C:\> Get-ChildItem |
    % { $_.Name }

Name  Length
----  ------
a.txt      1
```
'@
        $block = @(Get-DocsCodeBlock $folder)
        $block.Count | Should -Be 1
        $block[0].Code | Should -Be "Get-ChildItem |`n    % { `$_.Name }"
        $found = @(Find-RepositoryScriptViolation -Root $folder)
        "$($found.File):$($found.Line) $($found.Rule) $($found.Text)" | Should -Be 'docs/en-US/Get-Thing.md:4 NoAlias %'
    }
}

Describe 'C# using directives' {
    It 'are in the order dotnet format sorts them, in every C# file' {
        Find-UsingOrderViolation -Root $Root | Format-Finding | Should -BeNullOrEmpty
    }

    It 'a directive out of that order is a finding: <Case>' -ForEach @(
        @{ Case = 'System not first'; Usings = 'using FinqLink.Http;', 'using System;'; Line = 1 }
        @{ Case = 'not by name'; Usings = 'using System;', 'using System.Text;', 'using System.Linq;'; Line = 2 }
        @{ Case = 'a static using before a namespace'; Usings = 'using static System.Math;', 'using Xunit;'; Line = 1 }
        @{ Case = 'an alias before a static using'; Usings = 'using System;', 'using Json = System.Text.Json;', 'using static System.Math;'; Line = 2 }
        @{ Case = 'sorted, case ignored'; Usings = 'using System;', 'using Finqlink.A;', 'using FinqLink.B;', 'using static System.Math;', 'using Json = System.Text.Json;'; Line = $null }
    ) {
        $folder = New-FinqLinkTestFolder
        $script:Folders += $folder
        Set-Content (Join-Path $folder 'Planted.cs') (($Usings + '', '// using Zzz; in a comment ends nothing', 'namespace Planted', '{', '    using Aaa;', '}') -join "`n")
        $found = @(Find-UsingOrderViolation -Root $folder)
        if ($null -eq $Line) { $found | Format-Finding | Should -BeNullOrEmpty }
        else { "$($found.File):$($found.Line) $($found.Rule)" | Should -Be "Planted.cs:$Line UsingOrder" }
    }
}
