using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// One address, a CIDR range (34.89.170.0/24, 2001:db8::/32) or a preset naming FinqLink's documented outbound
    /// address (Test, Production). IPv4 addresses mapped into IPv6 (::ffff:1.2.3.4) match as the IPv4 address they carry.
    /// </summary>
    public sealed class AddressRange
    {
        /// <summary>FinqLink's webhook source addresses, as Finqware documents them ("Callbacks from fixed IPs").</summary>
        public static readonly IReadOnlyDictionary<string, string> Presets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Test"] = "34.89.170.122",
            ["Production"] = "34.159.239.125",
        };

        private readonly byte[] _network;
        private readonly int _prefixLength;

        private AddressRange(IPAddress network, int prefixLength, string text)
        {
            _network = network.GetAddressBytes();
            _prefixLength = prefixLength;
            Text = text;
        }

        /// <summary>As given (a preset is shown with its address).</summary>
        public string Text { get; }

        /// <summary>Reads an address, a CIDR range or a preset; anything else is an error that says what is accepted.</summary>
        public static AddressRange Parse(string text)
        {
            var given = (text ?? "").Trim();
            if (Presets.TryGetValue(given, out var preset)) return new AddressRange(IPAddress.Parse(preset), 32, $"{given} ({preset})");
            var slash = given.IndexOf('/');
            var addressPart = slash < 0 ? given : given.Substring(0, slash);
            if (!TryParseAddress(addressPart, out var address))
                throw new FormatException($"'{text}' is not an address, a CIDR range (10.0.0.0/8) or one of the presets {string.Join(", ", Presets.Keys)}.");
            address = Normalize(address);
            var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            var length = bits;
            if (slash >= 0 && (!int.TryParse(given.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bits))
                throw new FormatException($"'{text}': the prefix length after / must be 0 to {bits}.");
            return new AddressRange(Mask(address.GetAddressBytes(), length), length, given);
        }

        public bool Contains(IPAddress address)
        {
            var bytes = Normalize(address).GetAddressBytes();
            return bytes.Length == _network.Length && Mask(bytes, _prefixLength).GetAddressBytes().SequenceEqual(_network);
        }

        /// <summary>
        /// An IPv4 address in its usual dotted form or an IPv6 address without a zone. IPAddress alone also reads "10.1"
        /// or "010.0.0.1" (inet_aton's shorthand and octal), which nobody means in an allow list.
        /// </summary>
        public static bool TryParseAddress(string text, out IPAddress address)
        {
            if (!IPAddress.TryParse(text, out address) || text.Contains("%")) return false;
            return address.AddressFamily != AddressFamily.InterNetwork || address.ToString() == text;
        }

        /// <summary>Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; compare them as IPv4.</summary>
        public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

        public override string ToString() => Text;

        private static IPAddress Mask(byte[] bytes, int prefixLength)
        {
            var masked = new byte[bytes.Length];
            for (var i = 0; i < bytes.Length; i++)
            {
                var keep = Math.Max(0, Math.Min(8, prefixLength - i * 8));
                masked[i] = (byte)(bytes[i] & (0xFF << (8 - keep)));
            }
            return new IPAddress(masked);
        }
    }

    /// <summary>Several <see cref="AddressRange"/>s; an address matches when any of them contains it.</summary>
    public sealed class AddressList
    {
        private readonly AddressRange[] _ranges;

        public AddressList(IEnumerable<AddressRange> ranges) => _ranges = ranges.ToArray();

        public static AddressList Parse(IEnumerable<string> texts) => new AddressList(texts.Select(AddressRange.Parse));

        public bool IsEmpty => _ranges.Length == 0;
        public bool Contains(IPAddress address) => _ranges.Any(r => r.Contains(address));
        public override string ToString() => string.Join(", ", _ranges.Select(r => r.Text));
    }
}
