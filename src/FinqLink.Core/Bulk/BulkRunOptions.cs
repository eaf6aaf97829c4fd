using System;
using System.IO;
using FinqLink.Http;

namespace FinqLink.Bulk
{
    /// <summary>How a bulk run behaves. The defaults are what New-FinqLink uses.</summary>
    public sealed class BulkRunOptions
    {
        /// <summary>Rows in flight at once (1–64; the AIMD limiter lowers it on 429).</summary>
        public int ThrottleLimit { get; set; } = 16;
        /// <summary>The journal that makes re-runs safe; without it an unknown outcome is reported and never settled.</summary>
        public string? JournalPath { get; set; }
        /// <summary>How the journal is opened (see <see cref="JournalStores"/>): a storage journal's lease and credentials.</summary>
        public JournalStoreOptions JournalStore { get; set; } = new JournalStoreOptions();
        /// <summary>Create a new link for a row whose journaled link was made for different content (or is ambiguous).</summary>
        public bool Supersede { get; set; }
        /// <summary>After this many rows in a row fail to reach the API, the run stops sending.</summary>
        public int MaxConsecutiveTransportFailures { get; set; } = 10;
        /// <summary>Times a row is sent when reconciliation proves the previous attempt created nothing.</summary>
        public int MaxAttempts { get; set; } = 3;
        /// <summary>How long after an answer the server is given to finish before its links are listed.</summary>
        public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMilliseconds(200);
        /// <summary>After a timeout or a dropped connection the server may still be working on the request: wait this long first.</summary>
        public TimeSpan DroppedGrace { get; set; } = TimeSpan.FromSeconds(5);
        /// <summary>
        /// When the run is cut short, how long the rows under way get to end before they are cancelled: a create in flight
        /// is usually answered in well under this, and its link is then journaled and counted.
        /// </summary>
        public TimeSpan HaltGrace { get; set; } = TimeSpan.FromSeconds(5);
        public IRequestLog? Log { get; set; }
        /// <summary>Picks the run's expiry lane; seeded in tests.</summary>
        public Random Random { get; set; } = new Random();
        /// <summary>This machine's clock (the server's is learned from its answers).</summary>
        public TimeProvider Time { get; set; } = TimeProvider.System;
        /// <summary>Where runs on this machine mark the expiry lanes they hold (by default a folder in the temp folder).</summary>
        internal string? LaneFolder { get; set; }
        /// <summary>Opens the journal's store instead of a local file (tests inject one whose disk fills up).</summary>
        internal Func<string, IJournalStore>? OpenJournalStore { get; set; }
    }
}
