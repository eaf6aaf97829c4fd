using System;
using FinqLink.Validation;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The expiries <see cref="StorageSlotRegistry"/> hands out for a base expiry: the base plus an offset 3 or 7 seconds
    /// past each 10 seconds (3, 7, 13, 17, … s). A link's expiry, as links/list shows it, is within a second of what was
    /// sent, so no two of these slots match one link, and none matches a link of a local-journal run (whole 10 s steps) or
    /// of a run without a journal (the base itself). As many slots, 5 s apart on average, as fit in an eighth of the base
    /// expiry, but at least 256 and at most 512, in blocks of <see cref="BlockSize"/>: a link's expiry moves by at most
    /// 21 min 17 s for a base up to 2 h 50 min, about an eighth of it above, and at most 42 min 37 s (from 5 h 41 min).
    /// </summary>
    public static class RegistrySlots
    {
        public const int BlockSize = 8;
        public const int MinCount = 256;
        public const int MaxCount = 512;

        /// <summary>Slots for a base expiry: a whole number of blocks.</summary>
        public static int Count(TimeSpan baseExpiry)
        {
            var fit = (long)(baseExpiry.TotalSeconds / 8 / 5);
            return (int)Math.Max(MinCount, Math.Min(MaxCount, fit)) / BlockSize * BlockSize;
        }

        public static int Blocks(TimeSpan baseExpiry) => Count(baseExpiry) / BlockSize;

        /// <summary>The expires_in (seconds) of slot <paramref name="slot"/> (0-based, below <see cref="Count"/>).</summary>
        public static long ExpiresIn(TimeSpan baseExpiry, int slot)
        {
            if (slot < 0 || slot >= Count(baseExpiry)) throw new ArgumentOutOfRangeException(nameof(slot));
            var seconds = (long)baseExpiry.TotalSeconds;
            return Subtracts(baseExpiry) ? seconds - Offset(slot) : seconds + Offset(slot);
        }

        /// <summary>How far an expiry may move from the one asked for.</summary>
        public static TimeSpan MaxShift(TimeSpan baseExpiry) => TimeSpan.FromSeconds(Offset(Count(baseExpiry) - 1));

        private static long Offset(int slot) => 10L * (slot / 2) + (slot % 2 == 0 ? 3 : 7);

        // Never beyond FinqLink's 45-day maximum: near it, slots lie below the requested expiry instead of above.
        private static bool Subtracts(TimeSpan baseExpiry) => baseExpiry + MaxShift(baseExpiry) > Rules.MaxLinkExpiry;
    }
}
