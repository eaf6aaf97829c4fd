using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>Link ids a journal is asked about (<see cref="LinkJournal.ClaimedAmong"/>): as text, and those in GUID form as the numbers records hold.</summary>
    internal sealed class ClaimProbe
    {
        public ClaimProbe(IEnumerable<string> ids)
        {
            foreach (var id in ids)
            {
                if (id == null) continue;
                Ids.Add(id);
                if (RecordWriter.GuidHalves(id) is (ulong, ulong) halves) Guids[halves] = id;
            }
        }

        public HashSet<string> Ids { get; } = new HashSet<string>(StringComparer.Ordinal);
        public Dictionary<(ulong High, ulong Low), string> Guids { get; } = new Dictionary<(ulong High, ulong Low), string>();
    }
}
