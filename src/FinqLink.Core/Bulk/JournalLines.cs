using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using FinqLink.Json;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Reads a journal's JSON Lines from a stream, one line at a time, the same in a file and in a blob: nothing is kept
    /// but the line being read. A last line that is not an entry was torn (a run killed while writing it): it is reported,
    /// and the store removes it. A line that is not an entry with lines after it means the journal is not (or no longer) a
    /// FinqLink journal, unless the next line is a <see cref="RepairMark"/> that a store which cannot cut (an append blob)
    /// wrote after it. <see cref="GoodEnd"/>, <see cref="Repaired"/> and <see cref="MissingNewLine"/> are known once
    /// <see cref="Entries"/> has been read to its end.
    /// </summary>
    public sealed class JournalLines
    {
        /// <summary>Written on its own line right after a torn line a store could not cut off: the torn line is skipped.</summary>
        public const string RepairMark = "#repaired: the line above was torn and is ignored";
        private static readonly byte[] Mark = Encoding.UTF8.GetBytes(RepairMark);

        private readonly LineSource _lines;
        private readonly string _location;

        private JournalLines(Stream stream, string location)
        {
            _lines = new LineSource(stream);
            _location = location;
        }

        /// <summary>Bytes up to the end of the last good line (where a store that can cut cuts).</summary>
        public long GoodEnd { get; private set; }

        /// <summary>What was torn, for the user; null when nothing was.</summary>
        public string? Repaired { get; private set; }

        /// <summary>The last line is an entry written whole but without its newline: the next line must not be glued to it.</summary>
        public bool MissingNewLine { get; private set; }

        /// <summary>Lines read from <paramref name="stream"/>, from where it stands (one pass: <see cref="Entries"/> reads it once).</summary>
        public static JournalLines Over(Stream stream, string location) => new JournalLines(stream ?? throw new ArgumentNullException(nameof(stream)), location);

        /// <summary>Every line read and checked, none kept: what opening a store needs to know (where the good lines end).</summary>
        public static JournalLines Scan(Stream stream, string location)
        {
            var lines = Over(stream, location);
            using (var entries = lines.Entries().GetEnumerator())
                while (entries.MoveNext()) { }
            return lines;
        }

        /// <summary>All of <paramref name="data"/> read into a list (small journals: the slot registry, tests).</summary>
        public static (List<JournalEntry> Entries, JournalLines Lines) Parse(byte[] data, string location)
        {
            var lines = Over(new MemoryStream(data, writable: false), location);
            return (new List<JournalEntry>(lines.Entries()), lines);
        }

        /// <summary>The entries, oldest first, parsed as they are read.</summary>
        public IEnumerable<JournalEntry> Entries()
        {
            var number = 0;
            while (_lines.Next() is Line line)
            {
                number++;
                var text = Encoding.UTF8.GetString(line.Bytes).Trim();
                JournalEntry? entry = null;
                if (text.Length == 0 || text.StartsWith("#", StringComparison.Ordinal) || TryParse(text, out entry))
                {
                    GoodEnd = line.End;
                    MissingNewLine = !line.Complete && text.Length > 0;
                    if (entry != null) yield return entry;
                    continue;
                }
                var next = line.Complete ? _lines.Peek() : null;
                if (next != null && StartsWithMark(next.Bytes)) continue;    // repaired earlier: the mark line is read (and skipped) next
                if (next != null)
                    throw new FormatException($"{_location}: line {number} is not a journal entry, and lines follow it; this is not (or no longer) a FinqLink journal.");
                Repaired = $"line {number} of {_location} was incomplete (a run was stopped while writing it) and was removed: {Truncate(text)}";
                yield break;
            }
        }

        private static bool StartsWithMark(byte[] line)
        {
            if (line.Length < Mark.Length) return false;
            for (var i = 0; i < Mark.Length; i++)
                if (line[i] != Mark[i]) return false;
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

        /// <summary>One line's bytes (without its newline), where it ends in the stream, and whether a newline ended it.</summary>
        private sealed class Line
        {
            public Line(byte[] bytes, long end, bool complete)
            {
                Bytes = bytes;
                End = end;
                Complete = complete;
            }

            public byte[] Bytes { get; }
            public long End { get; }
            public bool Complete { get; }
        }

        /// <summary>Splits a stream into lines through one small buffer, with one line of lookahead.</summary>
        private sealed class LineSource
        {
            private readonly Stream _stream;
            private readonly byte[] _chunk = new byte[64 * 1024];
            private byte[] _partial = new byte[1024];
            private int _length, _at, _filled;
            private long _read;
            private bool _ended;
            private Line? _peeked;

            public LineSource(Stream stream) => _stream = stream;

            public Line? Peek() => _peeked ??= Read();

            public Line? Next()
            {
                var line = _peeked ?? Read();
                _peeked = null;
                return line;
            }

            private Line? Read()
            {
                _length = 0;
                while (true)
                {
                    if (_at == _filled)
                    {
                        if (_ended) return _length == 0 ? null : new Line(Taken(), _read, complete: false);
                        _filled = _stream.Read(_chunk, 0, _chunk.Length);
                        _at = 0;
                        if (_filled == 0)
                        {
                            _ended = true;
                            continue;
                        }
                    }
                    var newLine = Array.IndexOf(_chunk, (byte)'\n', _at, _filled - _at);
                    var end = newLine < 0 ? _filled : newLine;
                    if (_length + end - _at > _partial.Length) Array.Resize(ref _partial, Math.Max(_partial.Length * 2, _length + end - _at));
                    Buffer.BlockCopy(_chunk, _at, _partial, _length, end - _at);
                    _length += end - _at;
                    _read += end - _at;
                    _at = end;
                    if (newLine < 0) continue;
                    _at++;
                    _read++;
                    return new Line(Taken(), _read, complete: true);
                }
            }

            private byte[] Taken()
            {
                var line = new byte[_length];
                Buffer.BlockCopy(_partial, 0, line, 0, _length);
                return line;
            }
        }
    }
}
