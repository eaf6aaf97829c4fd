using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;

namespace FinqLink.Bulk
{
    /// <summary>
    /// A block of <see cref="RegistrySlots.BlockSize"/> slots a run holds in the registry: its record's name and ETag, and
    /// until when (the API server's clock) no other run may take it. The run keeps that moment past the last moment any
    /// request it sent with these slots could still make a link.
    /// </summary>
    internal sealed class SlotBlock
    {
        private const string HeldUntilKey = "held_until";

        public SlotBlock(string name, long baseSeconds, int index, string etag, DateTimeOffset heldUntil)
        {
            Name = name;
            BaseSeconds = baseSeconds;
            Index = index;
            ETag = etag;
            HeldUntil = heldUntil;
        }

        public string Name { get; }
        public long BaseSeconds { get; }
        public int Index { get; }
        /// <summary>Guards ETag, HeldUntil, CoveredUntil and the flags.</summary>
        public object Gate { get; } = new object();
        /// <summary>One write of the record at a time.</summary>
        public SemaphoreSlim Writing { get; } = new SemaphoreSlim(1, 1);
        public string ETag { get; set; }
        public DateTimeOffset HeldUntil { get; set; }
        /// <summary>The latest moment a request sent with one of these slots could make a link.</summary>
        public DateTimeOffset CoveredUntil { get; set; } = DateTimeOffset.MinValue;
        /// <summary>Another run took the record (this run failed to renew it in time): no more requests with these slots.</summary>
        public bool Lost { get; set; }
        /// <summary>The run ended: its record says until when the slots were used.</summary>
        public bool Released { get; set; }

        public IEnumerable<int> Slots
        {
            get { for (var i = 0; i < RegistrySlots.BlockSize; i++) yield return Index * RegistrySlots.BlockSize + i; }
        }

        /// <summary>What a block's record holds: who holds it (for people reading the storage) and until when.</summary>
        public static IReadOnlyDictionary<string, string> Values(string run, string journal, DateTimeOffset heldUntil) => new Dictionary<string, string>
        {
            ["run"] = run,
            ["journal"] = Uri.EscapeDataString(journal),
            [HeldUntilKey] = heldUntil.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };

        /// <summary>
        /// Whether another run may take the block a record describes at <paramref name="serverNow"/> (the earliest the
        /// server's clock can read now): its holder's last possible link lies more than <paramref name="margin"/> behind.
        /// A record that cannot be read is held (for good: a person must look).
        /// </summary>
        public static bool IsFree(ConditionalRecord record, DateTimeOffset serverNow, TimeSpan margin) =>
            record.Values.TryGetValue(HeldUntilKey, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var heldUntil)
            && heldUntil + margin < serverNow;
    }
}
