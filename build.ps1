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
      Test     builds, packages, then runs every test in lanes side by side (-TestThrottleLimit at once): xunit, the
               Pester files in groups (each in a fresh pwsh), the terminal tests and dotnet format; fails if any fails
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
    [string] $PesterVersion,

    # How many test lanes (xunit, Pester file groups, terminal tests, dotnet format) run at once in Test.
    [ValidateRange(1, 16)]
    [int] $TestThrottleLimit = 4,

    # Run the Pester lanes in the PowerShell .NET tool's own pwsh, as it ships (IL only), instead of a copy with its
    # startup assemblies precompiled (build/TestPwsh.psm1).
    [switch] $ToolPwsh
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
Import-Module (Join-Path $root 'build/TestLanes.psm1') -Force
Import-Module (Join-Path $root 'tests/Pester/FinqLink.TestHelpers.psm1') -Force
# The folder of the pwsh the Pester lanes run in: $PSHOME, or its precompiled copy (Start-LanePwsh).
$script:LanePwshHome = $PSHOME

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

# A fresh pwsh like this one, with the command and the environment variables given.
function Invoke-FreshPwsh([string] $Command, [hashtable] $Environment = @{}) {
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $pwsh = Get-FreshPwshCommand
        [string[]] $arguments = $pwsh.ArgumentList + @('-Command', $Command)
        & $pwsh.FilePath @arguments | Out-Host
        return $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

# dotnet build with the compilations sharing one compiler server (Roslyn's VBCSCompiler), also where the environment says
# UseSharedCompilation=false, as some CI images do: a compiler process per project made the solution's build 113 CPU-s
# and 62 s, one server 77 CPU-s and 41 s (2 cores). Where the environment said so, the server is stopped when the build
# ends (compilations under way finish first).
function Invoke-DotnetBuild {
    $startsServer = $env:UseSharedCompilation -eq 'false'
    try { Invoke-Dotnet build @args -c $Configuration '-p:UseSharedCompilation=true' }
    finally { if ($startsServer) { & dotnet build-server shutdown --vbcscompiler *> $null } }
}

function Invoke-Build {
    # Besides the module this lays out out/sandbox/ and out/tools/Pester/<version>/ (build/Pester/Pester.csproj).
    Invoke-DotnetBuild $solution "-p:PesterVersion=$PesterVersion"
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

# The command line of a fresh pwsh like this one (FinqLink.TestHelpers.psm1 knows the PowerShell .NET tool's), for a lane.
function Get-FreshPwshCommand([string] $PwshHome = $PSHOME) {
    $command = @(Get-FinqLinkTestPwshCommand $PwshHome)
    @{ FilePath = $command[0]; ArgumentList = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') }
}

# The PowerShell .NET tool ships its assemblies as IL only, so each fresh pwsh compiles its startup code again (about
# 0.7 of a bare start's 1.2 CPU-s); PowerShell's installers ship them precompiled. The Pester lanes, which start some
# 80 pwsh processes besides their own, run in a copy of the tool precompiled the same way, made once per machine while the build
# runs. An installed pwsh, or -ToolPwsh, runs them as it is.
function Start-LanePwsh {
    if ($ToolPwsh -or -not (Test-FinqLinkToolPwsh)) { return $null }
    Start-ThreadJob -ArgumentList (Join-Path $root 'build/TestPwsh.psm1'), (Join-Path $root 'build/TestPwsh/TestPwsh.csproj') -ScriptBlock {
        param($module, $project)
        Import-Module $module
        Initialize-TestPwsh -Project $project
    }
}

function Complete-LanePwsh($Job) {
    if (-not $Job) { return }
    try { $script:LanePwshHome = $Job | Receive-Job -Wait -AutoRemoveJob }
    catch { Write-Warning "The Pester lanes run in the tool's own pwsh: precompiling a copy failed. $_" }
}

# xunit over the solution or one test project; counted by the trx files it writes.
function New-XunitLane([string] $Name, [string] $Target) {
    $folder = Join-Path $results (Get-LaneFileName $Name)
    New-TestLane -Name $Name -FilePath 'dotnet' -CountedBy Trx -ResultPath $folder -ArgumentList @(
        'test', $Target, '-c', $Configuration, '--no-build', '--logger', 'trx', '--logger', 'console;verbosity=normal', '--results-directory', $folder)
}

# Pester over some test files, in a fresh pwsh with the pinned Pester (build/Invoke-PesterLane.ps1).
function New-PesterLane([string] $Name, [string[]] $File) {
    $pwsh = Get-FreshPwshCommand $script:LanePwshHome
    $summary = Join-Path $results "$(Get-LaneFileName $Name).json"
    New-TestLane -Name $Name -FilePath $pwsh.FilePath -CountedBy PesterSummary -ResultPath $summary -ArgumentList ($pwsh.ArgumentList + @(
            '-File', (Join-Path $root 'build/Invoke-PesterLane.ps1'), '-PesterManifest', (Join-Path $out "tools/Pester/$PesterVersion/Pester.psd1"),
            '-Path', (($File | ForEach-Object { Join-Path $root "tests/Pester/$_" }) -join '|'), '-SummaryPath', $summary))
}

# The Pester files in lanes of roughly equal length, the longest first (in a whole run from a fresh clone, 4 lanes at once:
# storage journal 200 s, bulk 172, slot registry 163, install and runbooks 126, sandbox and views 78, the other files 75):
# the storage files wait for leases to lapse in real time. A file not named here runs in the last lane.
$PesterLanes = [ordered]@{
    'Pester: storage journal'   = @('FinqLink.StorageJournal.Tests.ps1')
    'Pester: slot registry'     = @('FinqLink.SlotRegistry.Tests.ps1', 'FinqLink.KeyVault.Tests.ps1')
    'Pester: bulk'              = @('FinqLink.Bulk.Tests.ps1')
    'Pester: install, runbooks' = @('FinqLink.Install.Tests.ps1', 'FinqLink.Runbooks.Tests.ps1')
    'Pester: sandbox, views'    = @('FinqLink.Sandbox.Tests.ps1', 'FinqLink.Views.Tests.ps1')
}

function Get-PesterLane {
    $named = @($PesterLanes.Values | ForEach-Object { $_ })
    foreach ($name in $PesterLanes.Keys) { New-PesterLane $name $PesterLanes[$name] }
    $rest = @(Get-ChildItem (Join-Path $root 'tests/Pester') -Filter '*.Tests.ps1' | ForEach-Object Name | Where-Object { $_ -notin $named })
    if ($rest) { New-PesterLane 'Pester: the other files' $rest }
}

# tests/Terminal/*.sh drive pwsh in a real terminal (tmux); each 'ok' line is a passed check, each 'FAIL' line a failed one.
# A script whose header says '# Runs in the foreground' times how soon the prompt comes back, so the other lanes run at a
# lower priority beside it (build/TestLanes.psm1). The panes run the lanes' precompiled pwsh when there is one
# (FINQLINK_TEST_PWSH_HOME), as an installed pwsh is; else the PowerShell tool.
function Get-TerminalLane {
    if ($IsWindows) { return }
    foreach ($script in Get-ChildItem (Join-Path $root 'tests/Terminal') -Filter '*.sh') {
        $foreground = [bool]((Get-Content $script.FullName -TotalCount 20) -match '^# Runs in the foreground')
        New-TestLane -Name "Terminal: $($script.BaseName)" -FilePath 'bash' -ArgumentList $script.FullName -CountedBy TerminalLines -Foreground:$foreground
    }
}

# The tree is held to .editorconfig in three places: the build enforces the analyzers and the code style (every warning
# an error), this lane the whitespace (dotnet format's whitespace pass, which reads the files without loading the
# solution: 9 CPU-seconds instead of about 90), and the repository checks the using order (Find-UsingOrderViolation).
function New-StyleLane {
    $pwsh = Get-FreshPwshCommand
    $check = "Set-Location '$root'; dotnet format whitespace --folder --verify-no-changes --verbosity quiet --exclude '**/bin/**' '**/obj/**' 'out/**' 'tests/Azurite/node_modules/**'; if (`$LASTEXITCODE) { 'FAIL dotnet format: run ''dotnet format $([IO.Path]::GetFileName($solution))'' and commit what it changes.'; exit 1 }"
    New-TestLane -Name 'Style: dotnet format' -FilePath $pwsh.FilePath -ArgumentList ($pwsh.ArgumentList + @('-Command', $check))
}

# The test processes are short (about 150 of them: pwsh, sandboxes, test hosts, Azurite's node aside), so most of their CPU
# goes to compiling code they run a few times. Dynamic PGO first compiles hot methods with instrumentation, then again,
# work such a process never earns back: without it a whole run from a fresh clone took 545 CPU-s and 296 s instead of
# 726 and 384. It changes how fast the code gets, not what it does; the bench keeps the runtime's defaults, as users
# run it. Each of the suite's pwsh processes would also start PowerShell's telemetry client (about 8% of a fresh pwsh's
# CPU: 0.37 CPU-s instead of 0.34 for Import-Module FinqLink) and an interactive one would look for updates; the bench's
# processes opt out of both too. A value the caller set is kept.
$TestRuntimeVariables = [ordered]@{ DOTNET_TieredPGO = '0'; POWERSHELL_TELEMETRY_OPTOUT = '1'; POWERSHELL_UPDATECHECK = 'Off' }

function Invoke-WithTestRuntime([scriptblock] $Body) {
    $saved = @{}
    foreach ($name in $TestRuntimeVariables.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        if ($null -eq $saved[$name]) { [Environment]::SetEnvironmentVariable($name, $TestRuntimeVariables[$name]) }
    }
    try { & $Body }
    finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
}

function Invoke-Test {
    Initialize-TestTools
    # Azurite (tests/Azurite, pinned by its package-lock.json), while the build runs: npm ci from the configured registry
    # once per machine and lock file, into the user's cache (about 30 s and 40 CPU-s), which every clone then shares.
    $azurite = Start-ThreadJob -ArgumentList (Join-Path $root 'tests/Pester/FinqLink.Azurite.psm1') -ScriptBlock {
        param($module)
        Import-Module $module
        Initialize-FinqLinkTestAzurite
    }
    $lanePwsh = Start-LanePwsh
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    # dotnet format reads the sources, not what the build makes: it runs beside the build, which leaves part of a core idle.
    $style = Start-TestLane (New-StyleLane) -LogFolder $results
    try {
        try {
            Invoke-Build
            Invoke-Package -Built
        }
        finally {
            try { $azurite | Receive-Job -Wait -AutoRemoveJob }
            finally { Complete-LanePwsh $lanePwsh }
        }
    }
    catch {
        # A failed build, package or Azurite install: the lanes never start, so nothing else would collect it.
        Stop-TestLane $style
        throw
    }
    $env:FINQLINK_TEST_PACKAGES = $packages
    if (Test-FinqLinkToolPwsh) { $env:FINQLINK_TEST_PWSH_HOME = $script:LanePwshHome }
    try {
        $pester = @(Get-PesterLane)
        $lanes = @($pester[0..2]) + @(New-XunitLane 'xunit: every project' $solution) + @($pester | Select-Object -Skip 3) + @(Get-TerminalLane)
        $counts = Invoke-TestLane -Lane $lanes -LogFolder $results -ThrottleLimit $TestThrottleLimit -Started $style
    }
    finally { $env:FINQLINK_TEST_PACKAGES = $env:FINQLINK_TEST_PWSH_HOME = $null }
    Write-TestTotal $counts
}

# The inner loop's lane, in 90 s or less on a quiet 2-core machine once the tree was built: FinqLink.Core.Tests (Core's
# unit tests, on fakes and a fake clock) and a Pester run of the smoke file (import, connect to a sandbox, create and
# get a link, one refused row) and the repository checks (links, script rules), side by side. Test stays the gate: it
# adds the sandbox's and the hosted module's xunit tests, the whole Pester suite, packaging, the terminal tests and
# dotnet format.
function Invoke-QuickTest {
    $lanePwsh = Start-LanePwsh
    try { Invoke-Build }
    finally { Complete-LanePwsh $lanePwsh }
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $lanes = @(
        New-XunitLane 'xunit: FinqLink.Core.Tests' (Join-Path $root 'tests/FinqLink.Core.Tests')
        New-PesterLane 'Pester: smoke and repository' 'FinqLink.Smoke.Tests.ps1', 'FinqLink.Repository.Tests.ps1'
    )
    Write-TestTotal (Invoke-TestLane -Lane $lanes -LogFolder $results -ThrottleLimit 2) ' (quick lane; -Task Test is the full gate)'
}

function Invoke-Demo {
    # Only what the demo runs: the module (with its help) and the sandbox, not the tests and the bench.
    foreach ($project in 'src/FinqLink', 'src/FinqLink.Sandbox') { Invoke-DotnetBuild (Join-Path $root $project) }
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
        'Test' { Invoke-WithTestRuntime { Invoke-Test } }
        'QuickTest' { Invoke-WithTestRuntime { Invoke-QuickTest } }
        'Demo' { Invoke-Demo }
    }
}
