# What every Pester file shares: the built module under test, and a local sandbox started and stopped around the file.
# Run the suite after a build (./build.ps1 -Task Build, or dotnet build FinqLink.sln): Invoke-Pester tests/Pester.

$script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-FinqLinkTestManifest {
    # The module the suite tests: $env:FINQLINK_MODULE_MANIFEST (an installed copy, say), else the repository's build output.
    if ($env:FINQLINK_MODULE_MANIFEST) { return $env:FINQLINK_MODULE_MANIFEST }
    $props = [xml](Get-Content (Join-Path $script:Root 'Directory.Build.props') -Raw)
    $version = $props.Project.PropertyGroup.FinqLinkVersion | Where-Object { $_ } | Select-Object -First 1
    $manifest = Join-Path $script:Root "out/FinqLink/$version/FinqLink.psd1"
    if (-not (Test-Path $manifest)) { throw "The module is not built ($manifest is missing): run ./build.ps1 -Task Build first." }
    $manifest
}

function Import-FinqLinkUnderTest {
    Get-Module FinqLink | Remove-Module -Force
    Import-Module (Get-FinqLinkTestManifest) -Force -ErrorAction Stop -Global
}

function Get-FinqLinkTestSandboxPath {
    # The sandbox the suite runs against: $env:FINQLINK_SANDBOX_PATH if set, else the one the build laid out in out/sandbox.
    if ($env:FINQLINK_SANDBOX_PATH) { return $env:FINQLINK_SANDBOX_PATH }
    $built = Join-Path $script:Root 'out/sandbox/FinqLink.Sandbox.dll'
    if (-not (Test-Path $built)) { throw "The sandbox is not built ($built is missing): run ./build.ps1 -Task Build first." }
    $built
}

function Start-FinqLinkTestSandbox {
    # Fast bank and job steps, no refresh cooldown: the suite waits on them often. Extra options pass through.
    [CmdletBinding()]
    param([hashtable] $Options = @{})
    $defaults = @{ Path = Get-FinqLinkTestSandboxPath; BankStepDelayMs = 20; JobStepDelayMs = 20; JobCooldownSec = 0 }
    foreach ($key in $Options.Keys) { $defaults[$key] = $Options[$key] }
    Start-FinqLinkSandbox @defaults
}

function Get-FinqLinkSandboxStats {
    [CmdletBinding()]
    param($Sandbox)
    $arguments = @{ Action = 'GetStats' }
    if ($Sandbox) { $arguments.Sandbox = $Sandbox }
    Invoke-FinqLinkSandbox @arguments
}

function Get-FinqLinkTestPwshCommand([string] $PwshHome = $PSHOME) {
    # A fresh pwsh like this one, as a command line: the PowerShell .NET tool runs as 'dotnet pwsh.dll' (from -PwshHome,
    # the tool's folder or its precompiled copy), an installed pwsh as itself.
    $launcher = [Environment]::ProcessPath
    if (Test-FinqLinkToolPwsh) { return $launcher, (Join-Path $PwshHome 'pwsh.dll') }
    , $launcher
}

# Whether this pwsh is the PowerShell .NET tool (run by dotnet), not an installed pwsh.
function Test-FinqLinkToolPwsh { [IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet' }

function Invoke-FinqLinkTestPwsh {
    # Runs a script in a fresh pwsh like this one (the PowerShell .NET tool runs as 'dotnet pwsh.dll'), with extra
    # environment variables; returns its output lines and throws when it fails.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Command, [hashtable] $Environment = @{})
    $pwsh = @(Get-FinqLinkTestPwshCommand)
    [string[]] $prefix = @($pwsh | Select-Object -Skip 1)
    $saved = @{}
    foreach ($name in $Environment.Keys) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $Environment[$name])
    }
    try {
        $output = & $pwsh[0] @prefix -NoProfile -NonInteractive -Command $Command 2>&1 | ForEach-Object { "$_" }
        if ($LASTEXITCODE -ne 0) { throw "pwsh failed ($LASTEXITCODE):`n$($output -join "`n")" }
        $output
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

function Get-FinqLinkTestPackages {
    # The folder holding FinqLink.<version>.nupkg and the sandbox tool's FinqLink.Sandbox.<version>.nupkg:
    # $env:FINQLINK_TEST_PACKAGES (build.ps1 -Task Test packs first), else both packed now.
    $folder = $env:FINQLINK_TEST_PACKAGES
    # -Filter takes only * and ?, so the module's package (FinqLink.<digit>…) is picked out by name.
    $packed = @(if ($folder) { Get-ChildItem $folder -Filter 'FinqLink.*.nupkg' -ErrorAction SilentlyContinue | ForEach-Object Name })
    if (($packed -match '^FinqLink\.Sandbox\.\d') -and ($packed -match '^FinqLink\.\d')) { return $folder }
    $folder = New-FinqLinkTestFolder
    $script:PackedHere = $folder
    & dotnet run --project (Join-Path $script:Root 'build/FinqLink.Packager') -- (Split-Path (Get-FinqLinkTestManifest)) $folder | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'Packing the module failed.' }
    & dotnet pack (Join-Path $script:Root 'src/FinqLink.Sandbox') -c Release -o $folder --nologo | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'Packing the sandbox tool failed.' }
    $folder
}

function Remove-FinqLinkTestPackages {
    # Removes the folder Get-FinqLinkTestPackages packed into, if it packed (one given by build.ps1 stays).
    if ($script:PackedHere) { Remove-Item $script:PackedHere -Recurse -Force -ErrorAction SilentlyContinue }
    $script:PackedHere = $null
}

function New-FinqLinkTestFolder {
    $path = Join-Path ([IO.Path]::GetTempPath()) "finqlink-pester-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $path | Out-Null
    $path
}

function Remove-FinqLinkKilledProcessFiles {
    # A .NET process that exits removes its diagnostics pipes and PowerShell's host pipe from the temp folder; one killed
    # with SIGKILL cannot. A test that kills a process removes them after it.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [int] $ProcessId)
    $temp = [IO.Path]::GetTempPath()
    foreach ($pattern in "clr-debug-pipe-$ProcessId-*", "dotnet-diagnostic-$ProcessId-*", "CoreFxPipe_PSHost.*.$ProcessId.*") {
        Get-ChildItem -LiteralPath $temp -Filter $pattern -Force -ErrorAction SilentlyContinue | Remove-Item -Force -ErrorAction SilentlyContinue
    }
}

function New-FinqLinkTestMachine {
    # A "machine" under -Work: its own TMPDIR, HOME and XDG folders, so nothing local (journal, lane marks, caches) is
    # shared. Returns those environment variables, for a process started on it.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Work, [Parameter(Mandatory)] [string] $Name)
    $root = Join-Path $Work "machine-$Name-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    $variables = @{}
    foreach ($pair in @{ TMPDIR = 'tmp'; HOME = 'home'; XDG_CONFIG_HOME = 'config'; XDG_CACHE_HOME = 'cache'; XDG_DATA_HOME = 'data' }.GetEnumerator()) {
        $folder = Join-Path $root $pair.Value
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        $variables[$pair.Key] = $folder
    }
    $variables
}

function New-FinqLinkTestPwshStart {
    # How to start a fresh pwsh like this one (the PowerShell .NET tool runs as 'dotnet pwsh.dll') with these arguments
    # and extra environment variables, for a test that starts, watches or kills the process itself.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string[]] $Argument, [hashtable] $Environment = @{})
    $command = @(Get-FinqLinkTestPwshCommand) + $Argument
    $info = [System.Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($item in $command | Select-Object -Skip 1) { $info.ArgumentList.Add($item) }
    $info.UseShellExecute = $false
    foreach ($pair in $Environment.GetEnumerator()) { $info.Environment[$pair.Key] = $pair.Value }
    $info
}

function Get-FinqLinkTestSentLink {
    # The links the sandbox holds for rows named <Prefix>-<n> (their remittance information), as it received them.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Prefix, [Parameter(Mandatory)] $Sandbox)
    @((Invoke-FinqLinkSandbox GetLinks -Sandbox $Sandbox).links | Where-Object { $_.single_transfer.remittance_information -like "$Prefix-*" })
}

function Wait-FinqLinkTestSentLink {
    # Waits until the sandbox holds at least -Count links of the prefix (a run is mid-way), looking every -IntervalMs.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Prefix, [Parameter(Mandatory)] [int] $Count, [Parameter(Mandatory)] $Sandbox,
        [int] $TimeoutSec = 60, [int] $IntervalMs = 100)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ((Get-FinqLinkTestSentLink $Prefix -Sandbox $Sandbox).Count -lt $Count) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "$Count links of $Prefix did not appear." }
        Start-Sleep -Milliseconds $IntervalMs
    }
}

# A folder in the user's cache for what the tests install once per machine and every clone shares, as NuGet keeps its
# packages: $env:<OverrideVariable> when set, else <user cache>/finqlink/<Name>. Always absolute (from PowerShell's
# current location): MSBuild, .NET and PowerShell would each resolve a relative one from a folder of their own.
function Get-FinqLinkTestCache([string] $Name, [string] $OverrideVariable) {
    $override = [Environment]::GetEnvironmentVariable($OverrideVariable)
    $cache = if ($override) { $override }
    elseif ($env:XDG_CACHE_HOME) { Join-Path $env:XDG_CACHE_HOME "finqlink/$Name" }
    elseif ($IsWindows) { Join-Path $env:LOCALAPPDATA "finqlink/$Name" }
    else { Join-Path $HOME ".cache/finqlink/$Name" }
    $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($cache)
}

# Makes a folder of that cache once: -Fill writes it in a staging folder beside it, which is then moved into place, so a
# clone doing the same at the same time never sees half a folder. The folder is made once -Marker (a path in it) exists.
# Staging folders a stopped run left behind (Ctrl+C, a killed CI job) are removed after an hour; none lasts that long.
function Install-FinqLinkTestCacheFolder([string] $Folder, [string] $Marker, [scriptblock] $Fill) {
    if (Test-Path (Join-Path $Folder $Marker)) { return }
    Get-ChildItem (Split-Path $Folder) -Directory -Filter '*.staging' -ErrorAction SilentlyContinue |
        Where-Object LastWriteTimeUtc -lt ([DateTime]::UtcNow.AddHours(-1)) |
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
    $staging = "$Folder.$([guid]::NewGuid().ToString('N').Substring(0, 8)).staging"
    New-Item -ItemType Directory -Path $staging -Force | Out-Null
    try {
        $null = & $Fill $staging
        try { [IO.Directory]::Move($staging, $Folder) }
        catch [IO.IOException] { if (-not (Test-Path (Join-Path $Folder $Marker))) { throw } }
    }
    finally { if (Test-Path $staging) { Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue } }
}

# A port free on loopback now (the caller binds it next).
function Get-FreePort {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
}

# Receive-FinqWebhook in a thread job with -Parameters and -Verbose, on the module -Manifest names and -Session; returns
# once its verbose stream says it listens.
function Start-FinqLinkTestReceiver([string] $Manifest, $Session, [hashtable] $Parameters) {
    $job = Start-ThreadJob -ArgumentList $Manifest, $Session, $Parameters {
        param([string] $manifest, $session, [hashtable] $parameters)
        Import-Module $manifest
        Receive-FinqWebhook @parameters -Session $session -Verbose
    }
    Wait-JobStream $job $job.Verbose { @($args[0] | Where-Object Message -like 'Listening for FinqLink webhooks on *').Count -gt 0 } 'it listens'
    $job
}

# Waits on one of the job's streams (its DataAdded event) until $Done holds, for 60 s at most.
function Wait-JobStream($Job, $Stream, [scriptblock] $Done, [string] $What) {
    $source = [guid]::NewGuid().ToString()
    Register-ObjectEvent -InputObject $Stream -EventName DataAdded -SourceIdentifier $source | Out-Null
    try {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (& $Done $Stream)) {
            if ($Job.State -in 'Completed', 'Failed', 'Stopped') { throw "The receiver ended before $What`: $($Job | Receive-Job 2>&1 | Out-String)" }
            $left = ($deadline - [DateTime]::UtcNow).TotalSeconds
            if ($left -le 0) { throw "Not within 60 s: $What." }
            Wait-Event -SourceIdentifier $source -Timeout ([Math]::Ceiling([Math]::Min($left, 5))) | Remove-Event -ErrorAction SilentlyContinue
        }
    }
    finally {
        Unregister-Event -SourceIdentifier $source
        Get-Event -SourceIdentifier $source -ErrorAction SilentlyContinue | Remove-Event
    }
}

Export-ModuleMember -Function Get-FinqLinkTestManifest, Get-FinqLinkTestPwshCommand, Test-FinqLinkToolPwsh, Import-FinqLinkUnderTest, Get-FinqLinkTestSandboxPath, Start-FinqLinkTestSandbox,
    Get-FinqLinkSandboxStats, New-FinqLinkTestFolder, Invoke-FinqLinkTestPwsh, Get-FinqLinkTestPackages, Remove-FinqLinkTestPackages,
    Remove-FinqLinkKilledProcessFiles, Get-FreePort, Wait-JobStream, New-FinqLinkTestMachine, New-FinqLinkTestPwshStart,
    Get-FinqLinkTestSentLink, Wait-FinqLinkTestSentLink, Start-FinqLinkTestReceiver, Get-FinqLinkTestCache,
    Install-FinqLinkTestCacheFolder
