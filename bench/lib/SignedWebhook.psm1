# A genuine webhook for the verification benchmark: the sandbox signs and delivers one to a loopback listener.
Set-StrictMode -Version Latest

function Get-SignedWebhook($Sandbox, [int] $TimeoutSec = 20) {
    $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $listener = [Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()
    try {
        $next = $listener.GetContextAsync()
        $link = [pscustomobject]@{ Amount = 1; Currency = 'RON' } | New-FinqLink
        Invoke-FinqLinkSandbox TriggerWebhook -Sandbox $Sandbox -Body @{
            type = 'link_status_update'; id = $link.LinkId; status = 'completed'; url = "http://127.0.0.1:$port/webhook"
        } | Out-Null
        if (-not $next.Wait($TimeoutSec * 1000)) { throw "The sandbox delivered no webhook within $TimeoutSec s." }
        $context = $next.Result
        $reader = [IO.StreamReader]::new($context.Request.InputStream, [Text.UTF8Encoding]::new($false))
        $webhook = @{ body = $reader.ReadToEnd(); signature = $context.Request.Headers['x-signature']; kid = $context.Request.Headers['x-signature-kid'] }
        $context.Response.StatusCode = 204
        $context.Response.Close()
        if (-not $webhook.signature) { throw 'The delivered webhook has no x-signature header.' }
        $webhook
    }
    finally { $listener.Stop() }
}

Export-ModuleMember -Function Get-SignedWebhook
