using System;
using System.Collections.Generic;

namespace FinqLink.Waiting
{
    /// <summary>What a wait tells as it goes, on the poller's thread (a PowerShell caller posts each call to its pipeline thread).</summary>
    public interface IWaitObserver<T> where T : class
    {
        /// <summary>The object got where it was awaited.</summary>
        void Reached(WaitTarget<T> target, T item);

        /// <summary>The object ended elsewhere and can no longer get there; <paramref name="reason"/> says where.</summary>
        void Unreachable(WaitTarget<T> target, T item, InvalidOperationException reason);

        /// <summary>The object cannot be read (the API says it does not exist, a 4xx): it is no longer awaited.</summary>
        void Failed(WaitTarget<T> target, Exception reason);

        /// <summary>The time ran out with the object still on its way.</summary>
        void TimedOut(WaitTarget<T> target, TimeoutException reason);

        /// <summary>A passing failure (the network, 5xx, 429) that the wait rides out: of one object, or of the whole round (no target).</summary>
        void Retrying(WaitTarget<T>? target, Exception failure);

        /// <summary>Objects that wait on a person, and the page where that person acts; told once.</summary>
        void ActionsOpen(IReadOnlyList<ActionPage> pages);

        /// <summary>Between rounds: how far the wait is, in words and percent. The next round starts after the pause.</summary>
        void Pausing(string status, int percentComplete);
    }
}
