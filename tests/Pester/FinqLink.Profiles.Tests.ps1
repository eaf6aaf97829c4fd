#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Connection profiles: Connect-FinqLink -SaveProfile writes what a new session needs to reconnect, and never a secret;
# Connect-FinqLink -Profile reconnects (parameters given win); Get- and Remove-FinqConnectionProfile list and delete them.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
    # The user's config folder is a throwaway one: profiles go to $XDG_CONFIG_HOME/FinqLink/profiles.
    $script:SavedConfigHome = $env:XDG_CONFIG_HOME
    $env:XDG_CONFIG_HOME = Join-Path $Work 'config'
    $script:Profiles = Join-Path $env:XDG_CONFIG_HOME 'FinqLink/profiles'
    $script:Sandbox = Start-FinqLinkTestSandbox
    $script:Key = New-FinqLinkKey -Path (Join-Path $Work 'key')
    $Key | Register-FinqLinkSandboxClient -ClientId profile-key -Sandbox $Sandbox | Out-Null
    $script:DemoSecret = ConvertTo-SecureString 'demo-secret' -AsPlainText -Force

    # Sets variables for one script block, then puts everything back as it was (FINQLINK_* are cleared meanwhile).
    function Use-Environment([hashtable] $Variables, [scriptblock] $Script) {
        $saved = @{}
        foreach ($variable in @([Environment]::GetEnvironmentVariables().Keys | Where-Object { $_ -like 'FINQLINK_*' }) + @($Variables.Keys)) {
            $saved[$variable] = [Environment]::GetEnvironmentVariable($variable)
            [Environment]::SetEnvironmentVariable($variable, $null)
        }
        try {
            foreach ($variable in $Variables.Keys) { [Environment]::SetEnvironmentVariable($variable, $Variables[$variable]) }
            & $Script
        }
        finally { foreach ($variable in $saved.Keys) { [Environment]::SetEnvironmentVariable($variable, $saved[$variable]) } }
    }

    function Read-ProfileFile([string] $ProfileName) { Get-Content (Join-Path $Profiles "$ProfileName.json") -Raw }
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
    $env:XDG_CONFIG_HOME = $script:SavedConfigHome
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Saving a profile and reconnecting with it' {
    It 'saves a private-key connection, readable by its owner only, and a new pwsh connects with -Profile' {
        Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId profile-key -PrivateKeyPath $Key.PrivateKeyPath -KeyId $Key.KeyId -SaveProfile prod
        $saved = Read-ProfileFile prod | ConvertFrom-Json
        $saved.credential | Should -Be 'PrivateKeyPath'
        $saved.privateKeyPath | Should -Be $Key.PrivateKeyPath
        $saved.keyId | Should -Be $Key.KeyId
        if (-not $IsWindows) {
            (Get-Item (Join-Path $Profiles 'prod.json')).UnixFileMode | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite')
            (Get-Item $Profiles).UnixFileMode | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
        }
        $output = Invoke-FinqLinkTestPwsh -Environment @{ XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME } -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-FinqLinkTestManifest)'
Connect-FinqLink -Profile prod
'method=' + (Get-FinqSession).AuthMethod
'providers=' + ((Get-FinqProvider).ProviderId -join ',')
"@
        $output | Should -Contain 'method=PrivateKeyJwt'
        ($output | Where-Object { $_ -like 'providers=*' }) | Should -Match 'bt_ro'
    }

    It 'takes the parameters given over the saved ones' {
        Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId profile-key -PrivateKeyPath $Key.PrivateKeyPath -KeyId $Key.KeyId -ApiVersion v1 -UseTestPath -SaveProfile legacy
        $session = Connect-FinqLink -Profile legacy -PassThru
        $session.ApiVersion, $session.UseTestPath, $session.ClientId | Should -Be 'v1', $true, 'profile-key'
        $session = Connect-FinqLink -Profile legacy -ApiVersion v2 -UseTestPath:$false -ClientId demo -ClientSecret $DemoSecret -PassThru
        $session.ApiVersion, $session.UseTestPath, $session.ClientId, $session.AuthMethod | Should -Be 'v2', $false, 'demo', 'ClientSecret'
        (Read-ProfileFile legacy | ConvertFrom-Json).credential | Should -Be 'PrivateKeyPath' -Because 'connecting with a profile does not change it'
    }

    It 'updates a profile with -Profile and -SaveProfile together' {
        $moved = Join-Path $Work 'moved.key.pem'
        Copy-Item $Key.PrivateKeyPath $moved
        Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId profile-key -PrivateKeyPath $Key.PrivateKeyPath -KeyId $Key.KeyId -SaveProfile moving
        Connect-FinqLink -Profile moving -PrivateKeyPath $moved -SaveProfile moving
        (Read-ProfileFile moving | ConvertFrom-Json).privateKeyPath | Should -Be $moved
        (Read-ProfileFile moving | ConvertFrom-Json).keyId | Should -Be $Key.KeyId
    }
}

Describe 'No secret reaches a profile' {
    It 'keeps none of <Case>' -ForEach @(
        @{ Case = 'a test-mode client secret'; Secrets = @('demo-secret'); Credential = 'ClientSecret'
            Connect = { Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $DemoSecret -SaveProfile secret-case } }
        @{ Case = 'a PSCredential'; Secrets = @('demo-secret'); Credential = 'ClientSecret'
            Connect = { Connect-FinqLink -BaseUri $Sandbox.BaseUri -Credential ([pscredential]::new('demo', $DemoSecret)) -SaveProfile secret-case } }
        @{ Case = 'an OAuth2 client secret'; Secrets = @('demo-secret'); Credential = 'OAuthClientSecret'
            Connect = { Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -OAuthClientSecret $DemoSecret -SaveProfile secret-case } }
        @{ Case = "a proxy's user and password"; Secrets = @('proxy-user', 'url-password', 'credential-password'); Credential = 'ClientSecret'
            Connect = {
                $credential = [pscredential]::new('proxy-user', (ConvertTo-SecureString 'credential-password' -AsPlainText -Force))
                Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $DemoSecret -Proxy 'http://proxy-user:url-password@127.0.0.1:9/' -ProxyCredential $credential -SkipVerification -SaveProfile secret-case -WarningAction SilentlyContinue
            } }
        @{ Case = 'a PFX password'; Secrets = @('pfx-password'); Credential = 'Pfx'
            Connect = {
                $rsa = [System.Security.Cryptography.RSA]::Create()
                $rsa.ImportFromPem((Get-Content $Key.PrivateKeyPath -Raw))
                $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=profile', $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
                $pfx = Join-Path $Work 'profile.pfx'
                [IO.File]::WriteAllBytes($pfx, $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(1)).Export('Pfx', 'pfx-password'))
                Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId profile-key -PfxPath $pfx -PfxPassword (ConvertTo-SecureString 'pfx-password' -AsPlainText -Force) -KeyId $Key.KeyId -SaveProfile secret-case
            } }
        @{ Case = 'FINQLINK_CLIENT_SECRET'; Secrets = @('demo-secret'); Credential = 'ClientSecret'; Variable = 'FINQLINK_CLIENT_SECRET'
            Connect = { Use-Environment @{ FINQLINK_BASE_URI = "$($Sandbox.BaseUri)"; FINQLINK_CLIENT_ID = 'demo'; FINQLINK_CLIENT_SECRET = 'demo-secret' } { Connect-FinqLink -SaveProfile secret-case } } }
        @{ Case = 'FINQLINK_PRIVATE_KEY'; Secrets = @('PRIVATE KEY', 'MII'); Credential = 'PrivateKey'; Variable = 'FINQLINK_PRIVATE_KEY'
            Connect = { Use-Environment @{ FINQLINK_BASE_URI = "$($Sandbox.BaseUri)"; FINQLINK_CLIENT_ID = 'profile-key'; FINQLINK_KEY_ID = $Key.KeyId; FINQLINK_PRIVATE_KEY = Get-Content $Key.PrivateKeyPath -Raw } { Connect-FinqLink -SaveProfile secret-case } } }
    ) {
        Remove-Item (Join-Path $Profiles 'secret-case.json') -ErrorAction SilentlyContinue
        & $Connect
        $text = Read-ProfileFile secret-case
        foreach ($secret in $Secrets) { $text | Should -Not -BeLike "*$secret*" }
        $saved = $text | ConvertFrom-Json
        $saved.credential | Should -Be $Credential
        $saved.secretVariable | Should -Be $Variable -Because 'a secret read from a variable is saved as its name; a secret typed is not saved at all'
    }

    It 'refuses to save a connection that only a script or a token makes, and connects with nothing' {
        $token = ConvertTo-SecureString 'a-bearer-token' -AsPlainText -Force
        { Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -AccessToken $token -SaveProfile token-case -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Profile.Invalid*' -ExpectedMessage '*-AccessToken cannot be saved*'
        Join-Path $Profiles 'token-case.json' | Should -Not -Exist
        Get-FinqSession | Should -BeNullOrEmpty
    }
}

Describe 'A profile that needs a secret' {
    It 'reads it from the variable it names, and says which when it is not set' {
        Use-Environment @{ FINQLINK_BASE_URI = "$($Sandbox.BaseUri)"; FINQLINK_CLIENT_ID = 'demo'; FINQLINK_CLIENT_SECRET = 'demo-secret' } { Connect-FinqLink -SaveProfile from-variable }
        Use-Environment @{ FINQLINK_CLIENT_SECRET = 'demo-secret' } { (Connect-FinqLink -Profile from-variable -PassThru).AuthMethod | Should -Be 'ClientSecret' }
        Use-Environment @{} {
            { Connect-FinqLink -Profile from-variable -ErrorAction Stop } |
                Should -Throw -ErrorId 'FinqLink.Profile.Unavailable*' -ExpectedMessage "*from-variable*`$env:FINQLINK_CLIENT_SECRET*not set*"
        }
    }

    It 'asks for a secret that was typed when it was saved' {
        Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $DemoSecret -SaveProfile typed
        { Connect-FinqLink -Profile typed -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.Profile.Unavailable*' -ExpectedMessage '*typed*keeps no secret*-ClientSecret*'
        (Connect-FinqLink -Profile typed -ClientSecret $DemoSecret -PassThru).ClientId | Should -Be 'demo'
    }
}

Describe 'Clear errors' {
    It 'names the profiles that exist when the one asked for does not' {
        Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $DemoSecret -SaveProfile known-one
        $failure = { Connect-FinqLink -Profile nknown-one -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.Profile.NotFound*' -PassThru
        $failure.Exception.Message | Should -BeLike "Profile 'nknown-one' does not exist. Saved profiles: *known-one*."
    }

    It 'says which key file is gone' {
        $copy = Join-Path $Work 'gone.key.pem'
        Copy-Item $Key.PrivateKeyPath $copy
        Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId profile-key -PrivateKeyPath $copy -KeyId $Key.KeyId -SaveProfile gone
        Remove-Item $copy
        { Connect-FinqLink -Profile gone -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Profile.Unavailable*' -ExpectedMessage "Profile 'gone': its PrivateKeyPath $copy is gone.*-SaveProfile gone*"
    }

    It 'refuses a profile name that is not a plain file name' {
        { Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $DemoSecret -SaveProfile '../escape' -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Profile.Invalid*' -ExpectedMessage "Profile name '../escape': *"
        Get-FinqSession | Should -BeNullOrEmpty -Because 'it is refused before connecting'
        Join-Path $env:XDG_CONFIG_HOME 'FinqLink/escape.json' | Should -Not -Exist
    }
}

Describe 'Get-FinqConnectionProfile and Remove-FinqConnectionProfile' {
    BeforeAll {
        foreach ($profileName in 'list-a', 'list-b') { Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $DemoSecret -SaveProfile $profileName }
    }

    It 'lists profiles by name and wildcard, and says which exist when a name is unknown' {
        (Get-FinqConnectionProfile 'list-*').Name | Should -Be 'list-a', 'list-b'
        (Get-FinqConnectionProfile list-b).ClientId | Should -Be 'demo'
        Get-FinqConnectionProfile no-such -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FinqLink.Profile.NotFound*'
        "$($failed[0])" | Should -BeLike '*Saved profiles: *list-a, list-b*'
    }

    It 'shows a table whose values are whole in the 79 columns of an 80-column console' {
        $lines = Get-FinqConnectionProfile list-a | Out-String -Width 79 -Stream | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Name\s+Credential\s+BaseUri'
        $lines[2] | Should -BeLike "list-a*ClientSecret*$($Sandbox.BaseUri)"
        ($lines | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual 79
    }

    It 'removes a profile (not with -WhatIf), and says so when there is none to remove' {
        Remove-FinqConnectionProfile list-a -WhatIf
        Join-Path $Profiles 'list-a.json' | Should -Exist
        Get-FinqConnectionProfile list-a | Remove-FinqConnectionProfile
        Join-Path $Profiles 'list-a.json' | Should -Not -Exist
        Remove-FinqConnectionProfile list-a -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FinqLink.Profile.NotFound*'
    }
}
