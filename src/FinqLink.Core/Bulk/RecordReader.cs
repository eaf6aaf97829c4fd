using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>Reads back, in order, what a <see cref="RecordWriter"/> wrote into a record's bytes.</summary>
    internal struct RecordReader
    {
        private const string HexDigits = "0123456789abcdef";
        private readonly byte[] _bytes;
        private readonly StringPool _pool;
        private int _at;

        public RecordReader(byte[] bytes, StringPool pool)
        {
            _bytes = bytes;
            _pool = pool;
            _at = 0;
        }

        public byte Byte() => _bytes[_at++];

        public ulong Unsigned()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return value;
            }
        }

        public long Signed()
        {
            var value = Unsigned();
            return (long)(value >> 1) ^ -(long)(value & 1);
        }

        public DateTimeOffset Time(long origin)
        {
            var utcTicks = Signed() + origin;
            var offset = TimeSpan.FromMinutes(Signed());
            return new DateTimeOffset(utcTicks + offset.Ticks, offset);
        }

        public string? String()
        {
            var tag = Byte();
            if (tag >= RecordWriter.SmallPooled) return _pool.StringAt(tag & ~RecordWriter.SmallPooled);
            switch (tag)
            {
                case RecordWriter.Null: return null;
                case RecordWriter.Pooled: return _pool.StringAt((int)Unsigned());
                case RecordWriter.Guid: return Hex(36, "");
                case RecordWriter.Hash: return Hex(RecordWriter.HashPrefix.Length + 32, RecordWriter.HashPrefix);
                case RecordWriter.Ascii:
                case RecordWriter.Utf16:
                    var wide = tag == RecordWriter.Utf16;
                    var chars = new char[(int)Unsigned()];
                    for (var i = 0; i < chars.Length; i++) chars[i] = wide ? (char)(Byte() | (Byte() << 8)) : (char)Byte();
                    return new string(chars);
                default: throw new InvalidOperationException("A journal record holds a string it cannot read.");
            }
        }

        /// <summary>
        /// Reads a string and answers it if <paramref name="probe"/> asks for it, else null: an id in GUID form is compared
        /// as its 16 bytes, without making its text.
        /// </summary>
        public string? Matching(ClaimProbe probe)
        {
            if (_bytes[_at] != RecordWriter.Guid) return String() is string text && probe.Ids.Contains(text) ? text : null;
            _at++;
            return probe.Guids.TryGetValue(GuidHalves(), out var id) ? id : null;
        }

        /// <summary>The 16 bytes of an id in GUID form as two numbers, as <see cref="RecordWriter.GuidHalves"/> makes them.</summary>
        private (ulong High, ulong Low) GuidHalves()
        {
            ulong high = 0, low = 0;
            for (var i = 0; i < 8; i++) high = (high << 8) | Byte();
            for (var i = 0; i < 8; i++) low = (low << 8) | Byte();
            return (high, low);
        }

        public string[] Array()
        {
            var values = new string[(int)Unsigned()];
            for (var i = 0; i < values.Length; i++) values[i] = String()!;
            return values;
        }

        public Dictionary<string, string> Parts()
        {
            string[] names;
            if (Byte() == RecordWriter.Names) names = _pool.ArrayAt((int)Unsigned());
            else
            {
                names = new string[(int)Unsigned()];
                for (var i = 0; i < names.Length; i++) names[i] = String()!;
            }
            var parts = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
            foreach (var name in names) parts[name] = String()!;
            return parts;
        }

        // 16 bytes as 32 lower-case hex digits after the prefix; 36 characters long means the GUID form, with its dashes.
        private string Hex(int length, string prefix)
        {
            var chars = new char[length];
            prefix.CopyTo(0, chars, 0, prefix.Length);
            var at = prefix.Length;
            for (var i = 0; i < 16; i++)
            {
                if (prefix.Length == 0 && (at == 8 || at == 13 || at == 18 || at == 23)) chars[at++] = '-';
                var b = Byte();
                chars[at++] = HexDigits[b >> 4];
                chars[at++] = HexDigits[b & 0xf];
            }
            return new string(chars);
        }
    }
}
