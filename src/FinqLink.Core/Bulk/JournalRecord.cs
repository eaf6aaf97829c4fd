using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>
    /// A key's latest <see cref="JournalEntry"/> as <see cref="LinkJournal"/> keeps it in memory for the whole run: one
    /// array of about 100 bytes (92 for a created row with a GUID link id) instead of objects of 500 to 800
    /// (JournalMemoryTests holds the journal to that). Values rows share
    /// (states, fingerprint parts, the link page's address) are indexes into a <see cref="StringPool"/>; ids and hashes
    /// take 16 bytes; times are offsets from the entry's own time; a field the entry lacks takes nothing but its bit.
    /// <see cref="Expand"/> gives back an equal entry; JournalRecordTests fail when a field of JournalEntry is not carried.
    /// </summary>
    internal readonly struct JournalRecord
    {
        // Which fields the record holds, in the order they are written (state and time always are).
        private const int HasLinkId = 1 << 0, HasSuperseded = 1 << 1, HasFingerprint = 1 << 2, HasExpiresIn = 1 << 3, HasBaseExpiresIn = 1 << 4,
            HasLane = 1 << 5, HasWindowFrom = 1 << 6, HasWindowTo = 1 << 7, HasAttempt = 1 << 8, HasWebUrl = 1 << 9, HasStatus = 1 << 10,
            HasExpiresAt = 1 << 11, HasError = 1 << 12, HasCandidates = 1 << 13, HasReference = 1 << 14, ReferenceIsKey = 1 << 15,
            HasRemittance = 1 << 16, HasRun = 1 << 17, HasRow = 1 << 18, HasStatusAt = 1 << 19, HasApi = 1 << 20, HasClientId = 1 << 21, HasCreatedAt = 1 << 22;
        private const string ReferencePrefix = "ref:";
        private readonly byte[] _bytes;

        private JournalRecord(byte[] bytes) => _bytes = bytes;

        /// <param name="writer">The journal's writer (its buffer is reused).</param>
        public static JournalRecord Of(JournalEntry entry, StringPool pool, RecordWriter writer)
        {
            var has = (entry.LinkId != null ? HasLinkId : 0) | (entry.Superseded != null ? HasSuperseded : 0) | (entry.Fingerprint != null ? HasFingerprint : 0)
                      | (entry.ExpiresInSeconds != null ? HasExpiresIn : 0) | (entry.BaseExpiresInSeconds != null ? HasBaseExpiresIn : 0)
                      | (entry.Lane != null ? HasLane : 0) | (entry.WindowFrom != null ? HasWindowFrom : 0) | (entry.WindowTo != null ? HasWindowTo : 0)
                      | (entry.Attempt != null ? HasAttempt : 0) | (entry.WebUrl != null ? HasWebUrl : 0) | (entry.Status != null ? HasStatus : 0)
                      | (entry.ExpiresAt != null ? HasExpiresAt : 0) | (entry.Error != null ? HasError : 0) | (entry.Candidates != null ? HasCandidates : 0)
                      | (entry.Reference == null ? 0 : IsKeyOf(entry.Reference, entry.Key) ? ReferenceIsKey : HasReference)
                      | (entry.RemittanceInformation != null ? HasRemittance : 0) | (entry.Run != null ? HasRun : 0) | (entry.Row != null ? HasRow : 0)
                      | (entry.StatusAt != null ? HasStatusAt : 0) | (entry.Api != null ? HasApi : 0) | (entry.ClientId != null ? HasClientId : 0)
                      | (entry.CreatedAt != null ? HasCreatedAt : 0);
            var at = entry.At.UtcTicks;
            writer.Reset();
            writer.Unsigned((ulong)has);
            writer.Shared(entry.State, pool);
            writer.Time(entry.At, 0);
            if (entry.LinkId != null) writer.Plain(entry.LinkId);
            if (entry.Superseded != null) writer.PlainArray(entry.Superseded);
            if (entry.Fingerprint != null) writer.Parts(entry.Fingerprint, pool);
            if (entry.ExpiresInSeconds is long expiresIn) writer.Signed(expiresIn);
            if (entry.BaseExpiresInSeconds is long baseExpiresIn) writer.Signed(baseExpiresIn);
            if (entry.Lane is int lane) writer.Signed(lane);
            if (entry.WindowFrom is DateTimeOffset windowFrom) writer.Time(windowFrom, at);
            if (entry.WindowTo is DateTimeOffset windowTo) writer.Time(windowTo, at);
            if (entry.Attempt is int attempt) writer.Signed(attempt);
            if (entry.WebUrl is string webUrl)
            {
                // A link page's address differs from row to row only after its last '/': the start is pooled.
                var cut = webUrl.LastIndexOf('/') + 1;
                writer.Shared(webUrl.Substring(0, cut), pool);
                writer.Plain(webUrl.Substring(cut));
            }
            if (entry.Status != null) writer.Shared(entry.Status, pool);
            if (entry.ExpiresAt is DateTimeOffset expiresAt) writer.Time(expiresAt, at);
            if (entry.Error != null) writer.Plain(entry.Error);
            if (entry.Candidates != null) writer.PlainArray(entry.Candidates);
            if ((has & HasReference) != 0) writer.Plain(entry.Reference);
            if (entry.RemittanceInformation != null) writer.Shared(entry.RemittanceInformation, pool);
            if (entry.Run is DateTimeOffset run) writer.Time(run, at);
            if (entry.Row is long row) writer.Signed(row);
            if (entry.StatusAt is DateTimeOffset statusAt) writer.Time(statusAt, at);
            if (entry.Api != null) writer.Shared(entry.Api, pool);
            if (entry.ClientId != null) writer.Shared(entry.ClientId, pool);
            if (entry.CreatedAt is DateTimeOffset createdAt) writer.Time(createdAt, at);
            return new JournalRecord(writer.ToArray());
        }

        /// <summary>Bytes held for the record (its array's contents).</summary>
        public int Size => _bytes.Length;

        /// <summary>The entry, whole, under <paramref name="key"/> (the key it is kept by).</summary>
        public JournalEntry Expand(string key, StringPool pool)
        {
            var read = new RecordReader(_bytes, pool);
            var has = (int)read.Unsigned();
            bool Has(int flag) => (has & flag) != 0;
            var entry = new JournalEntry { Key = key, State = read.String()!, At = read.Time(0) };
            var at = entry.At.UtcTicks;
            if (Has(HasLinkId)) entry.LinkId = read.String();
            if (Has(HasSuperseded)) entry.Superseded = read.Array();
            if (Has(HasFingerprint)) entry.Fingerprint = read.Parts();
            if (Has(HasExpiresIn)) entry.ExpiresInSeconds = read.Signed();
            if (Has(HasBaseExpiresIn)) entry.BaseExpiresInSeconds = read.Signed();
            if (Has(HasLane)) entry.Lane = (int)read.Signed();
            if (Has(HasWindowFrom)) entry.WindowFrom = read.Time(at);
            if (Has(HasWindowTo)) entry.WindowTo = read.Time(at);
            if (Has(HasAttempt)) entry.Attempt = (int)read.Signed();
            if (Has(HasWebUrl)) entry.WebUrl = read.String() + read.String();
            if (Has(HasStatus)) entry.Status = read.String();
            if (Has(HasExpiresAt)) entry.ExpiresAt = read.Time(at);
            if (Has(HasError)) entry.Error = read.String();
            if (Has(HasCandidates)) entry.Candidates = read.Array();
            if (Has(HasReference)) entry.Reference = read.String();
            if (Has(ReferenceIsKey)) entry.Reference = key.Substring(ReferencePrefix.Length);
            if (Has(HasRemittance)) entry.RemittanceInformation = read.String();
            if (Has(HasRun)) entry.Run = read.Time(at);
            if (Has(HasRow)) entry.Row = read.Signed();
            if (Has(HasStatusAt)) entry.StatusAt = read.Time(at);
            if (Has(HasApi)) entry.Api = read.String();
            if (Has(HasClientId)) entry.ClientId = read.String();
            if (Has(HasCreatedAt)) entry.CreatedAt = read.Time(at);
            return entry;
        }

        /// <summary>
        /// Adds to <paramref name="claimed"/> the links <paramref name="probe"/> asks about that this row claims: its link once
        /// created, and those it superseded (read without expanding the rest, nor making the text of any other id).
        /// </summary>
        public void Claims(StringPool pool, ClaimProbe probe, ISet<string> claimed)
        {
            var read = new RecordReader(_bytes, pool);
            var has = (int)read.Unsigned();
            var created = read.String() == JournalState.Created;
            read.Time(0);
            if ((has & HasLinkId) != 0 && read.Matching(probe) is string linkId && created) claimed.Add(linkId);
            if ((has & HasSuperseded) == 0) return;
            for (var count = (int)read.Unsigned(); count > 0; count--)
                if (read.Matching(probe) is string superseded) claimed.Add(superseded);
        }

        // A reference the key holds as it is: "ref:" and the reference (already trimmed and upper-case).
        private static bool IsKeyOf(string reference, string key) =>
            key.Length == ReferencePrefix.Length + reference.Length && key.StartsWith(ReferencePrefix, StringComparison.Ordinal)
            && string.CompareOrdinal(key, ReferencePrefix.Length, reference, 0, reference.Length) == 0;
    }
}
