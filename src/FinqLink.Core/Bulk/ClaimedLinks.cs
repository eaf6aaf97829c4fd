using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    /// <summary>Links this run's rows got in answers: reconciliation must never offer one to another row.</summary>
    internal sealed class ClaimedLinks
    {
        private readonly ConcurrentDictionary<string, bool> _ids = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        public void Add(string linkId) => _ids[linkId] = true;

        /// <summary>Adds to <paramref name="claimed"/> those of <paramref name="linkIds"/> this run's rows got, and answers it.</summary>
        public ISet<string> AddAmong(IEnumerable<string> linkIds, ISet<string> claimed)
        {
            foreach (var id in linkIds)
                if (id != null && _ids.ContainsKey(id)) claimed.Add(id);
            return claimed;
        }
    }
}
