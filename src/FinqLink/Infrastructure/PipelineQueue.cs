using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// PowerShell lets only the pipeline thread write output, errors, verbose and progress. Work running on other
    /// threads posts those writes here; the pipeline thread runs them while it waits.
    /// </summary>
    [SuppressMessage("Design", "CA1001", Justification = "The BlockingCollection lives as long as the cmdlet call; its wait handle is never created, so there is nothing to dispose.")]
    internal sealed class PipelineQueue : IRequestLog
    {
        private readonly BlockingCollection<Action> _writes = new BlockingCollection<Action>();
        private readonly ConcurrentQueue<Action> _calls = new ConcurrentQueue<Action>();
        /// <summary>Posted only to wake a waiting pump; writes nothing.</summary>
        private static readonly Action Wake = () => { };
        private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
        private readonly Action<string> _verbose;
        private readonly Action<string> _debug;
        private readonly Action<string> _warning;

        public PipelineQueue(Action<string> verbose, Action<string> debug, Action<string> warning, bool verboseEnabled, bool debugEnabled)
        {
            _verbose = verbose;
            _debug = debug;
            _warning = warning;
            VerboseEnabled = verboseEnabled;
            DebugEnabled = debugEnabled;
        }

        public bool VerboseEnabled { get; }
        public bool DebugEnabled { get; }

        /// <summary>Runs on the pipeline thread before each verbose, debug or warning line (a progress record comes down first).</summary>
        public Action? BeforeMessage { get; set; }

        /// <summary>Runs on the pipeline thread while it waits with nothing to write (a progress record may go up).</summary>
        public Action? WhileIdle { get; set; }

        public void Post(Action write)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThread) write();
            else _writes.Add(write);
        }

        public void Verbose(string line)
        {
            if (VerboseEnabled) Post(() => Message(_verbose, line));
        }

        public void Debug(string line) => Post(() => Message(_debug, line));
        public void Warning(string line) => Post(() => Message(_warning, line));

        private void Message(Action<string> write, string line)
        {
            BeforeMessage?.Invoke();
            write(line);
        }

        /// <summary>
        /// Runs <paramref name="work"/> on the pipeline thread and waits for it: how code on a worker thread runs a script
        /// (a signer or token hook) in this runspace. The pipeline thread must be pumping (it is, inside <see cref="Await"/>).
        /// </summary>
        public T OnPipelineThread<T>(Func<T> work)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThread) return work();
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _calls.Enqueue(() =>
            {
                try { done.SetResult(work()); }
                catch (Exception e) { done.SetException(e); }
            });
            _writes.Add(Wake);
            return done.Task.GetAwaiter().GetResult();
        }

        /// <summary>Runs <paramref name="work"/> off the pipeline thread, writing what it posts meanwhile; rethrows its failure.</summary>
        public T Await<T>(Func<Task<T>> work, CancellationToken cancellationToken)
        {
            var task = Task.Run(work);
            // Wake the pump the moment the work ends instead of at its next poll.
            task.ContinueWith(_ => _writes.Add(Wake), TaskContinuationOptions.ExecuteSynchronously);
            PumpUntil(() => task.IsCompleted, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return task.GetAwaiter().GetResult();
        }

        /// <summary>Runs posted writes on the pipeline thread until <paramref name="done"/> is true.</summary>
        public void PumpUntil(Func<bool> done, CancellationToken cancellationToken)
        {
            while (true)
            {
                Drain();
                if (done()) { Drain(); return; }
                try
                {
                    if (_writes.TryTake(out var write, 20, cancellationToken)) Run(write);
                    else WhileIdle?.Invoke();
                }
                catch (OperationCanceledException) { return; }
            }
        }

        /// <summary>Runs the scripts worker threads are waiting on (<see cref="OnPipelineThread"/>), but no writes.</summary>
        public void RunCalls()
        {
            while (_calls.TryDequeue(out var call)) call();
        }

        public void Drain()
        {
            RunCalls();
            while (_writes.TryTake(out var write)) Run(write);
        }

        private static void Run(Action write)
        {
            if (!ReferenceEquals(write, Wake)) write();
        }
    }
}
