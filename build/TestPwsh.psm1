# The pwsh the test lanes run in (build/TestPwsh/TestPwsh.csproj): the pinned PowerShell tool with its startup assemblies
# precompiled, made once per machine, tool version and runtime, and shared by every clone like NuGet's packages.

function Initialize-TestPwsh {
    # Returns the folder of the precompiled pwsh for the pwsh running this: in
    # <user cache>/finqlink/pwsh/<version>-<runtime>-<runtime identifier>-<hash of the project>
    # ($env:FINQLINK_TEST_PWSH_CACHE instead of <user cache>/finqlink/pwsh). A copy that does not start is not kept.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Project)
    $cache = if ($env:FINQLINK_TEST_PWSH_CACHE) { $env:FINQLINK_TEST_PWSH_CACHE }
    elseif ($env:XDG_CACHE_HOME) { Join-Path $env:XDG_CACHE_HOME 'finqlink/pwsh' }
    elseif ($IsWindows) { Join-Path $env:LOCALAPPDATA 'finqlink/pwsh' }
    else { Join-Path $HOME '.cache/finqlink/pwsh' }
    # MSBuild, .NET and PowerShell would each resolve a relative path from a folder of their own: from here on it is
    # absolute, from PowerShell's current location.
    $cache = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($cache)
    $recipe = (Get-FileHash $Project -Algorithm SHA256).Hash.Substring(0, 12).ToLowerInvariant()
    $rid = [Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $folder = Join-Path $cache "$($PSVersionTable.PSVersion)-$([Environment]::Version)-$rid-$recipe"
    if (Test-Path (Join-Path $folder 'pwsh.dll')) { return $folder }
    Remove-AbandonedBuild $cache
    # Written beside its place and then moved there: a clone doing the same at the same time never sees half a folder.
    $staging = "$folder.$([guid]::NewGuid().ToString('N').Substring(0, 8)).building"
    try {
        $output = & dotnet build $Project --nologo -v quiet "-p:PwshHome=$PSHOME" "-p:TestPwshDir=$staging" 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Precompiling pwsh ($Project) failed:`n$($output -join "`n")" }
        $started = & ([Environment]::ProcessPath) (Join-Path $staging 'pwsh.dll') -NoProfile -NonInteractive -Command '$PSHOME' 2>&1
        if ($LASTEXITCODE -ne 0) { throw "The precompiled pwsh in $staging does not start:`n$($started -join "`n")" }
        try { [IO.Directory]::Move($staging, $folder) }
        catch [IO.IOException] { if (-not (Test-Path (Join-Path $folder 'pwsh.dll'))) { throw } }
    }
    finally { if (Test-Path $staging) { Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue } }
    $folder
}

# A build that was stopped (Ctrl+C, a killed CI job) leaves its staging folder behind; none lasts an hour.
function Remove-AbandonedBuild([string] $Cache) {
    Get-ChildItem $Cache -Directory -Filter '*.building' -ErrorAction SilentlyContinue |
        Where-Object LastWriteTimeUtc -lt ([DateTime]::UtcNow.AddHours(-1)) |
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue
}

Export-ModuleMember -Function Initialize-TestPwsh
