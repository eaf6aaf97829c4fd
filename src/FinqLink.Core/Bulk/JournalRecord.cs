using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>
    /// A key's latest <see cref="JournalEntry"/> as <see cref="LinkJournal"/> keeps it in memory for the whole run: about
    /// 250 bytes instead of 800. Values that repeat from row to row (fingerprint parts, states, the link page's address)
    /// are held once in a <see cref="StringPool"/>; the fields a row rarely has sit in an object only those rows carry.
    /// <see cref="Expand"/> gives back an equal entry; JournalRecordTests fail when a field of JournalEntry is not carried.
    /// </summary>
    internal sealed class JournalRecord
    {
        private const byte HasExpiresIn = 1, HasBaseExpiresIn = 2, HasLane = 4, HasWindowFrom = 8, HasAttempt = 16, HasExpiresAt = 32, HasRun = 64, HasRow = 128;

        private readonly string _state;
        private readonly DateTimeOffset _at, _windowFrom, _expiresAt, _run;
        private readonly long _expiresIn, _baseExpiresIn, _row;
        private readonly int _lane, _attempt;
        private readonly byte _has;
        // Fingerprint part names (one shared array per set of names) and values, in the same order.
        private readonly string[]? _fingerprintKeys, _fingerprintValues;
        private readonly string? _webUrlStart, _webUrlEnd;
        private readonly string? _status, _reference, _remittance;
        private readonly Rare? _rare;

        public JournalRecord(JournalEntry entry, StringPool pool)
        {
            Key = entry.Key;
            _state = pool.Intern(entry.State);
            _at = entry.At;
            if (entry.Fingerprint != null)
            {
                var keys = new string[entry.Fingerprint.Count];
                var values = new string[keys.Length];
                var i = 0;
                foreach (var part in entry.Fingerprint)
                {
                    keys[i] = part.Key;
                    values[i++] = part.Value;
                }
                _fingerprintKeys = pool.Intern(keys);
                _fingerprintValues = pool.Intern(values);
            }
            _has = (byte)(Set(entry.ExpiresInSeconds, HasExpiresIn, out _expiresIn) | Set(entry.BaseExpiresInSeconds, HasBaseExpiresIn, out _baseExpiresIn)
                          | Set(entry.Lane, HasLane, out _lane) | Set(entry.Attempt, HasAttempt, out _attempt)
                          | Set(entry.WindowFrom, HasWindowFrom, out _windowFrom) | Set(entry.ExpiresAt, HasExpiresAt, out _expiresAt)
                          | Set(entry.Run, HasRun, out _run) | Set(entry.Row, HasRow, out _row));
            _reference = entry.Reference;
            _remittance = entry.RemittanceInformation == null ? null : pool.Intern(entry.RemittanceInformation);
            LinkId = entry.LinkId;
            // A link page's address differs from row to row only after its last '/': the start is held once.
            if (entry.WebUrl != null)
            {
                var cut = entry.WebUrl.LastIndexOf('/') + 1;
                _webUrlStart = pool.Intern(entry.WebUrl.Substring(0, cut));
                _webUrlEnd = cut == entry.WebUrl.Length ? "" : entry.WebUrl.Substring(cut);
            }
            _status = entry.Status == null ? null : pool.Intern(entry.Status);
            if (entry.WindowTo != null || entry.Superseded != null || entry.Error != null || entry.Candidates != null || entry.StatusAt != null)
                _rare = new Rare(entry.WindowTo, entry.Superseded, entry.Error, entry.Candidates, entry.StatusAt);
        }

        public string Key { get; }
        public string? LinkId { get; }
        public bool IsCreated => _state == JournalState.Created;
        public string[]? Superseded => _rare?.Superseded;

        public JournalEntry Expand()
        {
            var entry = new JournalEntry
            {
                Key = Key, State = _state, At = _at, LinkId = LinkId, Status = _status,
                ExpiresInSeconds = Get(HasExpiresIn, _expiresIn), BaseExpiresInSeconds = Get(HasBaseExpiresIn, _baseExpiresIn),
                Lane = Get(HasLane, _lane), Attempt = Get(HasAttempt, _attempt), WindowFrom = Get(HasWindowFrom, _windowFrom), ExpiresAt = Get(HasExpiresAt, _expiresAt),
                WebUrl = _webUrlStart == null ? null : _webUrlStart + _webUrlEnd,
                WindowTo = _rare?.WindowTo, Superseded = _rare?.Superseded, Error = _rare?.Error, Candidates = _rare?.Candidates, StatusAt = _rare?.StatusAt,
                Reference = _reference, RemittanceInformation = _remittance, Run = Get(HasRun, _run), Row = Get(HasRow, _row),
            };
            if (_fingerprintKeys != null)
            {
                entry.Fingerprint = new Dictionary<string, string>(_fingerprintKeys.Length, StringComparer.Ordinal);
                for (var i = 0; i < _fingerprintKeys.Length; i++) entry.Fingerprint[_fingerprintKeys[i]] = _fingerprintValues![i];
            }
            return entry;
        }

        private static byte Set<T>(T? value, byte flag, out T field) where T : struct
        {
            field = value.GetValueOrDefault();
            return value.HasValue ? flag : (byte)0;
        }

        private T? Get<T>(byte flag, T value) where T : struct => (_has & flag) != 0 ? value : (T?)null;

        private sealed class Rare
        {
            public Rare(DateTimeOffset? windowTo, string[]? superseded, string? error, string[]? candidates, DateTimeOffset? statusAt)
            {
                WindowTo = windowTo;
                Superseded = superseded;
                Error = error;
                Candidates = candidates;
                StatusAt = statusAt;
            }

            public DateTimeOffset? WindowTo { get; }
            public string[]? Superseded { get; }
            public string? Error { get; }
            public string[]? Candidates { get; }
            public DateTimeOffset? StatusAt { get; }
        }
    }
}
