using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Services;

namespace FinqLink.Waiting
{
    /// <summary>What a wait reads and where it waits for each object to get: links to a final status, consents to active, …</summary>
    /// <typeparam name="T">The object as the API returns it.</typeparam>
    public abstract class WaitGoal<T> where T : class
    {
        /// <summary>What is awaited, in words ("a final status", "active").</summary>
        public abstract string Description { get; }

        /// <summary>One round: the current state of each id that could be read, and why the others could not.</summary>
        public abstract Task<ManyResult<T>> PollAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

        /// <summary>True when <paramref name="item"/> is where the caller waits for it.</summary>
        public abstract bool Reached(T item);

        /// <summary>True when <paramref name="item"/> can no longer get there.</summary>
        public abstract bool CannotReach(T item);

        public abstract string? StatusOf(T item);

        /// <summary>Where a person acts to move the object on (a payer's or account holder's page), while it waits for them.</summary>
        public virtual string? ActionUrlOf(T item) => null;
    }
}
