using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using FinqLink.Json;
using FinqLink.Models;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The record of a bulk run, one JSON line per state change, flushed before the next request goes out. A re-run
    /// with the same journal skips created rows, re-sends rows that certainly failed and reconciles the uncertain
    /// ones. Holds the file exclusively so two runs cannot share it. Holds no secrets.
    /// </summary>
    public sealed class LinkJournal : IDisposable
    {
        private readonly object _gate = new object();
        private readonly Dictionary<string, JournalEntry> _latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        private readonly FileStream _file;
        private readonly StreamWriter _writer;

        private LinkJournal(string path, FileStream file)
        {
            Path = path;
            _file = file;
            _writer = new StreamWriter(file, new UTF8Encoding(false));
        }

        public string Path { get; }

        public static LinkJournal Open(string path)
        {
            FileStream file;
            try { file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read); }
            catch (IOException e) { throw new IOException($"JournalPath: {path} cannot be opened for writing (is another run using it?): {e.Message}", e); }
            var journal = new LinkJournal(path, file);
            try { journal.Load(); }
            catch { journal.Dispose(); throw; }
            file.Seek(0, SeekOrigin.End);
            return journal;
        }

        public JournalEntry? Find(string key)
        {
            lock (_gate) return _latest.TryGetValue(key, out var entry) ? entry : null;
        }

        public IReadOnlyList<JournalEntry> Entries
        {
            get { lock (_gate) return _latest.Values.ToList(); }
        }

        public ISet<string> ClaimedLinkIds
        {
            get { lock (_gate) return new HashSet<string>(_latest.Values.Where(e => e.LinkId != null && e.State == JournalState.Created).Select(e => e.LinkId!)); }
        }

        public void Pending(string key, DateTimeOffset sentFrom, long? expiresIn) =>
            Write(new JournalEntry { Key = key, State = JournalState.Pending, SentFrom = sentFrom, ExpiresInSeconds = expiresIn });

        public void Created(string key, PaymentLink link) => Write(new JournalEntry
        {
            Key = key, State = JournalState.Created, LinkId = link.LinkId, WebUrl = link.WebUrl, Status = link.Status, ExpiresAt = link.ExpiresAt,
        });

        public void NotCreated(string key, string error) => Write(new JournalEntry { Key = key, State = JournalState.NotCreated, Error = error });

        public void Unknown(string key, DateTimeOffset sentFrom, DateTimeOffset sentUntil, long? expiresIn, string error) => Write(new JournalEntry
        {
            Key = key, State = JournalState.Unknown, SentFrom = sentFrom, SentUntil = sentUntil, ExpiresInSeconds = expiresIn, Error = error,
        });

        public void Ambiguous(JournalEntry uncertain, string[] candidates) => Write(new JournalEntry
        {
            Key = uncertain.Key, State = JournalState.Ambiguous, SentFrom = uncertain.SentFrom, SentUntil = uncertain.SentUntil,
            ExpiresInSeconds = uncertain.ExpiresInSeconds, Candidates = candidates,
            Error = "A link may have been created for this row but cannot be told apart from " + string.Join(", ", candidates),
        });

        private void Write(JournalEntry entry)
        {
            entry.At = DateTimeOffset.UtcNow;
            var line = JsonSerializer.Serialize(entry, FinqJson.Options);
            lock (_gate)
            {
                _writer.WriteLine(line);
                _writer.Flush();
                _file.Flush(true);
                _latest[entry.Key] = entry;
            }
        }

        private void Load()
        {
            var reader = new StreamReader(_file, Encoding.UTF8, false, 4096, leaveOpen: true);
            string? line;
            var number = 0;
            while ((line = reader.ReadLine()) != null)
            {
                number++;
                if (line.Trim().Length == 0) continue;
                JournalEntry? entry;
                try { entry = JsonSerializer.Deserialize<JournalEntry>(line, FinqJson.Options); }
                catch (JsonException e)
                {
                    // A run killed mid-write leaves at most a torn last line; anything else is not our journal.
                    if (reader.Peek() < 0) break;
                    throw new FormatException($"JournalPath: line {number} of {Path} is not a journal entry: {e.Message}");
                }
                if (entry?.Key != null)
                {
                    var previous = _latest.TryGetValue(entry.Key, out var p) ? p : null;
                    // Keep the sending window of an uncertain row when a later line lacks it.
                    if (entry.SentFrom == null && previous != null) entry.SentFrom = previous.SentFrom;
                    if (entry.ExpiresInSeconds == null && previous != null) entry.ExpiresInSeconds = previous.ExpiresInSeconds;
                    _latest[entry.Key] = entry;
                }
            }
        }

        public void Dispose()
        {
            _writer.Dispose();
            _file.Dispose();
        }
    }
}
