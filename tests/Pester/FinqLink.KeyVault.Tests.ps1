#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Connect-FinqLink -KeyVaultKeyId in a fresh pwsh, as in Azure Automation: the token for the vault comes from a managed
# identity endpoint (IDENTITY_ENDPOINT/IDENTITY_HEADER), the vault signs, and the sandbox verifies the assertion. The
# vault is a local stand-in of Key Vault's documented key operations (tests/KeyVaultStandIn) over HTTPS with a test
# certificate that the child pwsh trusts through SSL_CERT_FILE.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
    $script:Sandbox = Start-FinqLinkTestSandbox

    # The key the vault holds; its public part is registered with the sandbox, which verifies every assertion with it.
    $script:Key = New-FinqLinkKey -Path (Join-Path $Work 'vault-key')
    $Key | Register-FinqLinkSandboxClient -ClientId kv-client -Sandbox $Sandbox | Out-Null

    # The vault's TLS certificate, self-signed for 127.0.0.1: the child pwsh trusts it and nothing else.
    $tlsKey = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=127.0.0.1', $tlsKey, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $names.AddIpAddress([System.Net.IPAddress]::Loopback)
    $request.CertificateExtensions.Add($names.Build())
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $tls = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(2))
    $script:Pfx = Join-Path $Work 'vault.pfx'
    [IO.File]::WriteAllBytes($Pfx, $tls.Export('Pfx', 'vault-tls'))
    $script:TrustedCertificates = Join-Path $Work 'trusted.pem'
    Set-Content -Path $TrustedCertificates -Value $tls.ExportCertificatePem()

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $script:Port = $listener.LocalEndpoint.Port; $listener.Stop()
    $standIn = Join-Path $PSScriptRoot '../KeyVaultStandIn/bin/Release/net10.0/KeyVaultStandIn.dll'
    if (-not (Test-Path $standIn)) { throw "The Key Vault stand-in is not built ($standIn): run ./build.ps1 first." }
    $script:IdentityHeader = [guid]::NewGuid().ToString('N')
    $script:Vault = Start-Process -FilePath ([Environment]::ProcessPath) -PassThru -RedirectStandardOutput (Join-Path $Work 'vault.out') -RedirectStandardError (Join-Path $Work 'vault.err') `
        -ArgumentList $standIn, $Port, $Pfx, 'vault-tls', $Key.PrivateKeyPath, $IdentityHeader
    $deadline = [DateTime]::UtcNow.AddSeconds(120)
    while ($true) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $Port); break }
        catch [System.Net.Sockets.SocketException] { if ($Vault.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw "The stand-in did not listen: $(Get-Content (Join-Path $Work 'vault.err') -Raw)" } }
        finally { $client.Dispose() }
        $Vault.WaitForExit(100) | Out-Null
    }

    # A runbook's environment in Azure Automation: the managed identity's endpoint and header, and nothing secret.
    $script:RunbookEnvironment = @{
        IDENTITY_ENDPOINT = "https://127.0.0.1:$Port/msi/token"; IDENTITY_HEADER = $IdentityHeader; SSL_CERT_FILE = $TrustedCertificates
        XDG_CONFIG_HOME = (Join-Path $Work 'config'); FINQLINK_SANDBOX_URL = "$($Sandbox.BaseUri)"; FINQLINK_MODULE = (Get-Module FinqLink).Path
    }

    function Invoke-Runbook([string] $Script) {
        Invoke-FinqLinkTestPwsh -Environment $RunbookEnvironment -Command "Import-Module `$env:FINQLINK_MODULE; $Script"
    }
}

AfterAll {
    if ($Vault -and -not $Vault.HasExited) { $Vault.Kill(); $Vault.WaitForExit(); Remove-FinqLinkKilledProcessFiles -ProcessId $Vault.Id }
    if ($Sandbox) { $Sandbox | Stop-FinqLinkSandbox }
    if ($Work) { Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Connect-FinqLink -KeyVaultKeyId' {
    It 'connects with assertions the vault signed, and the sandbox verifies them' {
        $output = Invoke-Runbook @"
`$session = Connect-FinqLink -BaseUri `$env:FINQLINK_SANDBOX_URL -ClientId kv-client -KeyId $($Key.KeyId) -KeyVaultKeyId 'https://127.0.0.1:$Port/keys/finqlink' -PassThru -ErrorAction Stop
`$session.AuthMethod
`$session.SigningKeyId
(Get-FinqProvider).Count -gt 0
"@
        $output | Should -Be @('PrivateKeyJwtKeyVault', $Key.KeyId, 'True')
        (Invoke-RestMethod -Uri "https://127.0.0.1:$Port/stats" -SkipCertificateCheck).signed | Should -BeGreaterThan 0
    }

    It 'renews its token like every other mode, each assertion signed by the vault' {
        $shortLived = Start-FinqLinkTestSandbox -Options @{ TokenLifetimeSec = 3 }
        try {
            $Key | Register-FinqLinkSandboxClient -ClientId kv-client -Sandbox $shortLived | Out-Null
            $before = (Invoke-RestMethod -Uri "https://127.0.0.1:$Port/stats" -SkipCertificateCheck).signed
            # Until the session holds a second token (the first lives 3 s): calls go on, the vault signs each renewal.
            $output = Invoke-Runbook @"
`$session = Connect-FinqLink -BaseUri '$($shortLived.BaseUri)' -ClientId kv-client -KeyId $($Key.KeyId) -KeyVaultKeyId 'https://127.0.0.1:$Port/keys/finqlink' -PassThru -ErrorAction Stop
`$first = `$session.TokenExpiresAt
`$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (`$session.TokenExpiresAt -eq `$first -and [DateTime]::UtcNow -lt `$deadline) { Get-FinqProvider -ErrorAction Stop | Out-Null }
`$session.TokenExpiresAt -gt `$first
"@
            $output | Should -Be 'True'
            (Invoke-RestMethod -Uri "https://127.0.0.1:$Port/stats" -SkipCertificateCheck).signed | Should -BeGreaterOrEqual ($before + 2)
        }
        finally { $shortLived | Stop-FinqLinkSandbox }
    }

    It 'saves the key id in a profile and connects again from it' {
        $output = Invoke-Runbook @"
Connect-FinqLink -BaseUri `$env:FINQLINK_SANDBOX_URL -ClientId kv-client -KeyId $($Key.KeyId) -KeyVaultKeyId 'https://127.0.0.1:$Port/keys/finqlink' -SaveProfile vault -ErrorAction Stop
(Connect-FinqLink -Profile vault -PassThru -ErrorAction Stop).AuthMethod
"@
        $output | Should -Be 'PrivateKeyJwtKeyVault'
        $saved = Get-Content (Join-Path $Work 'config/FinqLink/profiles/vault.json') -Raw | ConvertFrom-Json
        $saved.keyVaultKeyId | Should -Be "https://127.0.0.1:$Port/keys/finqlink"
        $saved.credential | Should -Be 'KeyVaultKey'
    }

    It 'says what is wrong: <Case>' -ForEach @(
        @{ Case = 'a key the identity may not use'; Url = 'keys/denied'; Message = "*keys/denied: the vault refused to sign (403 Forbidden)*Key Vault Crypto User*" }
        @{ Case = 'a key the vault does not have'; Url = 'keys/wrong-name'; Message = '*keys/wrong-name: the vault has no such key (KeyNotFound)*' }
        @{ Case = 'a vault that cannot be reached'; Url = 'unreachable'; Message = '*the vault could not be reached*' }
    ) {
        $keyId = if ($Url -eq 'unreachable') { 'https://127.0.0.1:1/keys/finqlink' } else { "https://127.0.0.1:$Port/$Url" }
        $output = Invoke-Runbook @"
try { Connect-FinqLink -BaseUri `$env:FINQLINK_SANDBOX_URL -ClientId kv-client -KeyId kid -KeyVaultKeyId '$keyId' -ErrorAction Stop; 'connected' }
catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message; `$_ | Format-List * -Force | Out-String }
"@
        $output[0] | Should -BeLike 'FinqLink.CredentialHookFailed,*'
        $output[1] | Should -BeLike $Message
        ($output -join "`n") | Should -Not -BeLike '*stand-in-vault-token*' -Because 'the vault token is never shown'
    }
}
