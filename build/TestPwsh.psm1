# The pwsh the test lanes run in (build/TestPwsh/TestPwsh.csproj): the pinned PowerShell tool with its startup assemblies
# precompiled, made once per machine, tool version and runtime, and shared by every clone like NuGet's packages.

function Initialize-TestPwsh {
    # Returns the folder of the precompiled pwsh for the pwsh running this: in <user cache>/finqlink/pwsh/<version>-<runtime>-<hash>
    # ($env:FINQLINK_TEST_PWSH_CACHE instead of <user cache>/finqlink/pwsh).
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Project)
    $cache = if ($env:FINQLINK_TEST_PWSH_CACHE) { $env:FINQLINK_TEST_PWSH_CACHE }
    elseif ($env:XDG_CACHE_HOME) { Join-Path $env:XDG_CACHE_HOME 'finqlink/pwsh' }
    elseif ($IsWindows) { Join-Path $env:LOCALAPPDATA 'finqlink/pwsh' }
    else { Join-Path $HOME '.cache/finqlink/pwsh' }
    $recipe = (Get-FileHash $Project -Algorithm SHA256).Hash.Substring(0, 12).ToLowerInvariant()
    $folder = Join-Path $cache "$($PSVersionTable.PSVersion)-$([Environment]::Version)-$recipe"
    if (Test-Path (Join-Path $folder 'pwsh.dll')) { return $folder }
    # Written beside its place and then moved there: a clone doing the same at the same time never sees half a folder.
    $staging = "$folder.$([guid]::NewGuid().ToString('N').Substring(0, 8)).building"
    try {
        $output = & dotnet build $Project --nologo -v quiet "-p:PwshHome=$PSHOME" "-p:TestPwshDir=$staging" 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Precompiling pwsh ($Project) failed:`n$($output -join "`n")" }
        try { [IO.Directory]::Move($staging, $folder) }
        catch [IO.IOException] { if (-not (Test-Path (Join-Path $folder 'pwsh.dll'))) { throw } }
    }
    finally { if (Test-Path $staging) { Remove-Item $staging -Recurse -Force -ErrorAction SilentlyContinue } }
    $folder
}

Export-ModuleMember -Function Initialize-TestPwsh
