using System.Collections.Concurrent;
using System.Collections.Generic;

namespace FinqLink.Sandbox.Auth;

/// <summary>The latest client certificates the HTTPS listener refused, each with the rule it broke, so a user can see why a handshake failed.</summary>
public sealed class TlsRejections
{
    private const int Kept = 100;
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => _entries.ToArray();

    public void Add(string subject, string rule)
    {
        _entries.Enqueue($"{subject}: {rule}");
        while (_entries.Count > Kept) _entries.TryDequeue(out _);
    }
}
