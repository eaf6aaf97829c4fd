#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Start-FinqLinkSandbox and Stop-FinqLinkSandbox' {
    It 'starts a sandbox on a free loopback port that pipes into Connect-FinqLink, and stops its whole process tree' {
        $sandbox = Start-FinqLinkTestSandbox
        try {
            $sandbox.BaseUri.Host | Should -Be '127.0.0.1'
            $sandbox.BaseUri.Port | Should -BeGreaterThan 0
            $sandbox.Running | Should -BeTrue
            $sandbox | Connect-FinqLink
            (Get-FinqSession).BaseUri | Should -Be $sandbox.BaseUri
            (Get-FinqProvider).ProviderId | Should -Contain 'rzb_ro'
        }
        finally { $sandbox | Stop-FinqLinkSandbox }
        $sandbox.Running | Should -BeFalse
        Get-Process -Id $sandbox.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        { Invoke-RestMethod "$($sandbox.BaseUri).well-known/jwks.json" -TimeoutSec 2 } | Should -Throw
    }

    It 'says how to install the sandbox when it cannot find it' {
        { Start-FinqLinkSandbox -Path (Join-Path $Work 'nowhere/finqlink-sandbox') -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Sandbox.NotInstalled*' -ExpectedMessage '*dotnet tool install --global FinqLink.Sandbox*'
    }

    It 'passes fault rules to the sandbox' {
        $sandbox = Start-FinqLinkTestSandbox -Options @{ Fault = 'links/create:fail-before=1' }
        try {
            $sandbox | Connect-FinqLink
            { New-FinqLink -Amount 1 -Currency RON -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.OutcomeUnknown*'
            (Invoke-FinqLinkSandbox GetStats).links_created | Should -Be 0
        }
        finally { $sandbox | Stop-FinqLinkSandbox }
    }
}

Describe 'Invoke-FinqLinkSandbox' {
    BeforeAll {
        $script:Sandbox = Start-FinqLinkTestSandbox
        $Sandbox | Connect-FinqLink
    }

    AfterAll { $Sandbox | Stop-FinqLinkSandbox }

    It 'plays the payer of a piped link' {
        $link = New-FinqLink -Amount 11 -Currency RON
        $link | Invoke-FinqLinkSandbox ApproveLink -ProviderId bt_ro | Out-Null
        ($link | Wait-FinqLink -TimeoutSec 30 -PollIntervalSec 0.1).Status | Should -Be 'completed'
    }

    It 'sets and clears faults' {
        Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:fail-before=1' | Out-Null
        { New-FinqLink -Amount 2 -Currency RON -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.OutcomeUnknown*'
        Invoke-FinqLinkSandbox ClearFaults | Out-Null
        (New-FinqLink -Amount 2 -Currency RON).LinkId | Should -Not -BeNullOrEmpty
    }

    It 'refuses any host but loopback' {
        { Invoke-FinqLinkSandbox GetStats -BaseUri 'https://sandbox-pay.finqware.com' -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Sandbox.ControlFailed*' -ExpectedMessage '*not a local sandbox*'
    }

    It 'names the id an action needs' {
        { Invoke-FinqLinkSandbox ApproveLink -ErrorAction Stop } | Should -Throw -ExpectedMessage '*needs the id of the link*'
    }
}

Describe 'A private_key_jwt client of the local sandbox' {
    BeforeAll {
        $script:Sandbox = Start-FinqLinkTestSandbox
    }

    AfterAll {
        Disconnect-FinqLink -ErrorAction SilentlyContinue
        $Sandbox | Stop-FinqLinkSandbox
    }

    It 'writes the four files of the key script, private ones readable by their owner only' {
        $key = New-FinqLinkKey -Path (Join-Path $Work 'key1')
        $key.KeyId | Should -Match '^[0-9a-f]{64}$'
        (Get-ChildItem (Join-Path $Work 'key1')).Name | Sort-Object | Should -Be @('private.key.json', 'private.key.pem', 'public.key.json', 'public.key.pem')
        $public = Get-Content $key.PublicJwkPath -Raw | ConvertFrom-Json
        $public.kty, $public.alg, $public.use, $public.e | Should -Be @('RSA', 'RS256', 'sig', 'AQAB')
        $private = Get-Content $key.PrivateJwkPath -Raw | ConvertFrom-Json
        @($private.PSObject.Properties.Name | Where-Object { $_ -in 'p', 'q', 'dp', 'dq', 'qi' }) | Should -BeNullOrEmpty -Because 'the script writes n, e and d only'
        Get-Content $key.PrivateKeyPath -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
        $rsa = [System.Security.Cryptography.RSA]::Create()
        $rsa.ImportFromPem((Get-Content $key.PrivateKeyPath -Raw))
        [Convert]::ToBase64String($rsa.ExportParameters($false).Modulus).TrimEnd('=').Replace('+', '-').Replace('/', '_') | Should -Be $public.n
        if (-not $IsWindows) {
            (Get-Item $key.PrivateKeyPath).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            (Get-Item $key.PrivateJwkPath).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }
        { New-FinqLinkKey -Path (Join-Path $Work 'key1') -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.KeyFilesExist*'
    }

    It 'registers the public key and connects with the private one, the token endpoint derived from the loopback base URI' {
        $key = New-FinqLinkKey -Path (Join-Path $Work 'key2')
        ($key | Register-FinqLinkSandboxClient -ClientId pester-jwt).KeyId | Should -Be $key.KeyId
        $session = Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId pester-jwt -PrivateKeyPath $key.PrivateJwkPath -PassThru
        $session.AuthMethod | Should -Be 'PrivateKeyJwt'
        $session.TokenEndpoint.AbsoluteUri | Should -Be "$($Sandbox.BaseUri)oauth2/v1/token"
        (New-FinqLink -Amount 3 -Currency RON).LinkId | Should -Not -BeNullOrEmpty
    }

    It 'refuses to register a private key as the public one' {
        $key = New-FinqLinkKey -Path (Join-Path $Work 'key3')
        { Register-FinqLinkSandboxClient -ClientId leaky -PublicKeyPath $key.PrivateJwkPath -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Sandbox.RegisterFailed*' -ExpectedMessage '*holds a private key*'
    }
}
