<#
.SYNOPSIS
    Measures Receive-FinqWebhook (default limits) under a slow-loris: how long until every half-sent request is closed,
    and how fast genuine webhooks are answered meanwhile. Loopback only, bounded in count and time (about 15 s).
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Measure-WebhookSlowLoris.ps1 -Sockets 300
#>
param([int] $Sockets = 300, [int] $GenuineEverySec = 1, [int] $LimitSec = 60)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../tests/Pester/FinqLink.TestHelpers.psm1') -Force
$manifest = Get-FinqLinkTestManifest

function ConvertTo-Base64Url([byte[]] $Bytes) { [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') }

# A key of our own, given to the receiver with -Jwks, signs the genuine webhooks.
$rsa = [System.Security.Cryptography.RSA]::Create(2048)
$p = $rsa.ExportParameters($false)
$jwks = @{ keys = @(@{ kty = 'RSA'; kid = 'bench'; alg = 'RS256'; use = 'sig'; n = ConvertTo-Base64Url $p.Modulus; e = ConvertTo-Base64Url $p.Exponent }) } | ConvertTo-Json -Depth 4
function New-SignedWebhook([int] $N) {
    $body = [Text.Encoding]::UTF8.GetBytes("{""type"":""link_status_update"",""link_id"":""bench-$N"",""status"":""completed""}")
    $signingInput = (ConvertTo-Base64Url ([Text.Encoding]::UTF8.GetBytes('{"alg":"RS256","kid":"bench"}'))) + '.' + (ConvertTo-Base64Url $body)
    $signature = $rsa.SignData([Text.Encoding]::ASCII.GetBytes($signingInput), 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    @{ Body = $body; Signature = "$signingInput.$(ConvertTo-Base64Url $signature)" }
}

$probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
$job = Start-ThreadJob { Import-Module $using:manifest; Receive-FinqWebhook -Port $using:port -Jwks $using:jwks -TimeoutSec ($using:LimitSec + 30) -Verbose | Out-Null }
$http = [System.Net.Http.HttpClient]::new(); $http.Timeout = [TimeSpan]::FromSeconds(30)
$open = @(); $latencies = [System.Collections.Generic.List[double]]::new()
try {
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not ($job.Verbose | Where-Object Message -like 'Listening*')) { if ([DateTime]::UtcNow -gt $deadline) { throw 'The receiver did not start.' }; Start-Sleep -Milliseconds 50 }

    $clock = [Diagnostics.Stopwatch]::StartNew()
    $loris = foreach ($i in 1..$Sockets) {
        $client = [System.Net.Sockets.TcpClient]::new()
        $client.Connect([System.Net.IPAddress]::Loopback, $port)
        $stream = $client.GetStream()
        $stream.Write([Text.Encoding]::ASCII.GetBytes("POST / HTTP/1.1`r`nHost: 127.0.0.1`r`n"))
        [pscustomobject]@{ Client = $client; Read = $stream.ReadAsync([byte[]]::new(16), 0, 16); ClosedAt = $null }
    }
    $opened = $clock.Elapsed.TotalSeconds
    $n = 0; $nextGenuine = 0.0; $nextTrickle = 1.0
    while (($loris | Where-Object { $null -eq $_.ClosedAt }) -and $clock.Elapsed.TotalSeconds -lt $LimitSec) {
        foreach ($l in $loris) { if ($null -eq $l.ClosedAt -and $l.Read.IsCompleted) { $l.ClosedAt = $clock.Elapsed.TotalSeconds } }
        if ($clock.Elapsed.TotalSeconds -ge $nextTrickle) {
            # A slow-loris keeps sending a header line now and then, to look alive.
            foreach ($l in $loris) { if ($null -eq $l.ClosedAt) { try { $l.Client.GetStream().Write([Text.Encoding]::ASCII.GetBytes("X-Loris: $n`r`n")) } catch { } } }
            $nextTrickle += 1
        }
        if ($clock.Elapsed.TotalSeconds -ge $nextGenuine) {
            $hook = New-SignedWebhook (++$n)
            $request = [System.Net.Http.HttpRequestMessage]::new('Post', "http://127.0.0.1:$port/")
            $request.Content = [System.Net.Http.ByteArrayContent]::new($hook.Body)
            $request.Headers.Add('x-signature', $hook.Signature); $request.Headers.Add('x-signature-kid', 'bench')
            $sent = [Diagnostics.Stopwatch]::StartNew()
            $status = [int]$http.SendAsync($request).GetAwaiter().GetResult().StatusCode
            $latencies.Add($sent.Elapsed.TotalMilliseconds)
            if ($status -ne 204) { Write-Warning "genuine webhook $n answered $status" }
            $nextGenuine += $GenuineEverySec
        }
        Start-Sleep -Milliseconds 20
    }
    $closed = @($loris | Where-Object ClosedAt | ForEach-Object ClosedAt | Sort-Object)
    $sorted = @($latencies | Sort-Object)
    [pscustomobject]@{
        Sockets = $Sockets
        OpenedInSec = [Math]::Round($opened, 2)
        ClosedCount = $closed.Count
        AllClosedAfterSec = if ($closed.Count -eq $Sockets) { [Math]::Round($closed[-1], 2) } else { $null }
        GenuineSent = $sorted.Count
        GenuineMedianMs = [Math]::Round($sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)], 1)
        GenuineFirstMs = [Math]::Round($latencies[0], 1)
        GenuineMaxAfterFirstMs = [Math]::Round((@($latencies | Select-Object -Skip 1 | Sort-Object))[-1], 1)
    }
}
finally {
    foreach ($l in $loris) { $l.Client.Dispose() }
    $http.Dispose()
    $job | Stop-Job; $job | Remove-Job -Force
}
