using System;
using System.Threading;
using FinqLink.Requests;
using FinqLink.Validation;

namespace FinqLink.Bulk
{
    /// <summary>A row on its way: what it sends and what the journal knows it by.</summary>
    internal sealed class PendingRow
    {
        private IDisposable? _ahead;

        public PendingRow(long index, BulkRow row, string key, LinkCreateRequest request, RowFingerprint fingerprint)
        {
            Index = index;
            Row = row;
            Key = key;
            Request = request;
            Fingerprint = fingerprint;
        }

        public long Index { get; }
        public BulkRow Row { get; }
        public string Key { get; }
        public LinkCreateRequest Request { get; }
        public RowFingerprint Fingerprint { get; }
        /// <summary>Links earlier versions of the row made, replaced with -Supersede.</summary>
        public string[]? Superseded { get; set; }
        /// <summary>When the run that sends it started: with <see cref="Index"/>, where the row stands in the journal's ledger.</summary>
        public DateTimeOffset Run { get; set; }
        public string Describe => DescribeRow(Row);
        public TimeSpan? RequestedExpiry => Row.Options.ExpiresIn;

        /// <summary>The row's place among those taken ahead of the requests (see <see cref="Admission"/>).</summary>
        public void HoldPlace(IDisposable place) => _ahead = place;

        /// <summary>Gives the place back: once its first request ends, or when it ends without one.</summary>
        public void ReleasePlace() => Interlocked.Exchange(ref _ahead, null)?.Dispose();

        public static string DescribeRow(BulkRow row) =>
            RowKey.Normalize(row.Reference) != null ? row.Reference!.Trim() : $"the row for {AmountOf(row)} {row.Options.Currency?.Trim()}";

        /// <summary>The amount as read; a row refused before it was read shows the amount as given.</summary>
        private static object? AmountOf(BulkRow row)
        {
            if (row.Request != null) return row.Request.Amount;
            try { return RequestValidator.ReadAmount(row.Options); }
            catch (FinqLinkValidationException) { return row.Options.Amount; }
        }
    }
}
