using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Where a bulk run's journal lives: a log of <see cref="JournalEntry"/> lines that is only ever appended to. One run
    /// holds it from opening to <see cref="IDisposable.Dispose"/> (<see cref="FileJournalStore"/>: an exclusive file lock):
    /// opening one another run holds fails with <see cref="JournalInUseException"/>. <see cref="AppendAsync"/> completes
    /// only once its lines are durable (flushed to disk); it fails with
    /// <see cref="JournalWriteException"/> when they may not be, including when the hold was lost. <see cref="LinkJournal"/>
    /// calls it one batch at a time, never concurrently.
    /// </summary>
    public interface IJournalStore : IDisposable
    {
        /// <summary>Where the journal is, for messages: a path, or a URL without credentials.</summary>
        string Location { get; }

        /// <summary>Set when opening cut off a torn last line (a run killed while writing it): what was removed, for the user.</summary>
        string? Repaired { get; }

        /// <summary>
        /// Reads the journal's lines from its start, oldest first, one at a time as they are enumerated: the store keeps none
        /// of them (a file is read from the disk, a blob with one streamed download per call), so a reader that keeps little
        /// stays small however long the journal is. Each call reads again, including lines appended since. Never call it
        /// while an append is under way; between appends it is fine.
        /// </summary>
        IEnumerable<JournalEntry> Read();

        /// <summary>Appends the lines in order; completes once they are durable.</summary>
        Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken);
    }

    /// <summary>Another run holds the journal.</summary>
    public sealed class JournalInUseException : System.IO.IOException
    {
        public JournalInUseException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>The journal could not be written (a full disk, a lost lease): the run must stop sending.</summary>
    public sealed class JournalWriteException : System.IO.IOException
    {
        public JournalWriteException(string message, Exception inner) : base(message, inner) { }
    }
}
