using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The slot registry of runs whose journal is in storage: global to an API client (its base URI and client id), on
    /// any machine. A run reserves blocks of <see cref="RegistrySlots.BlockSize"/> slots, one conditional write each (create
    /// the block's record if absent, or replace it by ETag once its holder's time is up), and hands their slots to its
    /// rows. A block is held until a moment of the API server's clock (learned from its answers, never this machine's):
    /// before each request the run makes sure that moment lies past the latest the request could make a link (sent now,
    /// plus the request timeout and the grace after a drop), renewing the record every <see cref="RenewEvery"/>. So no two
    /// rows hold one slot while either's request could still make a link, and a link in a row's window with the row's
    /// slot is that row's. A run that dies stops renewing: its blocks stay held until its last request could no longer
    /// make a link, so the run that resumes its journal, on any machine, settles those rows exactly; after that the slots
    /// are free, because a link made later lies outside every window of the dead run's rows.
    /// </summary>
    /// <remarks>Round trips: per block taken, one listing and one write; per block, one write per renewal and one at the end. None per row.</remarks>
    internal sealed class StorageSlotRegistry : ISlotRegistry
    {
        public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);
        /// <summary>Past a holder's last possible link before another run may take the block: rounding and reconciliation's tolerance, both sides.</summary>
        public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
        /// <summary>Blocks one run holds per base expiry at most: 64 slots, as many as one lane.</summary>
        public const int MaxBlocksPerExpiry = 8;
        private static readonly TimeSpan RetryTakeEvery = TimeSpan.FromSeconds(1);
        private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

        private readonly IConditionalRecords _records;
        private readonly string _scope;
        private readonly string _journal;
        private readonly string _run = Guid.NewGuid().ToString("N");
        private readonly ServerClock _clock;
        private readonly TimeProvider _time;
        private readonly TimeSpan _holdFor;
        private readonly Random _random;
        private readonly IRequestLog? _log;
        private readonly int _maxBlocks;
        private readonly Func<bool> _intact;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        // Guards the pools (one per base expiry) and the renewal task.
        private readonly Dictionary<long, SlotBlocks> _pools = new Dictionary<long, SlotBlocks>();
        private Task? _renewing;
        private bool _warnedFull;
        private int _requests;

        /// <param name="scope">The API client: its base URI and client id.</param>
        /// <param name="journal">The journal's location, written in the blocks' records for people reading the storage.</param>
        /// <param name="inFlightFor">How long after it was sent a request may still make a link: the timeout plus the grace after a drop.</param>
        /// <param name="rowsAhead">How many rows the run takes ahead of their requests (<see cref="Admission.RowsAhead"/>), each holding a slot
        /// while it waits for its journal entry: the registry holds blocks for them and 16 being settled, at most <see cref="MaxBlocksPerExpiry"/>.</param>
        /// <param name="intact">True while every journal write succeeded and none is waiting: then a row whose slot came back has its verdict journaled
        /// (a row gives its slot back once its verdict is queued, see RowSender).</param>
        public StorageSlotRegistry(IConditionalRecords records, string scope, string journal, ServerClock clock, TimeProvider time, TimeSpan inFlightFor,
            int rowsAhead, Func<bool> intact, Random random, IRequestLog? log)
        {
            _maxBlocks = Math.Min(MaxBlocksPerExpiry, (rowsAhead + 16 + RegistrySlots.BlockSize - 1) / RegistrySlots.BlockSize);
            _intact = intact;
            _records = records;
            _scope = Hash(scope);
            _journal = journal;
            _clock = clock;
            _time = time;
            _holdFor = inFlightFor + RenewEvery + RenewEvery + RenewEvery;
            _random = random;
            _log = log;
        }

        /// <summary>Where a block's record is, under the registry's records: one folder per API client and base expiry.</summary>
        public static string BlockName(string scopeHash, long baseSeconds, int index) => $"{scopeHash}/{baseSeconds}/{index:D3}";

        public string ScopeHash => _scope;

        public async Task<SlotLease> ReserveAsync(TimeSpan baseExpiry, CancellationToken cancellationToken)
        {
            var pool = PoolOf((long)baseExpiry.TotalSeconds);
            while (true)
            {
                if (pool.TryTake() is (SlotBlock, int) free) return Lease(pool, free.Block, free.Slot);
                if (!await GrowAsync(pool, cancellationToken).ConfigureAwait(false))
                    await pool.WaitAsync(RetryTakeEvery, cancellationToken).ConfigureAwait(false);
            }
        }

        public ISet<long> HeldExpiries()
        {
            lock (_pools) return new HashSet<long>(_pools.Values.SelectMany(p => p.Held().Select(s => RegistrySlots.ExpiresIn(TimeSpan.FromSeconds(p.BaseSeconds), s))));
        }

        private SlotLease Lease(SlotBlocks pool, SlotBlock block, int slot) =>
            new SlotLease(pool.BaseSeconds, RegistrySlots.ExpiresIn(TimeSpan.FromSeconds(pool.BaseSeconds), slot), lane: null,
                () => pool.Give(block, slot), (windowEnd, cancellationToken) => CoverAsync(block, windowEnd, cancellationToken));

        /// <summary>Takes one more block for the pool when it has none free; false when it may not (or none is free anywhere).</summary>
        private async Task<bool> GrowAsync(SlotBlocks pool, CancellationToken cancellationToken)
        {
            await pool.Growing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (pool.HasFree) return true;
                if (pool.BlockCount >= _maxBlocks) return false;
                var block = await TakeBlockAsync(pool.BaseSeconds, cancellationToken).ConfigureAwait(false);
                if (block == null)
                {
                    if (!_warnedFull)
                        _log?.Warning($"Every block of expiry slots for an expiry of {TimeSpan.FromSeconds(pool.BaseSeconds)} in {_records.Location} is held by other runs of this API client: rows wait for one to come free.");
                    _warnedFull = true;
                    return false;
                }
                pool.Add(block);
                lock (_pools) _renewing ??= Task.Run(RenewLoopAsync, CancellationToken.None);
                _log?.Verbose($"Bulk run: holds block {block.Index} of {RegistrySlots.Blocks(TimeSpan.FromSeconds(pool.BaseSeconds))} of expiry slots in {_records.Location} until {block.HeldUntil:u} (server time); slot registry: {Volatile.Read(ref _requests)} storage requests so far.");
                return true;
            }
            finally { pool.Growing.Release(); }
        }

        private async Task<SlotBlock?> TakeBlockAsync(long baseSeconds, CancellationToken cancellationToken)
        {
            var prefix = $"{_scope}/{baseSeconds}/";
            var listed = (await Call(() => _records.ListAsync(prefix, cancellationToken)).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.Ordinal);
            var now = ServerNow();
            List<int> order;
            lock (_pools) order = Enumerable.Range(0, RegistrySlots.Blocks(TimeSpan.FromSeconds(baseSeconds))).OrderBy(_ => _random.Next()).ToList();
            foreach (var index in order)
            {
                var name = BlockName(_scope, baseSeconds, index);
                var until = now.To + _holdFor;
                var values = SlotBlock.Values(_run, _journal, until);
                string? etag;
                if (!listed.TryGetValue(name, out var record)) etag = await Call(() => _records.TryCreateAsync(name, values, cancellationToken)).ConfigureAwait(false);
                else if (SlotBlock.IsFree(record, now.From, Margin)) etag = await Call(() => _records.TryReplaceAsync(name, values, record.ETag, cancellationToken)).ConfigureAwait(false);
                else continue;
                if (etag != null) return new SlotBlock(name, baseSeconds, index, etag, until);
            }
            return null;
        }

        /// <summary>Keeps the block held past <paramref name="windowEnd"/> (plus the margin), renewing it now if need be.</summary>
        private async Task CoverAsync(SlotBlock block, DateTimeOffset windowEnd, CancellationToken cancellationToken)
        {
            if (TryCover(block, windowEnd)) return;
            await RenewAsync(block, cancellationToken).ConfigureAwait(false);
            if (!TryCover(block, windowEnd))
                throw new SlotRegistryException(block.Lost
                    ? $"The run lost its block of expiry slots in {_records.Location} to another run (it could not renew it in time); the run stops sending. Run again with the same journal."
                    : $"The run could not renew its block of expiry slots in {_records.Location}; the run stops sending. Run again with the same journal.");
        }

        private static bool TryCover(SlotBlock block, DateTimeOffset windowEnd)
        {
            lock (block.Gate)
            {
                if (block.Lost || block.Released || windowEnd + Margin > block.HeldUntil) return false;
                if (windowEnd > block.CoveredUntil) block.CoveredUntil = windowEnd;
                return true;
            }
        }

        /// <summary>Moves the block's time on; marks it lost when another run has taken it.</summary>
        private async Task RenewAsync(SlotBlock block, CancellationToken cancellationToken)
        {
            await block.Writing.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                string etag;
                lock (block.Gate)
                {
                    if (block.Lost || block.Released) return;
                    etag = block.ETag;
                }
                var until = ServerNow().To + _holdFor;
                var renewed = await Call(() => _records.TryReplaceAsync(block.Name, SlotBlock.Values(_run, _journal, until), etag, cancellationToken)).ConfigureAwait(false);
                lock (block.Gate)
                {
                    if (renewed == null) block.Lost = true;
                    else (block.ETag, block.HeldUntil) = (renewed, until);
                }
                if (renewed == null) _log?.Warning($"Block {block.Index} of expiry slots in {_records.Location} was taken by another run: this run could not renew it in time, and sends no more rows with its slots.");
            }
            finally { block.Writing.Release(); }
        }

        private async Task RenewLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    await _time.Delay(RenewEvery, _stopping.Token).ConfigureAwait(false);
                    foreach (var block in Blocks()) await RenewAsync(block, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) { return; }
                catch (SlotRegistryException e) { _log?.Warning($"Expiry slots could not be renewed ({e.Message}); trying again in {RenewEvery.TotalSeconds:0} s."); }
            }
        }

        private List<SlotBlock> Blocks()
        {
            lock (_pools) return _pools.Values.SelectMany(p => p.Blocks()).ToList();
        }

        private SlotBlocks PoolOf(long baseSeconds)
        {
            lock (_pools)
            {
                if (!_pools.TryGetValue(baseSeconds, out var pool)) _pools[baseSeconds] = pool = new SlotBlocks(baseSeconds, new Random(_random.Next()));
                return pool;
            }
        }

        private (DateTimeOffset From, DateTimeOffset To) ServerNow()
        {
            var now = _time.GetUtcNow();
            return _clock.ToServer(now, now);
        }

        private async Task<T> Call<T>(Func<Task<T>> call)
        {
            Interlocked.Increment(ref _requests);
            try { return await call().ConfigureAwait(false); }
            catch (Exception e) when (!(e is SlotRegistryException) && !(e is OperationCanceledException))
            {
                throw new SlotRegistryException($"The slot registry in {_records.Location} could not be reached ({e.Message}).", e);
            }
        }

        /// <summary>
        /// Stops renewing, and writes into each block's record until when its slots matter, so other runs may take it from
        /// then on (sooner than the lapse): now, when every slot came back and every journal write succeeded (each row's
        /// verdict is journaled, over a window that has closed); else the latest moment a request sent with one of its slots
        /// could make a link (the window a resumer settles a pending row over). A write that fails changes nothing: the
        /// block lapses.
        /// </summary>
        public void Dispose()
        {
            _stopping.Cancel();
            using var timeout = new CancellationTokenSource(ReleaseTimeout);
            foreach (var block in Blocks())
            {
                if (!block.Writing.Wait(ReleaseTimeout)) continue;   // a renewal hangs: the block lapses by itself
                string etag;
                DateTimeOffset until;
                lock (block.Gate)
                {
                    if (block.Lost || block.Released)
                    {
                        block.Writing.Release();
                        continue;
                    }
                    block.Released = true;
                    var settled = block.CoveredUntil == DateTimeOffset.MinValue || (_intact() && PoolOf(block.BaseSeconds).AllFree(block));
                    (etag, until) = (block.ETag, settled ? ServerNow().To : block.CoveredUntil);
                }
                Interlocked.Increment(ref _requests);
                try { _records.TryReplaceAsync(block.Name, SlotBlock.Values(_run, _journal, until), etag, timeout.Token).GetAwaiter().GetResult(); }
                catch (Exception e) when (!(e is OutOfMemoryException)) { _log?.Verbose($"Block {block.Index} of expiry slots was not given back ({e.Message}); it lapses by itself."); }
                finally { block.Writing.Release(); }
            }
            if (_renewing != null) _log?.Verbose($"Slot registry {_records.Location}: {Volatile.Read(ref _requests)} storage requests for {Blocks().Count} blocks of expiry slots.");
        }

        private static string Hash(string text)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(text)), 0, 12).Replace("-", "").ToLowerInvariant();
        }
    }
}
