#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, documents, tests, packages and demonstrates the FinqLink module.
.DESCRIPTION
    Tasks run in the order given, from any state of the tree (a fresh clone or a built one):
      Clean    removes out/ and every bin/ and obj/ folder
      Build    builds the solution: out/FinqLink/<version>/ (the module, help compiled from docs/en-US),
               out/sandbox/ (the local sandbox) and out/tools/Pester/ (the pinned Pester, restored from NuGet)
      Docs     refreshes docs/en-US with platyPS when it is installed, then builds
      Package  out/packages/FinqLink.<version>.nupkg (Install-PSResource / Install-Module) and the sandbox's .NET tool package
      Test     builds, packages, runs every xunit test and then the Pester suite in a fresh pwsh; fails if either fails
      QuickTest  the inner loop's lane (90 s or less on a quiet 2-core machine once built): builds, runs
               FinqLink.Core.Tests and, in a fresh pwsh, Pester's smoke file and the repository checks (links, script
               rules); Test stays the full gate
      Demo     builds and runs samples/Invoke-BulkPaymentLinks.ps1 against the local sandbox
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task QuickTest
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test, Package
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Clean,Build,Test,Package
#>
[CmdletBinding()]
param(
    # One or more of the tasks above. From a shell (pwsh -File, which takes no arrays) 'Clean,Build' works too.
    [ArgumentCompleter({ param($command, $parameter, $word) 'Clean', 'Build', 'Docs', 'Test', 'QuickTest', 'Package', 'Demo' | Where-Object { $_ -like "$word*" } })]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run the Pester suite with another Pester from NuGet (for example 6.2.0) instead of the pinned one.
    [string] $PesterVersion
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$props = [xml](Get-Content (Join-Path $root 'Directory.Build.props') -Raw)
$version = $props.Project.PropertyGroup.FinqLinkVersion | Where-Object { $_ } | Select-Object -First 1
if (-not $PesterVersion) { $PesterVersion = $props.Project.PropertyGroup.PesterVersion | Where-Object { $_ } | Select-Object -First 1 }
$out = Join-Path $root 'out'
$moduleDir = Join-Path $out "FinqLink/$version"
$packages = Join-Path $out 'packages'
$results = Join-Path $out 'test-results'
$solution = Join-Path $root 'FinqLink.sln'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# A fresh pwsh like this one: the PowerShell .NET tool runs as 'dotnet pwsh.dll', an installed pwsh as itself.
function Invoke-FreshPwsh([string] $Command, [hashtable] $Environment = @{}) {
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $launcher = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($launcher) -eq 'dotnet') { @(Join-Path $PSHOME 'pwsh.dll') } else { @() }
        & $launcher @prefix -NoProfile -NonInteractive -Command $Command | Out-Host
        return $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Invoke-Build {
    # Besides the module this lays out out/sandbox/ and out/tools/Pester/<version>/ (build/Pester/Pester.csproj).
    Invoke-Dotnet build $solution -c $Configuration "-p:PesterVersion=$PesterVersion"
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
        # Without platyPS: new cmdlets get a markdown file with their real syntax and parameters, and placeholders to fill in.
        Invoke-Build
        & (Join-Path $root 'build/New-CmdletMarkdown.ps1') -ModuleManifest (Join-Path $moduleDir 'FinqLink.psd1') -OutputFolder (Join-Path $root 'docs/en-US')
        Write-Warning 'platyPS is not installed: existing docs/en-US files were left as they are (Install-Module platyPS to refresh them from the cmdlets).'
    }
    Invoke-Build
}

# -Built: the solution was just built, so the packager and the sandbox are not built again (about 13 s of the test command).
function Invoke-Package([switch] $Built) {
    if (-not (Test-Path (Join-Path $moduleDir 'FinqLink.psd1'))) { Invoke-Build }
    [string[]] $noBuild = if ($Built) { @('--no-build') } else { @() }
    # build/FinqLink.Packager writes the nupkg Publish-PSResource would (files at the root, PSModule/PSCmdlet_* tags).
    Invoke-Dotnet run @noBuild --project (Join-Path $root 'build/FinqLink.Packager') -c $Configuration -- $moduleDir $packages
    Invoke-Dotnet pack (Join-Path $root 'src/FinqLink.Sandbox') -c $Configuration -o $packages --nologo @noBuild
    Write-Host "Packages in $packages. Install the module with: Register-PSResourceRepository -Name FinqLinkLocal -Uri '$packages' -Trusted; Install-PSResource FinqLink -Repository FinqLinkLocal"
    Write-Host "Install the sandbox with: dotnet tool install --global FinqLink.Sandbox --add-source '$packages'"
}

function Read-TrxCounts([string] $folder) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($file in Get-ChildItem $folder -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -LiteralPath $file.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# The Debian packages the tests use from the system: Chromium (payer pages, headless), tmux (Ctrl+C in a real terminal)
# and Node.js with npm (Azurite, the storage emulator the storage-journal tests run against).
# On a Debian machine without them they are installed (what CI does); elsewhere the payer-page tests say how to point
# them at a browser ($env:FINQLINK_CHROMIUM) and the terminal test is skipped.
function Initialize-TestTools {
    if (-not $IsLinux) { return }
    $missing = @(@{ Command = 'chromium'; Package = 'chromium'; Skip = $env:FINQLINK_CHROMIUM }, @{ Command = 'tmux'; Package = 'tmux' }, @{ Command = 'npm'; Package = 'npm' } |
        Where-Object { -not $_['Skip'] -and -not (Get-Command $_.Command -ErrorAction Ignore) } | ForEach-Object Package)
    if ($missing.Count -eq 0) { return }
    if (-not (Get-Command apt-get -ErrorAction Ignore) -or (& id -u) -ne '0') {
        Write-Warning "Not installed: $($missing -join ', '). Their tests fail (Chromium: payer pages) or are skipped (tmux: the terminal test); install the Debian packages."
        return
    }
    Write-Host "Installing $($missing -join ', ') (Debian packages) for the tests…"
    & apt-get install -y -q @missing *> $null
    if ($LASTEXITCODE -ne 0) { & apt-get update -q *> $null; & apt-get install -y -q @missing *> $null }
    if ($LASTEXITCODE -ne 0) { Write-Warning "Installing $($missing -join ', ') failed." }
}

# tests/Terminal/*.sh drive pwsh in a real terminal (tmux); each 'ok' line is a passed check, each 'FAIL' line a failed one.
function Invoke-TerminalTests {
    $counts = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    if ($IsWindows) { return $counts }
    foreach ($script in Get-ChildItem (Join-Path $root 'tests/Terminal') -Filter '*.sh') {
        $lines = & bash $script.FullName 2>&1 | ForEach-Object { Write-Host $_; "$_" }
        $exit = $LASTEXITCODE
        $counts.Passed += @($lines | Where-Object { $_ -like 'ok *' }).Count
        $counts.Skipped += @($lines | Where-Object { $_ -like 'SKIP*' }).Count
        $failed = @($lines | Where-Object { $_ -like 'FAIL*' }).Count
        $counts.Failed += if ($exit -ne 0 -and $failed -eq 0) { 1 } else { $failed }
    }
    $counts
}

# The tree is held to .editorconfig: whitespace, import order and the analyzers' fixable findings. One check: it passes
# when dotnet format would change nothing.
function Invoke-StyleCheck {
    & dotnet format $solution --verify-no-changes --no-restore --verbosity quiet | Out-Host
    $ok = $LASTEXITCODE -eq 0
    if (-not $ok) { Write-Host "FAIL dotnet format: run 'dotnet format $([IO.Path]::GetFileName($solution))' and commit what it changes." }
    [pscustomobject]@{ Passed = [int]$ok; Failed = [int](-not $ok); Skipped = 0 }
}

# One xunit step: the counts of the trx files it writes; a crashed test host is a failure too.
function Invoke-XunitStep([string] $Target, [string] $Title) {
    Write-Host "== xunit: $Title" -ForegroundColor Cyan
    $xunitResults = Join-Path $results 'xunit'
    & dotnet test $Target -c $Configuration --no-build --logger 'trx' --logger 'console;verbosity=normal' --results-directory $xunitResults | Out-Host
    $exit = $LASTEXITCODE
    $counts = Read-TrxCounts $xunitResults
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    $counts
}

# One Pester step in a fresh pwsh over the given test files or folders; its counts come back through a JSON file.
function Invoke-PesterStep([string[]] $Path, [string] $Title, [hashtable] $Environment = @{}) {
    Write-Host "== Pester $PesterVersion, $Title, in a fresh pwsh" -ForegroundColor Cyan
    $pesterSummary = Join-Path $results 'pester-summary.json'
    $paths = @($Path | ForEach-Object { "'$_'" }) -join ', '
    $pesterExit = Invoke-FreshPwsh -Environment $Environment -Command @"
Import-Module '$(Join-Path $out "tools/Pester/$PesterVersion/Pester.psd1")' -Force
`$config = New-PesterConfiguration
`$config.Run.Path = @($paths)
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Normal'
`$run = Invoke-Pester -Configuration `$config
@{ Passed = `$run.PassedCount; Failed = `$run.FailedCount + `$run.FailedBlocksCount + `$run.FailedContainersCount; Skipped = `$run.SkippedCount } |
    ConvertTo-Json | Set-Content '$pesterSummary'
exit ([int](`$run.Result -ne 'Passed'))
"@
    $counts = if (Test-Path $pesterSummary) { Get-Content $pesterSummary -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($pesterExit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    $counts
}

# A line per lane and the combined 'N passed, N failed' line .ci/run reads; throws when anything failed.
function Write-TestTotals([System.Collections.Specialized.OrderedDictionary] $Lanes, [string] $Note = '') {
    Write-Host ''
    foreach ($name in $Lanes.Keys) {
        $lane = $Lanes[$name]
        Write-Host ("{0,-9} {1} passed, {2} failed, {3} skipped" -f "${name}:", $lane.Passed, $lane.Failed, $lane.Skipped)
    }
    $passed = ($Lanes.Values | Measure-Object -Property Passed -Sum).Sum
    $failed = ($Lanes.Values | Measure-Object -Property Failed -Sum).Sum
    Write-Host "$passed passed, $failed failed$Note"
    if ($failed -gt 0) { throw 'Tests failed.' }
}

function Invoke-Test {
    Initialize-TestTools
    Invoke-Build
    Invoke-Package -Built
    # Azurite (tests/Azurite, pinned by its package-lock.json): npm ci from the configured registry, once, when not current.
    Import-Module (Join-Path $root 'tests/Pester/FinqLink.Azurite.psm1') -Force
    Initialize-FinqLinkTestAzurite
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $lanes = [ordered]@{}
    $lanes.xunit = Invoke-XunitStep $solution 'every project'
    $lanes.Pester = Invoke-PesterStep (Join-Path $root 'tests/Pester') 'the whole suite' @{ FINQLINK_TEST_PACKAGES = $packages }
    Write-Host '== Terminal (tmux)' -ForegroundColor Cyan
    $lanes.Terminal = Invoke-TerminalTests
    Write-Host '== Code style (dotnet format --verify-no-changes)' -ForegroundColor Cyan
    $lanes.Style = Invoke-StyleCheck
    Write-TestTotals $lanes
}

# The inner loop's lane, in 90 s or less on a quiet 2-core machine once the tree was built: FinqLink.Core.Tests (Core's
# unit tests, on fakes and a fake clock) and a Pester run of the smoke file (import, connect to a sandbox, create and
# get a link, one refused row) and the repository checks (links, script rules). Test stays the gate: it adds the
# sandbox's and the hosted module's xunit tests, the whole Pester suite, packaging, the terminal test and dotnet format.
function Invoke-QuickTest {
    Invoke-Build
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $lanes = [ordered]@{}
    $lanes.xunit = Invoke-XunitStep (Join-Path $root 'tests/FinqLink.Core.Tests') 'FinqLink.Core.Tests'
    $lanes.Pester = Invoke-PesterStep ('FinqLink.Smoke.Tests.ps1', 'FinqLink.Repository.Tests.ps1' | ForEach-Object { Join-Path $root "tests/Pester/$_" }) 'smoke and repository checks'
    Write-TestTotals $lanes ' (quick lane; -Task Test is the full gate)'
}

function Invoke-Demo {
    # Only what the demo runs: the module (with its help) and the sandbox, not the tests and the bench.
    foreach ($project in 'src/FinqLink', 'src/FinqLink.Sandbox') { Invoke-Dotnet build (Join-Path $root $project) -c $Configuration }
    $exit = Invoke-FreshPwsh -Command "& '$(Join-Path $root 'samples/Invoke-BulkPaymentLinks.ps1')'; exit ([int](-not `$?))" -Environment @{
        PSModulePath          = $out + [IO.Path]::PathSeparator + $env:PSModulePath
        FINQLINK_SANDBOX_PATH = Join-Path $out 'sandbox/FinqLink.Sandbox.dll'
    }
    if ($exit -ne 0) { throw "The demo failed (exit code $exit)." }
}

function Invoke-Clean {
    $targets = @($out) + @(Get-ChildItem $root -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object { $_.FullName -notmatch '[\\/](\.git|node_modules)[\\/]' } | ForEach-Object FullName)
    foreach ($path in $targets) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
}

$Task = @($Task -split ',' | ForEach-Object Trim | Where-Object { $_ })
$unknown = @($Task | Where-Object { $_ -notin 'Clean', 'Build', 'Docs', 'Test', 'QuickTest', 'Package', 'Demo' })
if ($unknown -or -not $Task) { throw "Unknown task '$($unknown -join "', '")': the tasks are Clean, Build, Docs, Test, QuickTest, Package and Demo." }

foreach ($step in $Task) {
    Write-Host "== $step" -ForegroundColor Cyan
    switch ($step) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Docs' { Invoke-Docs }
        'Package' { Invoke-Package }
        'Test' { Invoke-Test }
        'QuickTest' { Invoke-QuickTest }
        'Demo' { Invoke-Demo }
    }
}
