using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using FinqLink.Json;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The journals of other runs a store can read (journals in the same folder, or the same container): the links they
    /// attribute to their rows are no row's of this journal, which can settle a row left ambiguous between them.
    /// </summary>
    public interface IOtherJournals
    {
        /// <summary>The entries of the other journals that can be read now (one held by a live run may not be), oldest first per journal.</summary>
        IEnumerable<IReadOnlyList<JournalEntry>> Read(CancellationToken cancellationToken);
    }

    /// <summary>What other runs' journals say about links.</summary>
    internal static class OtherJournalClaims
    {
        /// <summary>
        /// The links other journals attribute to a row, leaving out every row this journal has too: a copy of this journal
        /// (or another journal of the same CSV) must never take a link away from the row it may belong to.
        /// </summary>
        public static ISet<string> LinksClaimed(IOtherJournals others, LinkJournal mine, CancellationToken cancellationToken)
        {
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var journal in others.Read(cancellationToken))
            {
                var latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
                foreach (var entry in journal) latest[entry.Key] = entry.Copy().Inherit(latest.TryGetValue(entry.Key, out var earlier) ? earlier : null);
                foreach (var entry in latest.Values.Where(e => mine.Find(e.Key) == null))
                {
                    if (entry.State == JournalState.Created && entry.LinkId != null) claimed.Add(entry.LinkId);
                    claimed.UnionWith(entry.Superseded ?? Array.Empty<string>());
                }
            }
            return claimed;
        }
    }

    /// <summary>The journal files beside a local journal (same folder, same extension) that no live run holds.</summary>
    internal sealed class LocalOtherJournals : IOtherJournals
    {
        private const int MaxFiles = 200;
        private readonly string _path;

        public LocalOtherJournals(string path) => _path = Path.GetFullPath(path);

        public IEnumerable<IReadOnlyList<JournalEntry>> Read(CancellationToken cancellationToken)
        {
            var folder = Path.GetDirectoryName(_path);
            if (folder == null || !Directory.Exists(folder)) yield break;
            foreach (var file in Directory.EnumerateFiles(folder, "*" + Path.GetExtension(_path)).Where(f => !string.Equals(Path.GetFullPath(f), _path, StringComparison.Ordinal)).Take(MaxFiles))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var entries = TryRead(file);
                if (entries != null) yield return entries;
            }
        }

        /// <summary>The file's entries; null when a live run holds it or it is not a journal.</summary>
        private static List<JournalEntry>? TryRead(string file)
        {
            var entries = new List<JournalEntry>();
            try
            {
                using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                for (var line = reader.ReadLine(); line != null; line = reader.ReadLine())
                {
                    if (line.Trim().Length == 0) continue;
                    var entry = JsonSerializer.Deserialize<JournalEntry>(line, FinqJson.Options);
                    if (entry == null || entry.Key.Length == 0) return null;
                    entries.Add(entry);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is JsonException) { return entries.Count > 0 ? entries : null; }
            return entries;
        }
    }
}
