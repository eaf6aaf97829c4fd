using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using FinqLink.Json;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Reads a journal's JSON Lines, the same in a file and in a blob. A last line that is not an entry was torn (a run
    /// killed while writing it): it is reported, and the store removes it. A line that is not an entry with lines after it
    /// means the journal is not (or no longer) a FinqLink journal, unless the next line is a <see cref="RepairMark"/> that
    /// a store which cannot cut (an append blob) wrote after it.
    /// </summary>
    public sealed class JournalLines
    {
        /// <summary>Written on its own line right after a torn line a store could not cut off: the torn line is skipped.</summary>
        public const string RepairMark = "#repaired: the line above was torn and is ignored";

        private JournalLines() { }

        public List<JournalEntry> Entries { get; } = new List<JournalEntry>();

        /// <summary>Bytes up to the end of the last good line (where a store that can cut cuts).</summary>
        public long GoodEnd { get; private set; }

        /// <summary>What was torn, for the user; null when nothing was.</summary>
        public string? Repaired { get; private set; }

        /// <summary>The last line is an entry written whole but without its newline: the next line must not be glued to it.</summary>
        public bool MissingNewLine { get; private set; }

        public static JournalLines Parse(byte[] data, string location)
        {
            var lines = new JournalLines();
            var start = 0;
            var number = 0;
            while (start < data.Length)
            {
                number++;
                var end = Array.IndexOf(data, (byte)'\n', start);
                var complete = end >= 0;
                var next = complete ? end + 1 : data.Length;
                var text = Encoding.UTF8.GetString(data, start, next - start).Trim();
                JournalEntry? entry = null;
                if (text.Length == 0 || text.StartsWith("#", StringComparison.Ordinal) || TryParse(text, out entry))
                {
                    if (entry != null) lines.Entries.Add(entry);
                    lines.GoodEnd = next;
                    lines.MissingNewLine = !complete && text.Length > 0;
                    start = next;
                    continue;
                }
                if (complete && NextLineIs(data, next, RepairMark))
                {
                    start = next;    // repaired earlier: the mark line is read (and skipped) next
                    continue;
                }
                if (complete && next < data.Length)
                    throw new FormatException($"{location}: line {number} is not a journal entry, and lines follow it; this is not (or no longer) a FinqLink journal.");
                lines.Repaired = $"line {number} of {location} was incomplete (a run was stopped while writing it) and was removed: {Truncate(text)}";
                break;
            }
            return lines;
        }

        private static bool NextLineIs(byte[] data, int start, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            if (data.Length - start < bytes.Length) return false;
            for (var i = 0; i < bytes.Length; i++)
                if (data[start + i] != bytes[i]) return false;
            return true;
        }

        private static bool TryParse(string text, out JournalEntry? entry)
        {
            try
            {
                entry = JsonSerializer.Deserialize<JournalEntry>(text, FinqJson.Options);
                return entry != null && entry.Key.Length > 0;
            }
            catch (JsonException)
            {
                entry = null;
                return false;
            }
        }

        private static string Truncate(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "…";
    }
}
