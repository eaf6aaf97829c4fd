using System;

namespace FinqLink.Bulk
{
    /// <summary>The run stopped while this row waited for its turn: it was not sent.</summary>
    internal sealed class RunStoppedException : Exception
    {
        public RunStoppedException(string reason) : base(reason) { }
    }
}
