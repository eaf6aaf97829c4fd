using System;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.Http
{
    /// <summary>
    /// What the server's clock reads, learned from its own answers rather than trusted from this machine's: each answer's
    /// server time (a Date header or a created_at, to the second) bounds the offset between the two clocks by the moments
    /// the request left and the answer came back. The bounds of recent answers are intersected.
    /// </summary>
    public sealed class ServerClock
    {
        /// <summary>Assumed at most this far apart until the server has answered once.</summary>
        public static readonly TimeSpan UnknownOffset = TimeSpan.FromMinutes(15);
        private static readonly TimeSpan SampleLifetime = TimeSpan.FromMinutes(10);
        private const int MaxSamples = 64;

        private readonly TimeProvider _time;
        private readonly Queue<Sample> _samples = new Queue<Sample>();
        private (TimeSpan Low, TimeSpan High)? _offset;

        public ServerClock(TimeProvider time) => _time = time;

        public DateTimeOffset ClientNow => _time.GetUtcNow();

        /// <summary>Server minus client time: its lowest and highest possible value, or null before any answer.</summary>
        public (TimeSpan Low, TimeSpan High)? Offset { get { lock (_samples) return _offset; } }

        /// <summary>
        /// The server said <paramref name="serverTime"/> (truncated to <paramref name="resolution"/>) while the request was in
        /// flight between <paramref name="sentAt"/> and <paramref name="receivedAt"/> (this machine's clock).
        /// </summary>
        public void Observe(DateTimeOffset sentAt, DateTimeOffset receivedAt, DateTimeOffset serverTime, TimeSpan resolution)
        {
            var sample = new Sample(receivedAt, serverTime - receivedAt, serverTime + resolution - sentAt);
            lock (_samples)
            {
                _samples.Enqueue(sample);
                while (_samples.Count > MaxSamples || _samples.Peek().At < receivedAt - SampleLifetime) _samples.Dequeue();
                var low = _samples.Max(s => s.Low);
                var high = _samples.Min(s => s.High);
                // Disagreeing answers (a clock that jumped, servers whose clocks differ): trust the latest one alone.
                _offset = low <= high ? (low, high) : (sample.Low, sample.High);
            }
        }

        /// <summary>The server-time interval that this machine's [<paramref name="from"/>, <paramref name="to"/>] certainly falls in.</summary>
        public (DateTimeOffset From, DateTimeOffset To) ToServer(DateTimeOffset from, DateTimeOffset to)
        {
            var offset = Offset ?? (-UnknownOffset, UnknownOffset);
            return (from + offset.Low, to + offset.High);
        }

        private sealed class Sample
        {
            public Sample(DateTimeOffset at, TimeSpan low, TimeSpan high)
            {
                At = at;
                Low = low;
                High = high;
            }

            public DateTimeOffset At { get; }
            public TimeSpan Low { get; }
            public TimeSpan High { get; }
        }
    }
}
