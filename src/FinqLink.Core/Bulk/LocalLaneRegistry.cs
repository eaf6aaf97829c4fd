using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The slot registry of one machine (the default): per base expiry, a run takes one expiry lane, chosen at random among
    /// those recent links do not use and no other run of this user on this machine holds (<see cref="LaneReservations"/>'
    /// lock files), and hands its slots to its rows (<see cref="SlotPool"/>). Runs on other machines choose by chance.
    /// </summary>
    internal sealed class LocalLaneRegistry : ISlotRegistry
    {
        private readonly LaneReservations _reservations;
        // How long each recent link had to live (its expiry minus its creation): all a lane is told from, kept for the run.
        private readonly List<TimeSpan> _recentLifetimes;
        private readonly Random _random;
        private readonly IRequestLog? _log;
        private readonly SlotPool _slots = new SlotPool();
        // Guards the lane chosen per base expiry: rows asking for one at once must get the same lane.
        private readonly Dictionary<long, ExpiryLanes> _lanes = new Dictionary<long, ExpiryLanes>();

        /// <param name="scope">What lanes belong to: the API host and the client id (another client's links never mix with these).</param>
        /// <param name="recent">Links of the last half hour: the lanes other runs use.</param>
        public LocalLaneRegistry(string scope, string? folder, IReadOnlyList<PaymentLink> recent, Random random, IRequestLog? log)
        {
            _reservations = new LaneReservations(scope, folder);
            _recentLifetimes = recent.Where(l => l.CreatedAt != null && l.ExpiresAt != null).Select(l => l.ExpiresAt!.Value - l.CreatedAt!.Value).ToList();
            _random = random;
            _log = log;
        }

        public async Task<SlotLease> ReserveAsync(TimeSpan baseExpiry, CancellationToken cancellationToken)
        {
            var lane = LaneFor(baseExpiry);
            var slot = await _slots.AcquireAsync(lane, cancellationToken).ConfigureAwait(false);
            return new SlotLease((long)lane.Base.TotalSeconds, (long)lane.ForSlot(slot).TotalSeconds, lane.Lane, () => _slots.Release(lane, slot));
        }

        public ISet<long> HeldExpiries() => _slots.HeldExpiries();

        /// <summary>The lane of this run for a base expiry: chosen once.</summary>
        private ExpiryLanes LaneFor(TimeSpan baseExpiry)
        {
            lock (_lanes)
            {
                if (_lanes.TryGetValue(baseExpiry.Ticks, out var lane)) return lane;
                var inUse = _recentLifetimes.Select(lifetime => ExpiryLanes.LaneOf(baseExpiry, lifetime))
                    .Where(l => l != null).Select(l => l!.Value).ToList();
                var preferred = ExpiryLanes.InPreferredOrder(baseExpiry, inUse, _random).ToList();
                var (chosen, how) = Reserve(baseExpiry, preferred);
                lane = new ExpiryLanes(baseExpiry, chosen);
                _log?.Verbose($"Bulk run: expiry lane {lane.Lane} of {ExpiryLanes.LaneCount(baseExpiry)} ({inUse.Distinct().Count()} in use by links of the last 30 minutes; {how}).");
                return _lanes[baseExpiry.Ticks] = lane;
            }
        }

        /// <summary>The first lane in order that this run can hold; when none can be, the first, shared by chance (and said).</summary>
        private (int Lane, string How) Reserve(TimeSpan baseExpiry, IReadOnlyList<int> preferred)
        {
            foreach (var lane in preferred)
            {
                switch (_reservations.TryReserve(baseExpiry, lane))
                {
                    case LaneClaim.Held: return (lane, "held by this run");
                    case LaneClaim.Unavailable: return (lane, "chosen by chance: lanes cannot be marked on this machine");
                }
            }
            _log?.Warning($"Every expiry lane for an expiry of {baseExpiry} is held by another run on this machine: this run shares lane {preferred[0]}; rows it cannot tell apart from the other run's are reported as ambiguous.");
            return (preferred[0], "shared: every lane is held");
        }

        public void Dispose() => _reservations.Dispose();
    }
}
