using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>The blocks one run holds for one base expiry, and which of their slots its rows hold now.</summary>
    /// <remarks>
    /// Its semaphores are never disposed: rows may still wait on them while a run is disposed (Ctrl+C), and a SemaphoreSlim
    /// whose wait handle is never asked for holds nothing the collector cannot take.
    /// </remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "See remarks.")]
    internal sealed class SlotBlocks
    {
        // Guards the blocks and the free slots.
        private readonly object _gate = new object();
        private readonly List<SlotBlock> _blocks = new List<SlotBlock>();
        private readonly List<(SlotBlock Block, int Slot)> _free = new List<(SlotBlock, int)>();
        private readonly SemaphoreSlim _freeCount = new SemaphoreSlim(0);
        private readonly Random _random;

        public SlotBlocks(long baseSeconds, Random random)
        {
            BaseSeconds = baseSeconds;
            _random = random;
        }

        public long BaseSeconds { get; }

        /// <summary>One row at a time takes a new block.</summary>
        public SemaphoreSlim Growing { get; } = new SemaphoreSlim(1, 1);

        public bool HasFree => _freeCount.CurrentCount > 0;

        public int BlockCount
        {
            get { lock (_gate) return _blocks.Count; }
        }

        /// <summary>A free slot, chosen at random, or null when none is.</summary>
        public (SlotBlock Block, int Slot)? TryTake() => _freeCount.Wait(0) ? Take() : null;

        /// <summary>Waits up to <paramref name="timeout"/> for a slot to be given back (and leaves it free for the caller's next try).</summary>
        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (await _freeCount.WaitAsync(timeout, cancellationToken).ConfigureAwait(false)) _freeCount.Release();
        }

        public void Add(SlotBlock block)
        {
            lock (_gate)
            {
                _blocks.Add(block);
                _free.AddRange(block.Slots.Select(s => (block, s)));
            }
            _freeCount.Release(RegistrySlots.BlockSize);
        }

        public void Give(SlotBlock block, int slot)
        {
            lock (_gate) _free.Add((block, slot));
            _freeCount.Release();
        }

        public IReadOnlyList<SlotBlock> Blocks()
        {
            lock (_gate) return _blocks.ToList();
        }

        /// <summary>True when no row holds a slot of <paramref name="block"/>.</summary>
        public bool AllFree(SlotBlock block)
        {
            lock (_gate) return _free.Count(f => f.Block == block) == RegistrySlots.BlockSize;
        }

        /// <summary>The slots rows hold now.</summary>
        public IReadOnlyList<int> Held()
        {
            lock (_gate) return _blocks.SelectMany(b => b.Slots).Except(_free.Select(f => f.Slot)).ToList();
        }

        private (SlotBlock, int) Take()
        {
            lock (_gate)
            {
                var index = _random.Next(_free.Count);
                var taken = _free[index];
                _free.RemoveAt(index);
                return taken;
            }
        }
    }
}
