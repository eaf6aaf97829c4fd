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

        /// <summary>Adds these links to <paramref name="others"/> and answers it.</summary>
        public ISet<string> AddTo(ISet<string> others)
        {
            others.UnionWith(_ids.Keys);
            return others;
        }
    }
}
