using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;

namespace FinqLink.Core.Tests.Fakes;

/// <summary>Conditional records as a storage service keeps them: create if absent, replace by ETag; and a switch that makes it unreachable.</summary>
internal sealed class InMemoryConditionalRecords : IConditionalRecords
{
    private readonly Dictionary<string, ConditionalRecord> _records = new(StringComparer.Ordinal);
    private int _etag;

    public string Location => "memory://slots";
    public bool Unreachable { get; set; }
    public int Calls;
    public int Writes;

    public IReadOnlyDictionary<string, string>? Read(string name)
    {
        lock (_records) return _records.TryGetValue(name, out var record) ? record.Values : null;
    }

    public IReadOnlyList<ConditionalRecord> All()
    {
        lock (_records) return _records.Values.ToList();
    }

    public Task<IReadOnlyList<ConditionalRecord>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        Enter();
        lock (_records) return Task.FromResult<IReadOnlyList<ConditionalRecord>>(_records.Values.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList());
    }

    public Task<string?> TryCreateAsync(string name, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
    {
        Enter();
        Interlocked.Increment(ref Writes);
        lock (_records)
        {
            if (_records.ContainsKey(name)) return Task.FromResult<string?>(null);
            return Task.FromResult<string?>(Put(name, values));
        }
    }

    public Task<string?> TryReplaceAsync(string name, IReadOnlyDictionary<string, string> values, string etag, CancellationToken cancellationToken)
    {
        Enter();
        Interlocked.Increment(ref Writes);
        lock (_records)
        {
            if (!_records.TryGetValue(name, out var record) || record.ETag != etag) return Task.FromResult<string?>(null);
            return Task.FromResult<string?>(Put(name, values));
        }
    }

    private string Put(string name, IReadOnlyDictionary<string, string> values)
    {
        var etag = "\"" + ++_etag + "\"";
        _records[name] = new ConditionalRecord(name, etag, new Dictionary<string, string>(values));
        return etag;
    }

    private void Enter()
    {
        Interlocked.Increment(ref Calls);
        if (Unreachable) throw new SlotRegistryException("memory://slots cannot be reached (the test said so).");
    }
}
