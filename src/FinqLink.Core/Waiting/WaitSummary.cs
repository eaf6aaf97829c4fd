using System;

namespace FinqLink.Waiting
{
    /// <summary>How a wait ended: each object counted once, in the way it left the wait.</summary>
    public sealed class WaitSummary
    {
        public int Total { get; internal set; }
        public int Reached { get; internal set; }
        public int Unreachable { get; internal set; }
        public int TimedOut { get; internal set; }
        public int Failed { get; internal set; }
        public int Rounds { get; internal set; }
        public TimeSpan Elapsed { get; internal set; }
    }
}
