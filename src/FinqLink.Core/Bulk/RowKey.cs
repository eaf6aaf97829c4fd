using System;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Which journal entry a row is: its reference (an invoice number), trimmed and compared without regard to case, so
    /// " Q-2 ", "q-2" and "Q-2" are one invoice; a row without a reference is known by a hash of its whole body.
    /// </summary>
    public static class RowKey
    {
        public static string For(string? reference, RowFingerprint fingerprint) =>
            Normalize(reference) is string normalized ? "ref:" + normalized : "body:" + fingerprint.BodyHash;

        /// <summary>The reference as it is compared and journaled: trimmed, upper-case (invariant); null when blank.</summary>
        public static string? Normalize(string? reference) =>
            string.IsNullOrWhiteSpace(reference) ? null : reference!.Trim().ToUpperInvariant();

        public static string Describe(string key) => key.StartsWith("ref:", StringComparison.Ordinal) ? key.Substring(4) : "(row without a reference)";
    }
}
