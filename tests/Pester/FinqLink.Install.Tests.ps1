#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The package as users install it: from a repository, with PSResourceGet and with PowerShellGet 2, into a user's module
# folder, then used by name in a new pwsh. Each install goes to a throwaway HOME, so nothing of the machine's changes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    $script:Packages = Get-FinqLinkTestPackages
    $script:SandboxPath = Get-FinqLinkTestSandboxPath
    $script:Version = (Import-PowerShellDataFile (Get-FinqLinkTestManifest)).ModuleVersion

    # What a user runs after installing, in a new pwsh that finds FinqLink only by name.
    $script:UseIt = @"
`$ErrorActionPreference = 'Stop'
Import-Module FinqLink
'base=' + (Get-Module FinqLink).ModuleBase
`$sandbox = Start-FinqLinkSandbox -Path '$SandboxPath'
try {
    `$sandbox | Connect-FinqLink
    'providers=' + ((Get-FinqProvider).ProviderId -join ',')
    'synopsis=' + (Get-Help New-FinqLink).Synopsis
}
finally { `$sandbox | Stop-FinqLinkSandbox }
"@
}

AfterAll { Remove-FinqLinkTestPackages }

Describe 'Installing the package' -Skip:$IsWindows {
    BeforeEach {
        $script:HomeFolder = New-FinqLinkTestFolder
        # .NET answers an empty path for a user folder that does not exist, and PSResourceGet would then use the working folder.
        $script:Environment = @{ HOME = $HomeFolder; PSModulePath = $null; FINQLINK_SANDBOX_PATH = $null }
        foreach ($xdg in @{ XDG_DATA_HOME = '.local/share'; XDG_CONFIG_HOME = '.config'; XDG_CACHE_HOME = '.cache' }.GetEnumerator()) {
            $Environment[$xdg.Key] = (New-Item -ItemType Directory -Path (Join-Path $HomeFolder $xdg.Value) -Force).FullName
        }
    }

    AfterEach { Remove-Item $HomeFolder -Recurse -Force -ErrorAction SilentlyContinue }

    It 'installs with PSResourceGet (Install-PSResource) and works by name in a new pwsh' {
        Invoke-FinqLinkTestPwsh -Environment $Environment -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name FinqLinkLocal -Uri '$Packages' -Trusted
Install-PSResource FinqLink -Repository FinqLinkLocal -Scope CurrentUser -TrustRepository
"@ | Out-Null
        $output = Invoke-FinqLinkTestPwsh -Environment $Environment -Command $UseIt
        $output | Should -Contain "base=$(Join-Path $HomeFolder ".local/share/powershell/Modules/FinqLink/$Version")"
        ($output | Where-Object { $_ -like 'providers=*' }) | Should -Match 'bt_ro'
        ($output | Where-Object { $_ -like 'synopsis=*' }) | Should -Match 'payment link'
    }

    It 'installs with PowerShellGet 2 (Install-Module) and works by name in a new pwsh' {
        Invoke-FinqLinkTestPwsh -Environment $Environment -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module PowerShellGet -RequiredVersion 2.2.5
Register-PSRepository -Name FinqLinkLocal -SourceLocation '$Packages' -InstallationPolicy Trusted
Install-Module FinqLink -Repository FinqLinkLocal -Scope CurrentUser
"@ | Out-Null
        $output = Invoke-FinqLinkTestPwsh -Environment $Environment -Command $UseIt
        $output | Should -Contain "base=$(Join-Path $HomeFolder ".local/share/powershell/Modules/FinqLink/$Version")"
        ($output | Where-Object { $_ -like 'providers=*' }) | Should -Match 'bt_ro'
    }
}

Describe 'The sandbox as a .NET tool' -Skip:$IsWindows {
    BeforeAll {
        # Nothing of the machine's is used or changed: the tool goes to a throwaway tool path or manifest, NuGet's package
        # cache to a throwaway folder (so a rebuilt package of the same version is never shadowed by a cached one), and
        # the .NET CLI's home (its local-tool resolver cache) to another.
        $script:NuGetCache = New-FinqLinkTestFolder
        $script:DotnetHome = New-FinqLinkTestFolder
        $script:ToolPath = New-FinqLinkTestFolder
        $script:DotnetIsolation = @{ NUGET_PACKAGES = $NuGetCache; DOTNET_CLI_HOME = $DotnetHome; DOTNET_NOLOGO = '1' }
        $script:Modules = Split-Path (Split-Path (Split-Path (Get-FinqLinkTestManifest)))
        $script:PesterManifest = (Get-Module Pester).Path -replace '\.psm1$', '.psd1'

        function script:Invoke-Dotnet {
            foreach ($name in $DotnetIsolation.Keys) { [Environment]::SetEnvironmentVariable($name, $DotnetIsolation[$name]) }
            try { $output = & dotnet @args 2>&1 | ForEach-Object { "$_" } }
            finally { foreach ($name in $DotnetIsolation.Keys) { [Environment]::SetEnvironmentVariable($name, $null) } }
            if ($LASTEXITCODE -ne 0) { throw "dotnet $args failed ($LASTEXITCODE):`n$($output -join "`n")" }
            $output
        }

        # Processes still running from a folder: what 'nothing left running' is checked against.
        function script:Get-ProcessFrom([string] $folder) {
            @(Get-Process | Where-Object { $_.Path -like "$folder*" -or ($_.CommandLine -and $_.CommandLine -like "*$folder*") })
        }

        Invoke-Dotnet tool install FinqLink.Sandbox --tool-path $ToolPath --add-source $Packages --version $Version | Out-Null
        $script:ToolEnvironment = @{
            PATH = $ToolPath + [IO.Path]::PathSeparator + $env:PATH; FINQLINK_SANDBOX_PATH = $null
            PSModulePath = $Modules + [IO.Path]::PathSeparator + $env:PSModulePath
        }
    }

    AfterAll {
        Remove-Item $NuGetCache, $DotnetHome, $ToolPath -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'installs into a tool path and answers --help with its option table' {
        $help = & (Join-Path $ToolPath 'finqlink-sandbox') --help
        $LASTEXITCODE | Should -Be 0
        $help | Should -Contain 'Usage: finqlink-sandbox [options]'
        ($help -join "`n") | Should -Match '--ignore-interrupt'
    }

    It 'is found on PATH by Start-FinqLinkSandbox, creates and approves a link, counts it, and stops with nothing left running' {
        $output = Invoke-FinqLinkTestPwsh -Environment $ToolEnvironment -Command @'
$ErrorActionPreference = 'Stop'
Import-Module FinqLink
$sandbox = Start-FinqLinkSandbox -BankStepDelayMs 20
'command=' + $sandbox.Command
'pid=' + $sandbox.ProcessId
$sandbox | Connect-FinqLink
$link = New-FinqLink -Amount 12.50 -Currency RON -Reference TOOL-1
$link | Invoke-FinqLinkSandbox ApproveLink -ProviderId bt_ro | Out-Null
'status=' + ($link | Wait-FinqLink -TimeoutSec 60 -PollIntervalSec 0.1).Status
'created=' + (Invoke-FinqLinkSandbox GetStats).links_created
'amount=' + (Invoke-FinqLinkSandbox GetLinks).links.single_transfer.amount
$sandbox | Stop-FinqLinkSandbox
'running=' + $sandbox.Running
'@
        $output | Should -Contain "command=$(Join-Path $ToolPath 'finqlink-sandbox')"
        $output | Should -Contain 'status=completed'
        $output | Should -Contain 'created=1'
        $output | Should -Contain 'amount=12.50'
        $output | Should -Contain 'running=False'
        $sandboxId = [int](($output | Where-Object { $_ -like 'pid=*' }) -replace '^pid=')
        Get-Process -Id $sandboxId -ErrorAction Ignore | Should -BeNullOrEmpty
        Get-ProcessFrom $ToolPath | Should -BeNullOrEmpty
    }

    It 'is found in a local tool manifest (dotnet tool run) and stops with nothing left running' {
        $project = New-FinqLinkTestFolder
        try {
            Push-Location $project
            try {
                Invoke-Dotnet new tool-manifest | Out-Null
                Invoke-Dotnet tool install FinqLink.Sandbox --add-source $Packages --version $Version | Out-Null
            }
            finally { Pop-Location }
            $output = Invoke-FinqLinkTestPwsh -Environment ($DotnetIsolation + @{ FINQLINK_SANDBOX_PATH = $null; PSModulePath = $ToolEnvironment.PSModulePath }) -Command @"
`$ErrorActionPreference = 'Stop'
Set-Location '$project'
Import-Module FinqLink
`$sandbox = Start-FinqLinkSandbox
'command=' + `$sandbox.Command
`$sandbox | Connect-FinqLink
'link=' + (New-FinqLink -Amount 3 -Currency RON).LinkId
`$sandbox | Stop-FinqLinkSandbox
'running=' + `$sandbox.Running
"@
            $manifest = (Get-ChildItem $project -Recurse -Force -Filter dotnet-tools.json).FullName
            $output | Should -Contain "command=dotnet tool run ($manifest)"
            ($output | Where-Object { $_ -like 'link=*' }) | Should -Match '^link=\S+'
            $output | Should -Contain 'running=False'
            Get-ProcessFrom $NuGetCache | Should -BeNullOrEmpty
        }
        finally { Remove-Item $project -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It "runs about_FinqLink_Sandbox's Pester example as written" {
        $about = Get-Content (Join-Path $PSScriptRoot '../../docs/en-US/about_FinqLink_Sandbox.md') -Raw
        $blocks = @{}
        foreach ($block in [regex]::Matches($about, '(?s)```powershell\r?\n# ([\w.-]+\.ps1)\b.*?```')) {
            $blocks[$block.Groups[1].Value] = $block.Value -replace '(?s)^```powershell\r?\n', '' -replace '```$', ''
        }
        $blocks.Keys | Sort-Object | Should -Be 'Send-Invoices.ps1', 'Send-Invoices.Tests.ps1'
        $folder = New-FinqLinkTestFolder
        try {
            foreach ($name in $blocks.Keys) { Set-Content -LiteralPath (Join-Path $folder $name) -Value $blocks[$name] }
            $output = Invoke-FinqLinkTestPwsh -Environment $ToolEnvironment -Command @"
Import-Module '$PesterManifest'
`$run = Invoke-Pester -Path '$(Join-Path $folder 'Send-Invoices.Tests.ps1')' -PassThru -Output Detailed
'passed=' + `$run.PassedCount
'failed=' + (`$run.FailedCount + `$run.FailedBlocksCount + `$run.FailedContainersCount)
"@
            $summary = $output | Where-Object { $_ -match '^(passed|failed)=' }
            $summary | Should -Be 'passed=2', 'failed=0' -Because ($output -join "`n")
            Get-ProcessFrom $ToolPath | Should -BeNullOrEmpty
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
