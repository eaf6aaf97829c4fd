# The pwsh the test lanes run in (build/TestPwsh/TestPwsh.csproj): the pinned PowerShell tool with its startup assemblies
# precompiled, made once per machine, tool version and runtime, and shared by every clone like NuGet's packages.

Import-Module (Join-Path $PSScriptRoot '../tests/Pester/FinqLink.TestHelpers.psm1')

function Initialize-TestPwsh {
    # Returns the folder of the precompiled pwsh for the pwsh running this: in
    # <user cache>/finqlink/pwsh/<version>-<runtime>-<runtime identifier>-<hash of the project>
    # ($env:FINQLINK_TEST_PWSH_CACHE instead of <user cache>/finqlink/pwsh). A copy that does not start is not kept.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Project)
    $cache = Get-FinqLinkTestCache pwsh FINQLINK_TEST_PWSH_CACHE
    $recipe = (Get-FileHash $Project -Algorithm SHA256).Hash.Substring(0, 12).ToLowerInvariant()
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $folder = Join-Path $cache "$($PSVersionTable.PSVersion)-$([Environment]::Version)-$rid-$recipe"
    Install-FinqLinkTestCacheFolder $folder 'pwsh.dll' {
        param($staging)
        $output = & dotnet build $Project --nologo -v quiet "-p:PwshHome=$PSHOME" "-p:TestPwshDir=$staging" 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Precompiling pwsh ($Project) failed:`n$($output -join "`n")" }
        $started = & ([Environment]::ProcessPath) (Join-Path $staging 'pwsh.dll') -NoProfile -NonInteractive -Command '$PSHOME' 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The precompiled pwsh in $staging does not start:`n$($started -join "`n")" }
    }
    $folder
}

Export-ModuleMember -Function Initialize-TestPwsh
