using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Validation;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The expiry a journaled row is sent with: the requested expiry (7 days by default) moved by 10 s steps. A run takes
    /// one lane of 64 steps, chosen at random among the lanes recent links do not use and no other run on this machine
    /// holds (<see cref="LaneReservations"/>); each row in flight holds a free slot of it, taken at random. expires_in is
    /// the only field the client controls that links/list answers with, so an unknown outcome is settled by finding,
    /// among the links created while the row was in flight, the one whose expiry matches the row's slot: rows in flight
    /// together never share a slot, and another run's rows live in another lane.
    /// </summary>
    public sealed class ExpiryLanes
    {
        public static readonly TimeSpan DefaultLinkExpiry = TimeSpan.FromDays(7);
        public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);
        public const int SlotsPerLane = 64;
        private static readonly TimeSpan MaxSpan = TimeSpan.FromHours(24);

        public ExpiryLanes(TimeSpan? requested, int lane)
        {
            Base = requested ?? DefaultLinkExpiry;
            if (lane < 0 || lane >= LaneCount(Base)) throw new ArgumentOutOfRangeException(nameof(lane));
            Lane = lane;
        }

        public TimeSpan Base { get; }
        public int Lane { get; }

        /// <summary>The base expiry of a row that asks for <paramref name="requested"/>: whole seconds, as expires_in is sent.</summary>
        public static TimeSpan BaseFor(TimeSpan? requested) => TimeSpan.FromSeconds(Math.Floor((requested ?? DefaultLinkExpiry).TotalSeconds));

        /// <summary>Lanes fit in an eighth of the base expiry (at most a day), so expiries move by at most that much.</summary>
        public static int LaneCount(TimeSpan baseExpiry)
        {
            var span = TimeSpan.FromTicks(Math.Min(baseExpiry.Ticks / 8, MaxSpan.Ticks));
            return Math.Max(1, (int)(span.Ticks / (Step.Ticks * SlotsPerLane)));
        }

        /// <summary>Every lane in the order a run should try them: those not in <paramref name="inUse"/> first, each group shuffled.</summary>
        public static IEnumerable<int> InPreferredOrder(TimeSpan? requested, ICollection<int> inUse, Random random)
        {
            var lanes = Enumerable.Range(0, LaneCount(requested ?? DefaultLinkExpiry)).OrderBy(_ => random.Next()).ToList();
            return lanes.Where(l => !inUse.Contains(l)).Concat(lanes.Where(inUse.Contains));
        }

        /// <summary>The expires_in of the row with this slot.</summary>
        public TimeSpan ForSlot(int slot) => Apply(Base, Offset(Lane, slot));

        /// <summary>The lane an observed expiry (expires_at − created_at) belongs to for this base expiry, if any.</summary>
        public static int? LaneOf(TimeSpan baseExpiry, TimeSpan observed)
        {
            var offset = Subtracts(baseExpiry) ? baseExpiry - observed : observed - baseExpiry;
            var steps = (long)Math.Round(offset.TotalSeconds / Step.TotalSeconds) - 1;
            if (steps < 0) return null;
            var lane = (int)(steps / SlotsPerLane);
            return lane < LaneCount(baseExpiry) ? lane : (int?)null;
        }

        /// <summary>True when <paramref name="observed"/> could be an expiry of this lane (any slot), within a step.</summary>
        public bool Covers(TimeSpan observed) => LaneOf(Base, observed) == Lane;

        private static TimeSpan Offset(int lane, int slot) => TimeSpan.FromTicks(Step.Ticks * (1 + (long)lane * SlotsPerLane + slot));

        private static TimeSpan Apply(TimeSpan baseExpiry, TimeSpan offset) => Subtracts(baseExpiry) ? baseExpiry - offset : baseExpiry + offset;

        // Never beyond FinqLink's 45-day maximum: near it, lanes lie below the requested expiry instead of above.
        private static bool Subtracts(TimeSpan baseExpiry) =>
            baseExpiry + TimeSpan.FromTicks(Step.Ticks * (1 + (long)LaneCount(baseExpiry) * SlotsPerLane)) > Rules.MaxLinkExpiry;
    }
}
