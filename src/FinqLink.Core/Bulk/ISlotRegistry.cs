using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Keeps the rows of concurrent runs of one API client apart. Each row, from its first journal entry until its verdict
    /// is queued in the journal, holds an expiry slot (the expires_in it is sent with; the journal writes in order, so a
    /// row of this run that takes the slot next is sent only once that verdict is on disk). A reservation lasts until its
    /// lease is disposed, and everything a registry holds goes back when it is disposed (or its run dies). Two implementations:
    /// <see cref="LocalLaneRegistry"/> (local journals) keeps slots distinct among the rows of one run and among runs on
    /// this machine (a lock file per expiry lane); runs on other machines may share a lane, which reconciliation reports as
    /// ambiguous. <see cref="StorageSlotRegistry"/> (journals in storage) reserves blocks of slots with conditional writes
    /// in the journal's storage account, so no two rows of any runs of the client, on any machine, hold one slot while
    /// either may still make a link with it.
    /// </summary>
    public interface ISlotRegistry : IDisposable
    {
        /// <summary>Reserves a slot for a row that asks for <paramref name="baseExpiry"/> (whole seconds); waits while none is free.</summary>
        /// <exception cref="SlotRegistryException">The registry cannot be reached: the run must stop sending.</exception>
        Task<SlotLease> ReserveAsync(TimeSpan baseExpiry, CancellationToken cancellationToken);

        /// <summary>The expires_in (seconds) of every slot this run's rows hold now: links with them are this run's.</summary>
        ISet<long> HeldExpiries();
    }

    /// <summary>One row's slot: what it is sent with and journaled as. Disposing it gives the slot back (once).</summary>
    public sealed class SlotLease : IDisposable
    {
        private readonly Func<DateTimeOffset, CancellationToken, Task>? _cover;
        private Action? _release;

        /// <param name="lane">The run's expiry lane (local registry), or null where slots are reserved one by one.</param>
        /// <param name="cover">Keeps the slot reserved at least until a server time; null where nothing can take it sooner.</param>
        public SlotLease(long baseExpiresInSeconds, long expiresInSeconds, int? lane, Action release, Func<DateTimeOffset, CancellationToken, Task>? cover = null)
        {
            BaseExpiresInSeconds = baseExpiresInSeconds;
            ExpiresInSeconds = expiresInSeconds;
            Lane = lane;
            _release = release;
            _cover = cover;
        }

        public long BaseExpiresInSeconds { get; }
        /// <summary>The expires_in the row is sent with.</summary>
        public long ExpiresInSeconds { get; }
        public int? Lane { get; }

        /// <summary>
        /// Called before each request: the slot stays the row's at least until <paramref name="windowEnd"/> (the server's
        /// clock), the latest moment the request could make a link.
        /// </summary>
        /// <exception cref="SlotRegistryException">The reservation cannot be kept that long: the row must not be sent.</exception>
        public Task CoverAsync(DateTimeOffset windowEnd, CancellationToken cancellationToken) =>
            _cover?.Invoke(windowEnd, cancellationToken) ?? Task.CompletedTask;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }

    /// <summary>The slot registry cannot be reached or lost a reservation: the run stops sending.</summary>
    public sealed class SlotRegistryException : Exception
    {
        public SlotRegistryException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
