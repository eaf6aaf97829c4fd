using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Services
{
    /// <summary>What reading many objects found, and which could not be read (with why), keyed by id.</summary>
    public sealed class ManyResult<T>
    {
        internal ManyResult(IDictionary<string, T> found, IDictionary<string, Exception> failed)
        {
            Found = new Dictionary<string, T>(found, StringComparer.Ordinal);
            Failed = new Dictionary<string, Exception>(failed, StringComparer.Ordinal);
        }

        public IReadOnlyDictionary<string, T> Found { get; }
        public IReadOnlyDictionary<string, Exception> Failed { get; }
    }

    /// <summary>Reads many objects by id with a bounded number of requests at once; one failure does not stop the rest.</summary>
    internal static class ManyGets
    {
        public const int Parallelism = 16;

        public static async Task<ManyResult<T>> ReadAsync<T>(IEnumerable<string> ids, Func<string, CancellationToken, Task<T>> get, CancellationToken cancellationToken)
        {
            var found = new ConcurrentDictionary<string, T>(StringComparer.Ordinal);
            var failed = new ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
            using var gate = new SemaphoreSlim(Parallelism);
            var reads = ids.Distinct(StringComparer.Ordinal).Select(async id =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try { found[id] = await get(id, cancellationToken).ConfigureAwait(false); }
                catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested)) { failed[id] = e; }
                finally { gate.Release(); }
            }).ToList();
            await Task.WhenAll(reads).ConfigureAwait(false);
            return new ManyResult<T>(found, failed);
        }
    }
}
