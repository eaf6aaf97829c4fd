using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>
    /// A journal store that can read only the lines appended after an earlier read: a reader that comes back to a journal
    /// again and again (Receive-FinqWebhook -JournalPath opens it once per webhook) reads what is new, not the whole journal.
    /// </summary>
    public interface IJournalTail
    {
        /// <summary>Bytes of whole lines now: where the next append goes, and where a later read of what is new starts.</summary>
        long Length { get; }

        /// <summary>
        /// The lines from byte <paramref name="offset"/> on, read as <see cref="IJournalStore.Read"/> reads them. The offset is
        /// an earlier <see cref="Length"/> of this journal; if the journal was replaced meanwhile, the first line read may not
        /// be whole, and reading fails as it does for a journal that is not one.
        /// </summary>
        IEnumerable<JournalEntry> ReadFrom(long offset);
    }
}
