# What the bench measures: this tree's module and sandbox, the compiled helpers, and optionally a baseline module
# built from another commit.
Set-StrictMode -Version Latest

function Invoke-Checked {
    & $args[0] @($args | Select-Object -Skip 1) | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "$($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion([string] $Tree) {
    $props = [xml](Get-Content (Join-Path $Tree 'Directory.Build.props') -Raw)
    $props.Project.PropertyGroup.FinqLinkVersion | Where-Object { $_ } | Select-Object -First 1
}

function Get-Commit([string] $Tree, [string] $Ref = 'HEAD') {
    $commit = git -C $Tree rev-parse --verify "$Ref^{commit}" 2>$null
    if ($LASTEXITCODE -ne 0) { throw "'$Ref' is not a commit of $Tree." }
    $commit
}

# The baseline's tree is exported with git archive (no worktree left registered) and built once per commit.
function Build-Baseline([string] $Root, [string] $Ref) {
    $commit = Get-Commit $Root $Ref
    $tree = Join-Path ([IO.Path]::GetTempPath()) "finqlink-bench-baseline/$commit"
    $version = $null
    if (-not (Test-Path (Join-Path $tree 'Directory.Build.props'))) {
        New-Item -ItemType Directory -Force $tree | Out-Null
        $archive = Join-Path $tree '../source.tar'
        Invoke-Checked git -C $Root archive --format=tar -o $archive $commit
        Invoke-Checked tar -xf $archive -C $tree
        Remove-Item $archive
    }
    $version = Get-ModuleVersion $tree
    $module = Join-Path $tree "out/FinqLink/$version/FinqLink.psd1"
    if (-not (Test-Path $module)) { Invoke-Checked dotnet build (Join-Path $tree 'src/FinqLink/FinqLink.csproj') -c Release -nologo -v q }
    [pscustomobject]@{ Module = $module; Commit = $commit }
}

function Initialize-BenchBuild([string] $Root, [string] $Module, [string] $BaselineModule, [string] $BaselineRef) {
    if ($BaselineModule -and $BaselineRef) { throw 'Give -BaselineModule or -BaselineRef, not both.' }
    $version = Get-ModuleVersion $Root
    if (-not $Module) {
        $Module = Join-Path $Root "out/FinqLink/$version/FinqLink.psd1"
        # The module, the sandbox and the helpers of this tree, as build.ps1 makes them (quick when up to date).
        Invoke-Checked dotnet build (Join-Path $Root 'FinqLink.sln') -c Release -nologo -v q
    }
    $helperProject = Join-Path $Root 'bench/FinqLink.Bench/FinqLink.Bench.csproj'
    Invoke-Checked dotnet build $helperProject -c Release -nologo -v q
    $baselineCommit = $null
    if ($BaselineRef) {
        $baseline = Build-Baseline $Root $BaselineRef
        $BaselineModule = $baseline.Module
        $baselineCommit = $baseline.Commit
    }
    foreach ($path in @($Module, $BaselineModule) | Where-Object { $_ }) {
        if (-not (Test-Path $path)) { throw "No module at $path." }
    }
    $dirty = [bool](git -C $Root status --porcelain --untracked-files=no 2>$null)
    [pscustomobject]@{
        Module         = (Resolve-Path $Module).Path
        BaselineModule = if ($BaselineModule) { (Resolve-Path $BaselineModule).Path } else { $null }
        Commit         = (Get-Commit $Root) + $(if ($dirty) { ' (with uncommitted changes)' } else { '' })
        BaselineCommit = $baselineCommit
        Sandbox        = Join-Path $Root 'out/sandbox/FinqLink.Sandbox.dll'
        Helper         = Join-Path $Root 'bench/FinqLink.Bench/bin/Release/net10.0/FinqLink.Bench.dll'
    }
}

Export-ModuleMember -Function Initialize-BenchBuild
