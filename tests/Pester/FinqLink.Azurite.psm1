# Azurite, the official Azure Storage emulator (npm package azurite, pinned in tests/Azurite/package-lock.json), started
# for a test like the sandbox: a free port on 127.0.0.1, its data in a temporary folder, an account with a key made for
# this start, and stopped afterwards leaving nothing behind, also when the pwsh that started it dies (Azurite runs under
# tests/Azurite/blob-until-stdin-closes.js, which ends it when its standard input closes).

Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1')
$script:AzuriteFolder = (Resolve-Path (Join-Path $PSScriptRoot '../Azurite')).Path
$script:Account = 'finqlinktest'

function Initialize-FinqLinkTestAzurite {
    # Azurite's packages (about 55,000 files, some 50 CPU-seconds for npm ci to write) are installed once per machine and
    # lock file, as NuGet keeps its packages, and shared by every clone: in <user cache>/finqlink/azurite/<hash of
    # package-lock.json> ($env:FINQLINK_AZURITE_CACHE instead of <user cache>/finqlink/azurite), by npm ci from the
    # registry npm is configured with. Returns that folder.
    [CmdletBinding()]
    param()
    $lock = Join-Path $script:AzuriteFolder 'package-lock.json'
    $cache = Get-FinqLinkTestCache azurite FINQLINK_AZURITE_CACHE
    $folder = Join-Path $cache (Get-FileHash $lock -Algorithm SHA256).Hash.Substring(0, 16).ToLowerInvariant()
    Install-FinqLinkTestCacheFolder $folder 'node_modules/.package-lock.json' {
        param($staging)
        if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { throw 'npm is needed for the storage-journal tests (Azurite): install Node.js 18 or later.' }
        Copy-Item (Join-Path $script:AzuriteFolder 'package.json'), $lock -Destination $staging
        Push-Location $staging
        try {
            $output = & npm ci --no-audit --no-fund 2>&1
            if ($LASTEXITCODE -ne 0) { throw "npm ci for Azurite (in $staging) failed:`n$($output -join "`n")" }
        }
        finally { Pop-Location }
    }
    $folder
}

function Start-FinqLinkTestAzurite {
    # Starts Azurite's blob service. -DataPath reuses the folder of an earlier start (a restart after an outage); its
    # -AccountKey must then be the same. Returns what a test needs: Port, BlobEndpoint, ConnectionString, DataPath.
    [CmdletBinding()]
    param([string] $DataPath, [string] $AccountKey, [int] $Port = 0)
    $modules = Initialize-FinqLinkTestAzurite
    $ownsData = -not $DataPath
    if ($ownsData) {
        $DataPath = Join-Path ([IO.Path]::GetTempPath()) "finqlink-azurite-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $DataPath | Out-Null
    }
    if (-not $AccountKey) { $AccountKey = [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(64)) }
    $node = (Get-Command node -ErrorAction Stop).Source
    $info = [Diagnostics.ProcessStartInfo]::new($node)
    foreach ($argument in (Join-Path $script:AzuriteFolder 'blob-until-stdin-closes.js'), '--blobHost', '127.0.0.1', '--blobPort', "$Port",
        '--location', $DataPath, '--skipApiVersionCheck', '--silent') { $info.ArgumentList.Add($argument) }
    $info.WorkingDirectory = $script:AzuriteFolder
    $info.UseShellExecute = $false
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.Environment['AZURITE_ACCOUNTS'] = "$($script:Account):$AccountKey"
    $info.Environment['FINQLINK_AZURITE_MODULES'] = $modules
    # Azurite removes the data folder itself when it ends, also when this pwsh dies first; a restart's folder is the
    # caller's to keep (Stop -KeepData) and remove.
    $info.Environment['FINQLINK_AZURITE_REMOVE_DATA'] = '1'
    $process = [Diagnostics.Process]::Start($info)
    $errors = $process.StandardError.ReadToEndAsync()
    # Azurite prints the address it listens on once the port is open: the port is read from that line (port 0 = free).
    $listening = $null
    $deadline = [Diagnostics.Stopwatch]::StartNew()
    while (-not $listening -and $deadline.Elapsed.TotalSeconds -lt 60) {
        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait(60000 - [int]$deadline.Elapsed.TotalMilliseconds) -or $null -eq $line.Result) { break }
        if ($line.Result -match 'listens on http://127\.0\.0\.1:(\d+)') { $listening = [int]$Matches[1] }
    }
    if (-not $listening) {
        if (-not $process.HasExited) { $process.Kill($true) }
        $process.WaitForExit()
        if ($ownsData) { Remove-Item $DataPath -Recurse -Force -ErrorAction SilentlyContinue }
        throw "Azurite did not start: $($errors.Result)"
    }
    $endpoint = "http://127.0.0.1:$listening/$($script:Account)"
    [pscustomobject]@{
        Process          = $process
        Port             = $listening
        Account          = $script:Account
        AccountKey       = $AccountKey
        BlobEndpoint     = $endpoint
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=$($script:Account);AccountKey=$AccountKey;BlobEndpoint=$endpoint;"
        DataPath         = $DataPath
        OwnsData         = $ownsData
    }
}

function Stop-FinqLinkTestAzurite {
    # Closes Azurite's standard input (it saves its data, ends and removes its data folder), and waits for it. With
    # -KeepData the folder stays for a restart on the same data (-DataPath); the last stop removes it.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Azurite, [switch] $KeepData)
    $process = $Azurite.Process
    if (-not $process.HasExited) {
        try {
            if ($KeepData) { $process.StandardInput.WriteLine('keep'); $process.StandardInput.Flush() }
            $process.StandardInput.Close()
        }
        catch [System.IO.IOException] { }
        if (-not $process.WaitForExit(10000)) { $process.Kill($true); $process.WaitForExit() }
    }
    $process.Dispose()
    if (-not $KeepData -and (Test-Path $Azurite.DataPath)) { Remove-Item $Azurite.DataPath -Recurse -Force -ErrorAction SilentlyContinue }
}

function Invoke-FinqLinkTestStorage {
    # Runs -Script in a fresh pwsh with the Azure SDK the module ships loaded and $service, a BlobServiceClient on the
    # test account: what a person would do in the portal or with az storage (edit a blob, break a lease, make a SAS).
    # A pwsh of its own, so the SDK never loads into the session under test. Returns the script's output lines.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Azurite, [Parameter(Mandatory)] [string] $Script, [string] $Manifest)
    if (-not $Manifest) { $Manifest = Get-FinqLinkTestManifest }
    $preamble = @'
$ErrorActionPreference = 'Stop'
$parts = Join-Path (Split-Path $env:TEST_MANIFEST) 'dependencies'
foreach ($name in 'System.Memory.Data', 'System.ClientModel', 'Azure.Core', 'Azure.Storage.Common', 'Azure.Storage.Blobs') { Add-Type -Path (Join-Path $parts "$name.dll") }
$service = [Azure.Storage.Blobs.BlobServiceClient]::new($env:TEST_STORAGE)
$key = [Azure.Storage.StorageSharedKeyCredential]::new($env:TEST_ACCOUNT, $env:TEST_ACCOUNT_KEY)
'@
    Invoke-FinqLinkTestPwsh -Command ($preamble + "`n" + $Script) -Environment @{
        TEST_MANIFEST = $Manifest; TEST_STORAGE = $Azurite.ConnectionString; TEST_ACCOUNT = $Azurite.Account; TEST_ACCOUNT_KEY = $Azurite.AccountKey }
}

function Start-FinqLinkTestStorageRun {
    # Bulk/Send-TestRows.ps1 in a pwsh of its own with -Environment (the sandbox's FINQLINK_* variables and a machine's,
    # New-FinqLinkTestMachine) and -Azurite's credentials in AZURE_STORAGE_CONNECTION_STRING. Returns the process, where
    # its result will be (ResultPath) and where it writes the engine's process id (PidPath): the process to SIGKILL (the
    # launcher may be the dotnet tool host).
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $CsvPath, [Parameter(Mandatory)] [string] $JournalUrl, [Parameter(Mandatory)] [hashtable] $Environment,
        [Parameter(Mandatory)] $Azurite, [Parameter(Mandatory)] [string] $Manifest, [Parameter(Mandatory)] [string] $Work, [int] $ThrottleLimit = 8)
    $id = [guid]::NewGuid().ToString('N')
    $result = Join-Path $Work "result-$id.json"
    $pidPath = Join-Path $Work "pid-$id"
    $info = New-FinqLinkTestPwshStart -Environment $Environment -Argument '-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'Bulk/Send-TestRows.ps1'),
        '-Manifest', $Manifest, '-CsvPath', $CsvPath, '-JournalPath', $JournalUrl, '-ResultPath', $result, '-PidPath', $pidPath, '-ThrottleLimit', "$ThrottleLimit"
    $info.Environment['AZURE_STORAGE_CONNECTION_STRING'] = $Azurite.ConnectionString
    [pscustomobject]@{ Process = [System.Diagnostics.Process]::Start($info); ResultPath = $result; PidPath = $pidPath }
}

function Wait-FinqLinkTestStorageRun {
    # Waits for a run Start-FinqLinkTestStorageRun started (killed after -TimeoutSec) and returns the result it wrote.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Run, [int] $TimeoutSec = 180)
    if (-not $Run.Process.WaitForExit($TimeoutSec * 1000)) { $Run.Process.Kill($true); throw "The bulk run did not finish in $TimeoutSec s." }
    if (-not (Test-Path $Run.ResultPath)) { throw "The bulk run wrote no result (exit code $($Run.Process.ExitCode))." }
    Get-Content $Run.ResultPath -Raw | ConvertFrom-Json
}

Export-ModuleMember -Function Initialize-FinqLinkTestAzurite, Start-FinqLinkTestAzurite, Stop-FinqLinkTestAzurite, Invoke-FinqLinkTestStorage,
    Start-FinqLinkTestStorageRun, Wait-FinqLinkTestStorageRun
