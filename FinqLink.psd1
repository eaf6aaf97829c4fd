@{
    RootModule             = 'FinqLink.dll'
    ModuleVersion          = '0.0.0-dev'
    CompatiblePSEditions   = @('Desktop', 'Core')
    GUID                   = '5b0f4f8e-3a57-4d7a-9a52-6f0c1e8d2b41'
    Author                 = 'FinqLink for PowerShell contributors'
    CompanyName            = 'FinqLink for PowerShell'
    Copyright              = '(c) FinqLink for PowerShell contributors. MIT License.'
    Description            = 'PowerShell cmdlets for the FinqLink API by Finqware: open-banking payment links (FinqLink Pay) and account information (FinqLink Data), with safe bulk runs, streaming paging, OAuth2 private_key_jwt and a local sandbox.'
    PowerShellVersion      = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('FinqLink.Format.ps1xml')
    HelpInfoUri            = 'https://github.com/finqlink-powershell/FinqLink/tree/main/docs/en-US'
    FunctionsToExport      = @()
    CmdletsToExport        = @(
        'Connect-FinqLink'
        'Get-FinqConnectionProfile'
        'Remove-FinqConnectionProfile'
        'Disconnect-FinqLink'
        'Get-FinqSession'
        'Get-FinqProvider'
        'New-FinqLink'
        'Get-FinqLink'
        'Wait-FinqLink'
        'Invoke-FinqRequest'
        'Export-FinqLinkQrCode'
        'New-FinqConsent'
        'Get-FinqConsent'
        'Wait-FinqConsent'
        'Complete-FinqConsent'
        'Revoke-FinqConsent'
        'Get-FinqAccount'
        'Get-FinqBalance'
        'Get-FinqTransaction'
        'Start-FinqDataRefresh'
        'Get-FinqDataRefresh'
        'Wait-FinqDataRefresh'
        'Test-FinqWebhookSignature'
        'ConvertFrom-FinqWebhook'
        'Get-FinqWebhookKey'
        'Receive-FinqWebhook'
        'Start-FinqLinkSandbox'
        'Stop-FinqLinkSandbox'
        'Invoke-FinqLinkSandbox'
        'Get-FinqLinkSandboxWebhook'
        'Register-FinqLinkSandboxClient'
        'New-FinqLinkKey'
    )
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('FinqLink', 'Finqware', 'OpenBanking', 'PSD2', 'Payments', 'PayByLink', 'AIS', 'Romania', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/finqlink-powershell/FinqLink'
            LicenseUri   = 'https://github.com/finqlink-powershell/FinqLink/blob/main/LICENSE'
            ReleaseNotes = 'First release: sessions (test mode, OAuth2 private_key_jwt and client secret, mTLS), providers, payment links with journaled concurrent bulk creation, streaming paging, waits, QR codes, AIS consents, accounts, balances, streaming transactions, data refreshes, webhook signature verification and a raw request cmdlet.'
        }
    }
}
