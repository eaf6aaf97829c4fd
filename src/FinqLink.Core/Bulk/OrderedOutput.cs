using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Hands items on in the order their places were taken, whatever order they are finished in, one at a time. At most
    /// <c>window</c> places are taken and not yet handed on: taking another waits, so memory stays flat however long the
    /// input, while a few slow items do not stall the others.
    /// </summary>
    internal sealed class OrderedOutput<T> : IDisposable
    {
        private readonly SemaphoreSlim _places;
        private readonly Action<T> _handOn;
        // Guards the finished items and the next index to hand on; held while handing on, so items leave one at a time.
        private readonly object _gate = new object();
        private readonly SortedDictionary<long, T> _finished = new SortedDictionary<long, T>();
        private long _taken, _next;

        public OrderedOutput(int window, Action<T> handOn)
        {
            _places = new SemaphoreSlim(window);
            _handOn = handOn;
        }

        /// <summary>Waits for a place and answers its index. Called by one caller at a time, in input order.</summary>
        public async Task<long> TakeAsync(CancellationToken cancellationToken)
        {
            await _places.WaitAsync(cancellationToken).ConfigureAwait(false);
            return _taken++;
        }

        /// <summary>The item for a place taken: handed on now if every earlier place has been, else once they are.</summary>
        public void Put(long index, T item)
        {
            lock (_gate)
            {
                _finished[index] = item;
                while (_finished.TryGetValue(_next, out var next))
                {
                    _finished.Remove(_next++);
                    _handOn(next);
                    _places.Release();
                }
            }
        }

        /// <summary>Reads what handing on changes, while nothing is handed on.</summary>
        public TResult Read<TResult>(Func<TResult> read)
        {
            lock (_gate) return read();
        }

        /// <summary>Changes what <see cref="Read"/> reads, while nothing is handed on.</summary>
        public void Change(Action change)
        {
            lock (_gate) change();
        }

        public void Dispose() => _places.Dispose();
    }
}
