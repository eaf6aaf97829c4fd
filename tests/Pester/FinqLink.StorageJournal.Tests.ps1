#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The journal in Azure Blob Storage (-JournalPath https://... or the emulator's http://127.0.0.1:<port>/<account>/...),
# in real pwsh against the sandbox and Azurite (tests/Azurite, pinned). The Azure SDK is loaded only when it is used.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.Azurite.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
    $script:Sandbox = Start-FinqLinkTestSandbox
    $script:Azurite = Start-FinqLinkTestAzurite
    $Sandbox | Connect-FinqLink
    $script:Manifest = Get-FinqLinkTestManifest
    $script:SandboxVariables = @{ FINQLINK_BASE_URI = "$($Sandbox.BaseUri)"; FINQLINK_CLIENT_ID = 'demo'; FINQLINK_CLIENT_SECRET = 'demo-secret' }

    function Get-SentLink([string] $Prefix) {
        @((Invoke-FinqLinkSandbox GetLinks -Sandbox $script:Sandbox).links | Where-Object { $_.single_transfer.remittance_information -like "$Prefix-*" })
    }

    function New-TestRows([string] $Prefix, [int] $Count) {
        1..$Count | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "$Prefix-$_"; Amount = '{0}.{1:00}' -f (10 + $_), ($_ % 100); Currency = 'RON'; Description = "$Prefix-$_" } }
    }

    function Get-JournalUrl([string] $Name, [string] $Container = 'journals') { "$($Azurite.BlobEndpoint)/$Container/$Name" }
}

AfterAll {
    if ($script:Sandbox) { Stop-FinqLinkSandbox $script:Sandbox }
    if ($script:Azurite) { Stop-FinqLinkTestAzurite $script:Azurite }
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
    $env:AZURE_STORAGE_CONNECTION_STRING = $null
}

Describe 'The Azure parts are loaded only when used' {
    It 'loads no Azure assembly for Import-Module, Connect-FinqLink and a local journal; a storage journal loads them privately' {
        $script = @'
Import-Module $env:TEST_MANIFEST -ErrorAction Stop
Connect-FinqLink
$rows = 1..3 | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "LAZY-$_"; Amount = "1$_.00"; Currency = 'RON'; Description = "LAZY-$_" } }
$null = $rows | New-FinqLink -JournalPath (Join-Path $env:TEST_WORK 'lazy.jsonl') -ErrorAction Stop
function Get-Azure { [System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $context = $_; $_.Assemblies | Where-Object { $_.GetName().Name -match '^(Azure\.|FinqLink\.Azure|Microsoft\.Identity\.Client)' } | ForEach-Object { "$($context.GetType().Name)|$($_.GetName().Name)" } } }
"local:" + ((Get-Azure | Sort-Object) -join ',')
$null = $rows | New-FinqLink -JournalPath $env:TEST_JOURNAL -ErrorAction Stop
"storage:" + ((Get-Azure | Sort-Object) -join ',')
'@
        $output = Invoke-FinqLinkTestPwsh -Command $script -Environment ($SandboxVariables + @{
                TEST_MANIFEST = $Manifest; TEST_WORK = $Work; TEST_JOURNAL = (Get-JournalUrl 'lazy.jsonl'); AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString })
        $output | Where-Object { $_ -like 'local:*' } | Should -Be 'local:'
        $storage = ($output | Where-Object { $_ -like 'storage:*' }) -replace '^storage:' -split ','
        $storage | Should -Contain 'IsolatedDependencies|FinqLink.Azure' -Because 'FinqLink.Azure loads into the module''s private load context'
        $storage | Should -Contain 'IsolatedDependencies|Azure.Storage.Blobs' -Because 'the SDK loads with it, on first use'
        $storage | Where-Object { $_ -notlike 'IsolatedDependencies|*' } | Should -BeNullOrEmpty
        @($storage | Where-Object { $_ -like '*|Azure.Storage.Blobs' }).Count | Should -Be 1 -Because 'one copy, not one per context'
    }
}
