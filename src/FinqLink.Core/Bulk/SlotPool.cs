using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Hands out one run's expiry slots, per lane, so that no two of its rows in flight or awaiting reconciliation share
    /// one; a row waits for a slot when all are held. A free slot is taken at random: should a run on another machine share
    /// the lane, its rows seldom hold the same slot at the same time, and its links at other slots show reconciliation
    /// that the lane is shared.
    /// </summary>
    internal sealed class SlotPool
    {
        // Guards the pools and the free slots in each.
        private readonly object _gate = new object();
        private readonly Dictionary<ExpiryLanes, (SemaphoreSlim Free, SortedSet<int> Slots)> _lanes = new Dictionary<ExpiryLanes, (SemaphoreSlim, SortedSet<int>)>();
        private readonly System.Random _random = new System.Random();

        public async Task<int> AcquireAsync(ExpiryLanes lane, CancellationToken cancellationToken)
        {
            var pool = PoolOf(lane);
            await pool.Free.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                var slot = pool.Slots.ElementAt(_random.Next(pool.Slots.Count));
                pool.Slots.Remove(slot);
                return slot;
            }
        }

        public void Release(ExpiryLanes lane, int slot)
        {
            var pool = PoolOf(lane);
            lock (_gate) pool.Slots.Add(slot);
            pool.Free.Release();
        }

        /// <summary>The expires_in values of the slots rows hold now.</summary>
        public ISet<long> HeldExpiries()
        {
            lock (_gate)
                return new HashSet<long>(_lanes.SelectMany(l => Enumerable.Range(0, ExpiryLanes.SlotsPerLane).Where(s => !l.Value.Slots.Contains(s))
                    .Select(s => (long)l.Key.ForSlot(s).TotalSeconds)));
        }

        private (SemaphoreSlim Free, SortedSet<int> Slots) PoolOf(ExpiryLanes lane)
        {
            lock (_gate)
            {
                if (!_lanes.TryGetValue(lane, out var pool))
                    _lanes[lane] = pool = (new SemaphoreSlim(ExpiryLanes.SlotsPerLane), new SortedSet<int>(Enumerable.Range(0, ExpiryLanes.SlotsPerLane)));
                return pool;
            }
        }
    }
}
