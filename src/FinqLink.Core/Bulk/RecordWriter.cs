using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Writes the bytes of a <see cref="JournalRecord"/>: numbers as variable-length integers, times as offsets from the
    /// record's own time, and each string in its shortest exact form (see <see cref="RecordReader"/>, which reads them
    /// back): an index into the journal's <see cref="StringPool"/>, 16 bytes for an id in GUID form or a fingerprint hash,
    /// one byte a character for ASCII, two otherwise. One writer serves a journal (under its lock): the buffer is reused.
    /// </summary>
    internal sealed class RecordWriter
    {
        internal const byte Null = 0, Pooled = 1, Ascii = 2, Utf16 = 3, Guid = 4, Hash = 5, Names = 6, SmallPooled = 0x80;
        internal const string HashPrefix = "sha256:";
        private byte[] _buffer = new byte[256];
        private int _length;

        public void Reset() => _length = 0;

        public byte[] ToArray()
        {
            var bytes = new byte[_length];
            Buffer.BlockCopy(_buffer, 0, bytes, 0, _length);
            return bytes;
        }

        public void Byte(byte value)
        {
            if (_length == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            _buffer[_length++] = value;
        }

        public void Unsigned(ulong value)
        {
            for (; value >= 0x80; value >>= 7) Byte((byte)(value | 0x80));
            Byte((byte)value);
        }

        public void Signed(long value) => Unsigned((ulong)((value << 1) ^ (value >> 63)));

        /// <summary>A time as its UTC ticks' distance from <paramref name="origin"/> and its offset in minutes.</summary>
        public void Time(DateTimeOffset value, long origin)
        {
            Signed(value.UtcTicks - origin);
            Signed((long)value.Offset.TotalMinutes);
        }

        /// <summary>A string the pool may hold (values rows share: states, fingerprint parts); else as <see cref="Plain"/>.</summary>
        public void Shared(string? value, StringPool pool)
        {
            if (value != null && pool.IndexOf(value) is int index)
            {
                // The pool's first values (states, currencies, part names, the commonest hashes) in one byte.
                if (index < SmallPooled) Byte((byte)(SmallPooled | index));
                else
                {
                    Byte(Pooled);
                    Unsigned((ulong)index);
                }
            }
            else Plain(value);
        }

        /// <summary>A string kept in the record itself (values of one row: ids, references, messages).</summary>
        public void Plain(string? value)
        {
            if (value == null) { Byte(Null); return; }
            if (IsGuid(value)) { Byte(Guid); Hex(value, 0); return; }
            if (IsHash(value)) { Byte(Hash); Hex(value, HashPrefix.Length); return; }
            var ascii = true;
            foreach (var c in value) ascii &= c < 0x80;
            Byte(ascii ? Ascii : Utf16);
            Unsigned((ulong)value.Length);
            foreach (var c in value)
            {
                Byte((byte)c);
                if (!ascii) Byte((byte)(c >> 8));
            }
        }

        public void PlainArray(string[] values)
        {
            Unsigned((ulong)values.Length);
            foreach (var value in values) Plain(value);
        }

        /// <summary>A fingerprint: its part names as one pooled set when the pool holds them, then each value.</summary>
        public void Parts(Dictionary<string, string> parts, StringPool pool)
        {
            var names = new string[parts.Count];
            parts.Keys.CopyTo(names, 0);
            if (pool.IndexOf(names) is int index)
            {
                Byte(Names);
                Unsigned((ulong)index);
            }
            else
            {
                Byte(Ascii);
                Unsigned((ulong)names.Length);
                foreach (var name in names) Shared(name, pool);
            }
            foreach (var name in names) Shared(parts[name], pool);
        }

        /// <summary>An id in GUID form as the two numbers its 16 bytes make (see <see cref="RecordReader.GuidHalves"/>); null for another id.</summary>
        public static (ulong High, ulong Low)? GuidHalves(string id)
        {
            if (!IsGuid(id)) return null;
            ulong high = 0, low = 0;
            var digits = 0;
            foreach (var c in id)
            {
                if (c == '-') continue;
                var nibble = (ulong)(c <= '9' ? c - '0' : c - 'a' + 10);
                if (digits++ < 16) high = (high << 4) | nibble;
                else low = (low << 4) | nibble;
            }
            return (high, low);
        }

        // The 32 lower-case hex digits of an id like "d9a50206-de31-4ea8-b7f6-4e90b32bbca2", or of "sha256:" and a 16-byte hash.
        private static bool IsGuid(string value)
        {
            if (value.Length != 36) return false;
            for (var i = 0; i < 36; i++)
                if (i == 8 || i == 13 || i == 18 || i == 23 ? value[i] != '-' : !IsHexDigit(value[i])) return false;
            return true;
        }

        private static bool IsHash(string value)
        {
            if (value.Length != HashPrefix.Length + 32 || !value.StartsWith(HashPrefix, StringComparison.Ordinal)) return false;
            for (var i = HashPrefix.Length; i < value.Length; i++)
                if (!IsHexDigit(value[i])) return false;
            return true;
        }

        private static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');

        private void Hex(string value, int from)
        {
            var high = -1;
            for (var i = from; i < value.Length; i++)
            {
                if (value[i] == '-') continue;
                var nibble = value[i] <= '9' ? value[i] - '0' : value[i] - 'a' + 10;
                if (high < 0) high = nibble;
                else
                {
                    Byte((byte)((high << 4) | nibble));
                    high = -1;
                }
            }
        }
    }
}
