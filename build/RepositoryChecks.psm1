#Requires -Version 7.2
# Checks of the repository itself, run by tests/Pester/FinqLink.Repository.Tests.ps1 (both test lanes):
# * every relative link in the project's markdown names a file that exists (and a heading, for #anchors into markdown);
# * the PowerShell rules that matter, read from the AST: PSScriptAnalyzer is not served as a package here, so these
#   few rules are written by hand over System.Management.Automation.Language;
# * the order of C# using directives (.editorconfig's dotnet_sort_system_directives_first), the one .editorconfig rule
#   the test command's `dotnet format whitespace` does not read: the build enforces the analyzers and the code style.
Set-StrictMode -Version Latest

# The markdown a reader follows links in: the READMEs, CONTRIBUTING.md and the help source.
function Get-CheckedMarkdown([string] $Root) {
    $files = @('README.md', 'CONTRIBUTING.md', 'bench/README.md') | ForEach-Object { Join-Path $Root $_ } | Where-Object { Test-Path -LiteralPath $_ }
    $files += Get-ChildItem (Join-Path $Root 'src') -Filter README.md -Recurse -Depth 1 -ErrorAction Ignore | ForEach-Object FullName
    $files += Get-ChildItem (Join-Path $Root 'docs') -Filter *.md -Recurse -ErrorAction Ignore | ForEach-Object FullName
    $files | Sort-Object -Unique
}

# GitHub's heading anchors: lower case, punctuation other than '-' and '_' dropped, each space a '-'.
function ConvertTo-Anchor([string] $Heading) {
    $text = ($Heading -replace '`', '').Trim().ToLowerInvariant()
    ($text -replace '[^\p{L}\p{Nd}\s_-]', '') -replace '\s', '-'
}

function Get-MarkdownAnchor([string] $Path) {
    $inFence = $false
    foreach ($line in [IO.File]::ReadAllLines($Path)) {
        if ($line -match '^\s*(```|~~~)') { $inFence = -not $inFence; continue }
        if (-not $inFence -and $line -match '^#{1,6}\s+(.+?)\s*#*\s*$') { ConvertTo-Anchor $Matches[1] }
    }
}

# What a line links to: inline links and images [text](target), reference definitions [name]: target, and code spans
# that name a path inside the repository (`src/...`, `tests/...`): prose names files that way too.
$inlineLink = [regex]'!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)'
$referenceLink = [regex]'^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?'
$repositoryPath = [regex]'`((?:src|tests|docs|samples|bench|build|\.ci)/[^`\s]*)`'

<#
.SYNOPSIS
    Links and repository paths in markdown that name nothing: one object per broken target (File, Line, Target, Problem).
.PARAMETER Root
    The repository root; a code-span path is read from there, a link from the markdown file's folder.
.PARAMETER Path
    The markdown files to read (default: Get-CheckedMarkdown's).
#>
function Find-BrokenLink {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Root,
        [string[]] $Path = (Get-CheckedMarkdown $Root)
    )
    $anchors = @{}
    foreach ($file in $Path) {
        $folder = Split-Path -Parent $file
        $lines = [IO.File]::ReadAllLines($file)
        $inFence = $false
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^\s*(```|~~~)') { $inFence = -not $inFence; continue }
            if ($inFence) { continue }
            $line = $lines[$i]
            if ($line.IndexOf('](') -lt 0 -and $line.IndexOf(']:') -lt 0 -and $line.IndexOf('`') -lt 0) { continue }
            $targets = @(
                foreach ($match in $inlineLink.Matches($line)) { [pscustomobject]@{ Target = $match.Groups[1].Value; Kind = 'link' } }
                foreach ($match in $referenceLink.Matches($line)) { [pscustomobject]@{ Target = $match.Groups[1].Value; Kind = 'link' } }
                # Placeholders and patterns (out/FinqLink/<version>/, tests/Pester/*.ps1) name no one file.
                foreach ($match in $repositoryPath.Matches($line)) { if ($match.Groups[1].Value -notmatch '[<>*?{}$…]') { [pscustomobject]@{ Target = $match.Groups[1].Value; Kind = 'path' } } }
            )
            foreach ($found in $targets) {
                $target = $found.Target
                if ($target -match '^[a-z][a-z0-9+.-]*:' -or $target.StartsWith('//')) { continue }   # http:, mailto:, …
                $relative, $anchor = $target -split '#', 2
                $relative = [Uri]::UnescapeDataString($relative)
                $base = if ($found.Kind -eq 'path') { $Root } else { $folder }
                $resolved = if ($relative) { [IO.Path]::GetFullPath((Join-Path $base $relative)) } else { $file }
                # A path git ignores (bench/results/latest.json) names what a run writes, not a file of the repository.
                $problem = if (-not (Test-Path -LiteralPath $resolved)) {
                    if ($found.Kind -ne 'path' -or -not (Test-GitIgnored $Root $relative)) { 'names no file or folder' }
                }
                elseif ($anchor -and $resolved.EndsWith('.md', [StringComparison]::OrdinalIgnoreCase)) {
                    if (-not $anchors.ContainsKey($resolved)) { $anchors[$resolved] = @(Get-MarkdownAnchor $resolved) }
                    if ($anchor -notin $anchors[$resolved]) { "has no heading for #$anchor" }
                }
                if ($problem) {
                    [pscustomobject]@{ File = [IO.Path]::GetRelativePath($Root, $file); Line = $i + 1; Target = $target; Problem = $problem }
                }
            }
        }
    }
}

function Test-GitIgnored([string] $Root, [string] $Path) {
    & git -C $Root check-ignore -q --no-index -- $Path 2>$null
    $LASTEXITCODE -eq 0
}

# The files the PowerShell rules read: every .ps1 and .psm1 of the build, the samples, the bench and the Pester tests.
function Get-CheckedScript([string] $Root) {
    $files = @(Join-Path $Root 'build.ps1' | Where-Object { Test-Path -LiteralPath $_ })
    foreach ($folder in 'build', 'samples', 'bench', 'tests/Pester' | ForEach-Object { Join-Path $Root $_ } | Where-Object { Test-Path -LiteralPath $_ }) {
        $files += Get-ChildItem $folder -Recurse -File -Include *.ps1, *.psm1 |
            Where-Object { $_.FullName -notmatch '[\\/](bin|obj|results)[\\/]' } | ForEach-Object FullName
    }
    $files | Sort-Object -Unique
}

<#
.SYNOPSIS
    Whether a file is a script that must set strict mode: a .ps1 a person runs by name (build.ps1 and those directly in
    build/, samples/ and bench/).
.DESCRIPTION
    Exempt: Pester's *.Tests.ps1 files (Pester dot-sources them into its own scopes, so their strict mode would be
    Pester's), modules (.psm1: libraries, not scripts), the harness's child-process helpers (bench/lib/Worker.ps1,
    tests/Pester/Bulk/*.ps1: started by the bench and the bulk tests, which own their runs) and the examples in
    docs/en-US (lines for the reader's own prompt, where Set-StrictMode would change the reader's session).
#>
function Test-IsEntryScript([string] $Root, [string] $Path) {
    $relative = [IO.Path]::GetRelativePath($Root, $Path) -replace '\\', '/'
    $relative -eq 'build.ps1' -or $relative -match '^(build|samples|bench)/[^/]+\.ps1$'
}

# Aliases PowerShell defines on Windows only (on Unix these names run native tools): Get-Alias here does not list them,
# but the module's scripts also run in Windows PowerShell 5.1, where they are aliases.
$windowsOnlyAliases = 'ac', 'cat', 'clear', 'compare', 'cp', 'cpp', 'diff', 'kill', 'ls', 'man', 'mount', 'mv', 'ps', 'rm', 'rmdir', 'sleep', 'sort', 'start', 'tee', 'write'

function Get-AliasName {
    if (-not $script:aliasNames) {
        $script:aliasNames = [Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
        foreach ($name in @(Get-Alias | ForEach-Object Name) + $windowsOnlyAliases) { [void]$script:aliasNames.Add($name) }
    }
    , $script:aliasNames
}
$script:aliasNames = $null

# What PowerShell knows of a command's switches: Known is false when it cannot find the command; Names holds the switch
# parameters and their aliases (none for a native tool, to which PowerShell binds nothing).
function Get-SwitchParameterName([string] $CommandName) {
    if (-not $script:switchCache.ContainsKey($CommandName)) {
        $command = Get-Command $CommandName -ErrorAction Ignore | Select-Object -First 1
        $names = if ($command -and $command.CommandType -ne 'Application') { @($command.Parameters.Values | Where-Object SwitchParameter | ForEach-Object { $_.Name; $_.Aliases }) }
        $script:switchCache[$CommandName] = [pscustomobject]@{ Known = [bool]$command; Names = @($names) }
    }
    $script:switchCache[$CommandName]
}
$script:switchCache = @{}

function New-Finding([string] $File, $Extent, [string] $Rule, [string] $Message) {
    [pscustomobject]@{ File = $File; Line = $Extent.StartLineNumber; Rule = $Rule; Text = $Extent.Text; Message = $Message }
}

<#
.SYNOPSIS
    The rules that matter, over one script's AST: one object per finding (File, Line, Rule, Text, Message).
.DESCRIPTION
    NoAlias         a command written as an alias (gci, %, ?, select, sort, …): write the command's name.
    SwitchPosition  a switch given a value without a colon (-Force $false binds $false to a positional parameter, not to
                    -Force: write -Force:$false), or a [switch] declared with a Position.
    StrictMode      a script (see Test-IsEntryScript) that never calls Set-StrictMode.
    Parse           the text does not parse.
#>
function Find-ScriptRuleViolation {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Path')] [string] $Path,
        [Parameter(Mandatory, ParameterSetName = 'Text')] [string] $Text,
        # The name findings carry for -Text (a docs example: 'docs/en-US/New-FinqLink.md:12').
        [Parameter(ParameterSetName = 'Text')] [string] $Name = 'text',
        [switch] $RequireStrictMode
    )
    $tokens = $null
    $errors = $null
    if ($PSCmdlet.ParameterSetName -eq 'Path') {
        $ast = [Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
        $Name = $Path
    }
    else { $ast = [Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $errors) }
    foreach ($parseError in $errors) { New-Finding $Name $parseError.Extent 'Parse' $parseError.Message }

    $aliases = Get-AliasName
    foreach ($command in $ast.FindAll({ param($node) $node -is [Management.Automation.Language.CommandAst] }, $true)) {
        $commandName = $command.GetCommandName()
        if ($commandName -and $command.InvocationOperator -eq 'Unknown' -and $aliases.Contains($commandName)) {
            $alias = Get-Alias $commandName -ErrorAction Ignore
            $of = if ($alias) { " of $($alias.Definition)" } else { ' in Windows PowerShell' }
            New-Finding $Name $command.CommandElements[0].Extent 'NoAlias' "'$commandName' is an alias$of`: write the command's name."
        }
        $elements = $command.CommandElements
        # Pester's Should takes its operators as switches and the expected value positionally: Should -Be $true is meant.
        if ($commandName -eq 'Should') { continue }
        for ($i = 1; $i -lt $elements.Count - 1; $i++) {
            $parameter = $elements[$i]
            if ($parameter -isnot [Management.Automation.Language.CommandParameterAst] -or $parameter.Argument) { continue }
            $next = $elements[$i + 1]
            if ($next -isnot [Management.Automation.Language.VariableExpressionAst] -or $next.VariablePath.UserPath -notin 'true', 'false') { continue }
            # A known command says whether the parameter is a switch; for one PowerShell cannot find, -Name $true is taken as one.
            $switches = Get-SwitchParameterName "$commandName"
            if ($switches.Known -and -not @($switches.Names | Where-Object { $_ -like "$($parameter.ParameterName)*" })) { continue }
            New-Finding $Name $parameter.Extent 'SwitchPosition' "-$($parameter.ParameterName) $($next.Extent.Text) binds $($next.Extent.Text) to a positional parameter, not to the switch: write -$($parameter.ParameterName):$($next.Extent.Text)."
        }
    }
    foreach ($declared in $ast.FindAll({ param($node) $node -is [Management.Automation.Language.ParameterAst] }, $true)) {
        $isSwitch = $declared.StaticType -eq [switch]
        $position = $declared.Attributes | Where-Object { $_ -is [Management.Automation.Language.AttributeAst] -and $_.TypeName.Name -in 'Parameter', 'System.Management.Automation.Parameter' } |
            ForEach-Object NamedArguments | Where-Object ArgumentName -eq 'Position'
        if ($isSwitch -and $position) {
            New-Finding $Name $declared.Extent 'SwitchPosition' "The switch $($declared.Name.Extent.Text) is declared with a Position: a switch is bound by name only."
        }
    }
    if ($RequireStrictMode) {
        $setsStrictMode = $ast.FindAll({ param($node) $node -is [Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq 'Set-StrictMode' }, $true)
        if (-not $setsStrictMode) { New-Finding $Name $ast.Extent 'StrictMode' 'A script sets Set-StrictMode -Version Latest (before its first statement).' | ForEach-Object { $_.Line = 1; $_.Text = ''; $_ } }
    }
}

<#
.SYNOPSIS
    The PowerShell code blocks of docs/en-US's examples and about topics: one object per command (File, Line, Code).
.DESCRIPTION
    platyPS examples show a prompt ('PS C:\> ') and the output after it. In a block with prompts, the code is each
    prompt's line and the lines it continues onto (as the console decides: while the parser says the input is
    incomplete); the rest is output. A block without prompts is code throughout.
#>
function Get-DocsCodeBlock([string] $Root) {
    foreach ($file in Get-ChildItem (Join-Path $Root 'docs/en-US') -Filter *.md -ErrorAction Ignore) {
        $lines = [IO.File]::ReadAllLines($file.FullName)
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^\s*```\s*(powershell|pwsh|ps1|posh)\s*$') { continue }
            $block = [Collections.Generic.List[object]]::new()
            for ($i++; $i -lt $lines.Count -and $lines[$i] -notmatch '^\s*```\s*$'; $i++) { $block.Add([pscustomobject]@{ Line = $i + 1; Text = $lines[$i] }) }
            $hasPrompt = @($block | Where-Object Text -Match '^PS [^>]*>').Count -gt 0
            if (-not $hasPrompt) {
                if ($block.Count) { [pscustomobject]@{ File = "docs/en-US/$($file.Name)"; Line = $block[0].Line; Code = ($block.Text -join "`n") } }
                continue
            }
            for ($j = 0; $j -lt $block.Count; $j++) {
                if ($block[$j].Text -notmatch '^PS [^>]*> ?(.*)$') { continue }
                $code = $Matches[1]
                while ($j + 1 -lt $block.Count -and (Test-IncompleteInput $code)) { $j++; $code += "`n" + ($block[$j].Text -replace '^>> ?', '') }
                [pscustomobject]@{ File = "docs/en-US/$($file.Name)"; Line = $block[$j].Line - ($code.Split("`n").Count - 1); Code = $code }
            }
        }
    }
}

function Test-IncompleteInput([string] $Code) {
    $tokens = $null
    $errors = $null
    [void][Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
    @($errors | Where-Object IncompleteInput).Count -gt 0
}

<#
.SYNOPSIS
    Every finding over the repository's scripts and docs examples (see Find-ScriptRuleViolation).
#>
function Find-RepositoryScriptViolation {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Root)
    foreach ($file in Get-CheckedScript $Root) {
        Find-ScriptRuleViolation -Path $file -RequireStrictMode:(Test-IsEntryScript $Root $file) |
            ForEach-Object { $_.File = [IO.Path]::GetRelativePath($Root, $_.File); $_ }
    }
    foreach ($block in Get-DocsCodeBlock $Root) {
        Find-ScriptRuleViolation -Text $block.Code -Name $block.File | ForEach-Object { $_.Line += $block.Line - 1; $_ }
    }
}

<#
.SYNOPSIS
    C# files whose using directives are out of the order dotnet format's import sorting gives them: one finding per file.
.DESCRIPTION
    The order: namespaces, then `using static`, then aliases; in each group System and System.* first, then by name,
    ignoring case. `dotnet format` (its style pass) sorts them too, but it loads the whole solution (about 90 CPU-seconds
    here), while the build already holds the tree to every analyzer and code-style rule; this reads the directives only.
#>
function Find-UsingOrderViolation {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Root)
    $files = Get-ChildItem $Root -Recurse -Filter *.cs -File | Where-Object { $_.FullName -notmatch '[\\/](bin|obj|out|node_modules)[\\/]' }
    foreach ($file in $files) {
        $usings = @(Get-UsingDirective $file.FullName)
        $sorted = @($usings | Sort-Object -Property Kind, @{ Expression = { $_.Name -notmatch '^System(\.|$)' } }, @{ Expression = { $_.Name.ToUpperInvariant() } }, @{ Expression = { $_.Name } } -CaseSensitive)
        for ($i = 0; $i -lt $usings.Count; $i++) {
            if ($usings[$i].Text -ne $sorted[$i].Text) {
                [pscustomobject]@{ File = [IO.Path]::GetRelativePath($Root, $file.FullName); Line = $usings[$i].Line; Rule = 'UsingOrder'; Text = $usings[$i].Text
                    Message = "'$($sorted[$i].Text)' comes here: run 'dotnet format' to sort the using directives." }
                break
            }
        }
    }
}

# The using directives at the top of a C# file, up to its first other line (blank lines and comments aside).
function Get-UsingDirective([string] $Path) {
    $number = 0
    foreach ($line in [IO.File]::ReadLines($Path)) {
        $number++
        if ($line -match '^\s*(//.*)?$') { continue }
        if ($line -notmatch '^\s*(global\s+)?using\s+(?<static>static\s+)?(?<name>[\w.]+)(?<alias>\s*=\s*[^;]+)?;') { break }
        $kind = if ($Matches['alias']) { 2 } elseif ($Matches['static']) { 1 } else { 0 }
        [pscustomobject]@{ Line = $number; Text = $line.Trim(); Kind = $kind; Name = $Matches['name'] }
    }
}

Export-ModuleMember -Function Find-UsingOrderViolation, Find-BrokenLink, Get-CheckedMarkdown, Find-ScriptRuleViolation, Find-RepositoryScriptViolation, Get-CheckedScript, Test-IsEntryScript, Get-DocsCodeBlock
