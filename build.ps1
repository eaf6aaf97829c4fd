#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, documents, tests and packages the FinqLink module.
.EXAMPLE
    ./build.ps1                    # Build: assembles out/FinqLink/<version>/
.EXAMPLE
    ./build.ps1 -Task Test         # dotnet test, then Pester in a fresh pwsh against out/
.EXAMPLE
    ./build.ps1 -Task Package      # out/packages/FinqLink.<version>.nupkg for Install-Module / Install-PSResource
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Test', 'Package', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$version = ([xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)).Project.PropertyGroup.FinqLinkVersion | Where-Object { $_ } | Select-Object -First 1
$moduleDir = Join-Path $root "out/FinqLink/$version"

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    # Building the module also compiles docs/en-US into en-US/FinqLink.dll-Help.xml and about_*.help.txt.
    Invoke-Dotnet build (Join-Path $root 'src/FinqLink/FinqLink.csproj') -c $Configuration
    Write-Host "Module assembled in $moduleDir"
}

function Invoke-Docs {
    if (Get-Module -ListAvailable platyPS) {
        # Refresh the markdown from the built cmdlets (new parameters get placeholders to fill in), then compile it.
        Invoke-Build
        $job = Start-Job -ScriptBlock {
            param($manifest, $docs)
            Import-Module platyPS
            Import-Module $manifest
            Update-MarkdownHelp -Path $docs -AlphabeticParamsOrder -UpdateInputOutput -Force | Out-Null
        } -ArgumentList (Join-Path $moduleDir 'FinqLink.psd1'), (Join-Path $root 'docs/en-US')
        $job | Receive-Job -Wait -AutoRemoveJob
    }
    else {
        Write-Warning 'platyPS is not installed: compiling docs/en-US as it is (Install-Module platyPS to refresh the markdown from the cmdlets).'
    }
    Invoke-Build
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'FinqLink.sln') -c $Configuration
    if (-not (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0')) {
        Write-Warning 'Pester 5 is not installed: skipping tests/Pester (Install-Module Pester -MinimumVersion 5.0).'
        return
    }
    # A fresh pwsh whose PSModulePath finds only the built module first, so no installed copy shadows it.
    $script = @"
`$env:PSModulePath = '$(Join-Path $root 'out')' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module Pester -MinimumVersion 5.0
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $root 'tests/Pester')'
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration `$config
"@
    & pwsh -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "Pester failed ($LASTEXITCODE failed tests)." }
}

function Invoke-Package {
    Invoke-Build
    $packages = Join-Path $root 'out/packages'
    # build/FinqLink.Packager writes the nupkg Publish-PSResource would (files at the root, PSModule/PSCmdlet_* tags);
    # CI checks its contents and installs it, so this is the package that was tested.
    Invoke-Dotnet run --project (Join-Path $root 'build/FinqLink.Packager') -c $Configuration -- $moduleDir $packages
    Write-Host "Install it with: Register-PSResourceRepository -Name FinqLinkLocal -Uri '$packages' -Trusted; Install-PSResource FinqLink -Repository FinqLinkLocal"
}

function Invoke-Clean {
    foreach ($dir in @('out') + (Get-ChildItem $root -Recurse -Directory -Include bin, obj | Where-Object FullName -notmatch '[\\/]\.git[\\/]').FullName) {
        $path = if ([IO.Path]::IsPathRooted($dir)) { $dir } else { Join-Path $root $dir }
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
}

foreach ($step in $Task) {
    Write-Host "== $step" -ForegroundColor Cyan
    switch ($step) {
        'Build' { Invoke-Build }
        'Docs' { Invoke-Docs }
        'Test' { Invoke-Test }
        'Package' { Invoke-Package }
        'Clean' { Invoke-Clean }
    }
}
