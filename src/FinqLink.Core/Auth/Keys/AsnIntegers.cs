using System.Formats.Asn1;

namespace FinqLink.Auth.Keys
{
    internal static class AsnIntegers
    {
        /// <summary>A non-negative INTEGER as its big-endian magnitude without the sign byte, the form RSAParameters takes.</summary>
        public static byte[] ReadUnsignedInteger(this AsnReader reader)
        {
            var bytes = reader.ReadIntegerBytes().Span;
            if ((bytes[0] & 0x80) != 0) throw new KeyFormatException("The key holds a negative number where RSA needs a positive one: the file is damaged. Export the key again.");
            return (bytes.Length > 1 && bytes[0] == 0 ? bytes.Slice(1) : bytes).ToArray();
        }

        /// <summary>Writes a non-negative INTEGER's magnitude right-aligned into <paramref name="length"/> bytes of <paramref name="target"/>.</summary>
        public static void CopyUnsigned(System.ReadOnlySpan<byte> integer, byte[] target, int offset, int length)
        {
            while (integer.Length > length && integer[0] == 0) integer = integer.Slice(1);
            if (integer.Length > length) throw new KeyFormatException($"A signature number has {integer.Length} bytes where {length} fit.");
            integer.CopyTo(new System.Span<byte>(target, offset + length - integer.Length, integer.Length));
        }

        /// <summary>A structure's version INTEGER; -1 when it does not even fit an int.</summary>
        public static int ReadVersion(this AsnReader reader) => reader.TryReadInt32(out var version) ? version : -1;
    }
}
