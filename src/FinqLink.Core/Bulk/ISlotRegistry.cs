using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Keeps the rows of concurrent runs of one API client apart. Each row, from its first journal entry to its verdict,
    /// holds an expiry slot (the expires_in it is sent with); a reservation lasts until its lease is disposed, and
    /// everything a registry holds goes back when it is disposed (or its run dies). The one implementation today,
    /// <see cref="LocalLaneRegistry"/>, guarantees distinct slots among the rows of one run and among runs on this machine
    /// (a lock file per expiry lane); runs on other machines may share a lane, which reconciliation reports as ambiguous.
    /// A registry shared across machines would also have to reserve with a conditional write and renew what it holds.
    /// </summary>
    public interface ISlotRegistry : IDisposable
    {
        /// <summary>Reserves a slot for a row that asks for <paramref name="baseExpiry"/> (whole seconds); waits while none is free.</summary>
        Task<SlotLease> ReserveAsync(TimeSpan baseExpiry, CancellationToken cancellationToken);

        /// <summary>The expires_in (seconds) of every slot this run's rows hold now: links with them are this run's.</summary>
        ISet<long> HeldExpiries();
    }

    /// <summary>One row's slot: what it is sent with and journaled as. Disposing it gives the slot back (once).</summary>
    public sealed class SlotLease : IDisposable
    {
        private Action? _release;

        public SlotLease(ExpiryLanes lane, int slot, Action release)
        {
            Lane = lane;
            Slot = slot;
            _release = release;
        }

        public ExpiryLanes Lane { get; }
        public int Slot { get; }
        /// <summary>The expires_in the row is sent with.</summary>
        public long ExpiresInSeconds => (long)Lane.ForSlot(Slot).TotalSeconds;

        public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
    }
}
