using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests;

/// <summary>A JWKS endpoint a test controls: what it publishes, whether it fails, and a fetch held open until released.</summary>
internal sealed class FakeJwksEndpoint
{
    private volatile string _jwks = "";
    private Hold? _hold;

    public bool Fail { get; set; }

    public void Publish(params JsonObject[] keys) => _jwks = Jwks(keys);

    /// <summary>The next fetch waits until the returned hold is released.</summary>
    public Hold HoldNextFetch() => _hold = new Hold();

    public async Task FetchStarted(Hold hold)
    {
        if (await Task.WhenAny(hold.Started.Task, Task.Delay(TimeSpan.FromSeconds(10))) != hold.Started.Task) throw new TimeoutException("the fetch never started");
    }

    public async Task<string> FetchAsync(CancellationToken cancellationToken)
    {
        var hold = Interlocked.Exchange(ref _hold, null);
        if (hold != null)
        {
            hold.Started.TrySetResult(true);
            await hold.Released.Task;
        }
        if (Fail) throw new InvalidOperationException("the JWKS endpoint is down");
        return _jwks;
    }

    internal sealed class Hold
    {
        public TaskCompletionSource<bool> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<bool> Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Release() => Released.TrySetResult(true);
    }
}
