using System;
using System.Collections.Generic;

namespace FinqLink.Bulk
{
    public enum BulkRowProblem
    {
        /// <summary>Another row of this run has the same reference (or, without one, the same contents).</summary>
        Duplicate,
        /// <summary>The journal holds a link made for different contents under this row's reference.</summary>
        Changed,
        /// <summary>A link may exist for this row but cannot be told apart from others.</summary>
        Ambiguous,
        /// <summary>The journal holds an attempt whose outcome could not be settled.</summary>
        Unfinished,
        /// <summary>Reconciliation showed that no link was made, every time the row was sent.</summary>
        NotCreated,
        /// <summary>The run stopped before sending this row.</summary>
        NotSent,
    }

    /// <summary>Why one row of a bulk run ended without a link. The message names the row.</summary>
    public sealed class BulkRowException : Exception
    {
        public BulkRowException(BulkRowProblem problem, string message, Exception? inner = null,
            IReadOnlyList<string>? candidates = null, IReadOnlyList<string>? changes = null) : base(message, inner)
        {
            Problem = problem;
            Candidates = candidates ?? Array.Empty<string>();
            Changes = changes ?? Array.Empty<string>();
        }

        public BulkRowProblem Problem { get; }
        /// <summary>For <see cref="BulkRowProblem.Ambiguous"/>: the links that may be this row's.</summary>
        public IReadOnlyList<string> Candidates { get; }
        /// <summary>For <see cref="BulkRowProblem.Changed"/>: what differs from the journaled row.</summary>
        public IReadOnlyList<string> Changes { get; }
    }
}
