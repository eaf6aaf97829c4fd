using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>
    /// One instance of each string, and of each array of strings, that a journal keeps: states, currencies, amounts, the
    /// hashes of parts that rows share, fingerprints as a whole. Holds the first few thousand distinct values, then stops
    /// adding (values unique to one row gain nothing from it). Not thread-safe: used under the journal's lock.
    /// </summary>
    internal sealed class StringPool
    {
        private const int MaxHeld = 4096;
        private readonly Dictionary<string, string> _strings = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string[], string[]> _arrays = new Dictionary<string[], string[]>(SameStrings.Instance);

        public string Intern(string value)
        {
            if (_strings.TryGetValue(value, out var held)) return held;
            if (_strings.Count < MaxHeld) _strings[value] = value;
            return value;
        }

        /// <summary>The one array holding these strings in this order (each of them interned).</summary>
        public string[] Intern(string[] values)
        {
            if (_arrays.TryGetValue(values, out var held)) return held;
            for (var i = 0; i < values.Length; i++) values[i] = Intern(values[i]);
            if (_arrays.Count < MaxHeld) _arrays[values] = values;
            return values;
        }

        private sealed class SameStrings : IEqualityComparer<string[]>
        {
            public static readonly SameStrings Instance = new SameStrings();

            public bool Equals(string[]? a, string[]? b)
            {
                if (ReferenceEquals(a, b)) return true;
                if (a == null || b == null || a.Length != b.Length) return false;
                for (var i = 0; i < a.Length; i++)
                    if (!string.Equals(a[i], b[i], StringComparison.Ordinal)) return false;
                return true;
            }

            public int GetHashCode(string[] values)
            {
                var hash = values.Length;
                foreach (var value in values) hash = unchecked(hash * 31 + StringComparer.Ordinal.GetHashCode(value));
                return hash;
            }
        }
    }
}
