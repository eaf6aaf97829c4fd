# Starts the local sandbox for a Pester run and stops it afterwards. Used from BeforeAll/AfterAll.

function Start-FinqLinkTestSandbox {
    [CmdletBinding()]
    param([int] $TimeoutSec = 120)

    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $baseUri = "http://127.0.0.1:$port"
    $project = Join-Path $root 'src/FinqLink.Sandbox'
    $process = Start-Process -FilePath dotnet -PassThru -NoNewWindow -RedirectStandardOutput (Join-Path ([IO.Path]::GetTempPath()) "finqlink-sandbox-$port.log") `
        -ArgumentList @('run', '--project', $project, '--', '--urls', $baseUri, '--bank-step-delay', '20', '--job-step-delay', '20', '--job-cooldown', '0')
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ([DateTime]::UtcNow -lt $deadline) {
        try {
            Invoke-RestMethod -Method Get -Uri "$baseUri/.well-known/jwks.json" -TimeoutSec 2 | Out-Null
            return [pscustomobject]@{ BaseUri = $baseUri; Process = $process }
        }
        catch { Start-Sleep -Milliseconds 250 }
        if ($process.HasExited) { throw "The sandbox exited with code $($process.ExitCode)." }
    }
    $process.Kill($true)
    throw "The sandbox did not answer on $baseUri within $TimeoutSec s."
}

function Stop-FinqLinkTestSandbox {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox)
    if ($Sandbox.Process -and -not $Sandbox.Process.HasExited) {
        # 'dotnet run' starts the sandbox as its child: end the whole tree, or the sandbox outlives the run.
        $Sandbox.Process.Kill($true)
        $Sandbox.Process.WaitForExit(10000) | Out-Null
    }
}

function Invoke-FinqLinkSandboxControl {
    # The sandbox's control API (not part of FinqLink): plays payers and account holders, reads counters.
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $Path, [hashtable] $Body = @{})
    Invoke-RestMethod -Method Post -Uri "$($Sandbox.BaseUri)/sandbox/$Path" -Body ($Body | ConvertTo-Json -Depth 5) -ContentType 'application/json'
}

function Get-FinqLinkSandboxStats {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Sandbox)
    Invoke-RestMethod -Method Get -Uri "$($Sandbox.BaseUri)/sandbox/stats"
}

Export-ModuleMember -Function Start-FinqLinkTestSandbox, Stop-FinqLinkTestSandbox, Invoke-FinqLinkSandboxControl, Get-FinqLinkSandboxStats
