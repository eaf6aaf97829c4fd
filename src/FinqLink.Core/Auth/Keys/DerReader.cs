using System;

namespace FinqLink.Auth.Keys
{
    /// <summary>Just enough DER to read private keys on netstandard2.0, which has no PEM or PKCS#8 import.</summary>
    internal sealed class DerReader
    {
        private readonly byte[] _data;
        private int _pos;
        private readonly int _end;

        public DerReader(byte[] data) : this(data, 0, data.Length) { }

        private DerReader(byte[] data, int start, int end)
        {
            _data = data;
            _pos = start;
            _end = end;
        }

        public bool HasMore => _pos < _end;
        public byte PeekTag() => _data[_pos];

        public DerReader ReadSequence() => ReadConstructed(0x30);

        public DerReader ReadConstructed(byte tag)
        {
            var (start, length) = ReadHeader(tag);
            _pos = start + length;
            return new DerReader(_data, start, start + length);
        }

        /// <summary>An INTEGER's magnitude, big-endian, without the sign byte.</summary>
        public byte[] ReadUnsignedInteger()
        {
            var bytes = ReadPrimitive(0x02);
            var skip = 0;
            while (skip < bytes.Length - 1 && bytes[skip] == 0) skip++;
            var result = new byte[bytes.Length - skip];
            Array.Copy(bytes, skip, result, 0, result.Length);
            return result;
        }

        public byte[] ReadOctetString() => ReadPrimitive(0x04);
        public byte[] ReadBitString() => ReadPrimitive(0x03);

        public string ReadOid()
        {
            var bytes = ReadPrimitive(0x06);
            var parts = new System.Collections.Generic.List<string> { (bytes[0] / 40).ToString(), (bytes[0] % 40).ToString() };
            long value = 0;
            for (var i = 1; i < bytes.Length; i++)
            {
                value = (value << 7) | (uint)(bytes[i] & 0x7F);
                if ((bytes[i] & 0x80) == 0) { parts.Add(value.ToString()); value = 0; }
            }
            return string.Join(".", parts);
        }

        public void Skip()
        {
            var (start, length) = ReadHeader(_data[_pos]);
            _pos = start + length;
        }

        private byte[] ReadPrimitive(byte tag)
        {
            var (start, length) = ReadHeader(tag);
            var result = new byte[length];
            Array.Copy(_data, start, result, 0, length);
            _pos = start + length;
            return result;
        }

        private (int Start, int Length) ReadHeader(byte tag)
        {
            if (_pos >= _end || _data[_pos] != tag) throw new FormatException("The key is not valid DER.");
            var pos = _pos + 1;
            int length = _data[pos++];
            if (length > 0x80)
            {
                var count = length & 0x7F;
                length = 0;
                for (var i = 0; i < count; i++) length = (length << 8) | _data[pos++];
            }
            if (pos + length > _end) throw new FormatException("The key is not valid DER.");
            return (pos, length);
        }
    }
}
