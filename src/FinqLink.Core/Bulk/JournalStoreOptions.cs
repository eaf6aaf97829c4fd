using System;
using System.Globalization;
using FinqLink.Http;

namespace FinqLink.Bulk
{
    /// <summary>How <see cref="JournalStores.OpenAsync"/> opens a journal. The defaults are what New-FinqLink uses.</summary>
    public sealed class JournalStoreOptions
    {
        /// <summary>Verbose lines and warnings (waiting for a lease, say); never a secret.</summary>
        public IRequestLog? Log { get; set; }

        /// <summary>Reads an environment variable (AZURE_STORAGE_CONNECTION_STRING); tests pass their own.</summary>
        public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

        /// <summary>How long opening waits while another holder has the journal, before it is refused as in use.</summary>
        public TimeSpan WaitWhileInUse { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>
        /// A storage journal's lease: how long it lasts unrenewed (15–60 s). A run that died frees it after this. 30 s unless
        /// <see cref="TestLeaseVariable"/> says otherwise.
        /// </summary>
        public TimeSpan LeaseDuration { get; set; } = DefaultLeaseDuration(System.Environment.GetEnvironmentVariable);

        /// <summary>
        /// For the test suite only, which waits for leases to lapse: whole seconds within Azure's bounds (15–60) shorten the
        /// default lease and so every wait for it. Unset, or anything else, leaves 30 s.
        /// </summary>
        internal const string TestLeaseVariable = "FINQLINK_TEST_LEASE_SECONDS";

        internal static TimeSpan DefaultLeaseDuration(Func<string, string?> environment) =>
            int.TryParse(environment(TestLeaseVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= 15 && seconds <= 60
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.FromSeconds(30);

        /// <summary>
        /// Bytes at the journal's start that this process read as whole lines before (an earlier store's
        /// <see cref="IJournalTail.Length"/>): opening checks only the lines after them, for a torn last line. When the byte
        /// before that offset is not a newline now (the journal was replaced), or what follows is not lines, all is checked.
        /// </summary>
        public long CheckedUpTo { get; set; }

        /// <summary>Storage requests that fail to connect are retried this many times before the run gives up on the store.</summary>
        public int StorageRetries { get; set; } = 3;
    }
}
