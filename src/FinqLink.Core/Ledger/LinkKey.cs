using System;

namespace FinqLink.Ledger
{
    /// <summary>
    /// A link id as a ledger slot keeps it: an id in the API's canonical GUID form ("d9a50206-de31-4ea8-b7f6-4e90b32bbca2")
    /// as its 16 bytes instead of a 92-byte string, any other id as its text. Equal exactly when the ids are the same text.
    /// </summary>
    internal readonly struct LinkKey : IEquatable<LinkKey>
    {
        private readonly Guid _guid;
        private readonly string? _text;

        private LinkKey(Guid guid, string? text)
        {
            _guid = guid;
            _text = text;
        }

        public static LinkKey? Of(string? id)
        {
            if (id == null) return null;
            // Only the exact lowercase "D" form is held as a GUID: another spelling of the same GUID stays another id.
            return Guid.TryParseExact(id, "D", out var guid) && string.Equals(guid.ToString("D"), id, StringComparison.Ordinal)
                ? new LinkKey(guid, null) : new LinkKey(Guid.Empty, id);
        }

        public bool Equals(LinkKey other) => _guid == other._guid && string.Equals(_text, other._text, StringComparison.Ordinal);

        public override bool Equals(object? obj) => obj is LinkKey other && Equals(other);

        public override int GetHashCode() => _text == null ? _guid.GetHashCode() : StringComparer.Ordinal.GetHashCode(_text);

        public override string ToString() => _text ?? _guid.ToString("D");
    }
}
