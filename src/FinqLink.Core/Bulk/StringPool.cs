using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>
    /// One instance of each string, and of each array of strings, that a journal's records share, each known by its index:
    /// states, currencies, amounts, the hashes of parts that rows share, fingerprints' part names. Holds the first few
    /// thousand distinct values, then stops adding (values unique to one row gain nothing from it). Not thread-safe: used
    /// under the journal's lock.
    /// </summary>
    internal sealed class StringPool
    {
        private const int MaxHeld = 4096;
        private readonly Dictionary<string, int> _indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<string> _strings = new List<string>();
        private readonly Dictionary<string[], int> _arrayIndexes = new Dictionary<string[], int>(SameStrings.Instance);
        private readonly List<string[]> _arrays = new List<string[]>();

        /// <summary>The index of <paramref name="value"/>, added if the pool has room; null when it is not held.</summary>
        public int? IndexOf(string value)
        {
            if (_indexes.TryGetValue(value, out var index)) return index;
            if (_strings.Count >= MaxHeld) return null;
            _indexes[value] = _strings.Count;
            _strings.Add(value);
            return _strings.Count - 1;
        }

        /// <summary>The index of the array holding these strings in this order (each of them held too), added if there is room.</summary>
        public int? IndexOf(string[] values)
        {
            if (_arrayIndexes.TryGetValue(values, out var index)) return index;
            if (_arrays.Count >= MaxHeld) return null;
            for (var i = 0; i < values.Length; i++)
                if (IndexOf(values[i]) is int held) values[i] = _strings[held];
            _arrayIndexes[values] = _arrays.Count;
            _arrays.Add(values);
            return _arrays.Count - 1;
        }

        public string StringAt(int index) => _strings[index];

        public string[] ArrayAt(int index) => _arrays[index];

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
