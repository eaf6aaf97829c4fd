using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FinqLink.Waiting;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>What a wait tells, as PowerShell writes it: each call posted to the pipeline thread, the progress taken down first.</summary>
    internal sealed class WaitWriter<T> : IWaitObserver<T> where T : class
    {
        private const int ActionsShown = 5;
        private static readonly string[] HostTag = { "PSHOST" };
        private readonly FinqWaitCmdlet _cmdlet;
        private readonly QuietProgress _progress;
        private readonly Func<T, object?, object> _finish;
        private readonly PipelineQueue _queue;

        public WaitWriter(FinqWaitCmdlet cmdlet, PipelineQueue queue, QuietProgress progress, Func<T, object?, object> finish)
        {
            _cmdlet = cmdlet;
            _queue = queue;
            _progress = progress;
            _finish = finish;
        }

        public void Reached(WaitTarget<T> target, T item) => Write(() => _cmdlet.WriteObject(_finish(item, target.Input)));

        public void Unreachable(WaitTarget<T> target, T item, InvalidOperationException reason) =>
            Write(() => _cmdlet.WriteError(new ErrorRecord(reason, "FinqLink.WaitUnreachable", ErrorCategory.InvalidResult, _finish(item, target.Input))));

        public void Failed(WaitTarget<T> target, Exception reason) => Write(() => _cmdlet.WriteFailure(reason, target.Input ?? target.Id));

        public void TimedOut(WaitTarget<T> target, TimeoutException reason) =>
            Write(() => _cmdlet.WriteError(new ErrorRecord(reason, "FinqLink.WaitTimeout", ErrorCategory.OperationTimeout,
                target.Last == null ? target.Input ?? target.Id : _finish(target.Last, target.Input))));

        public void Retrying(WaitTarget<T>? target, Exception failure) =>
            _queue.Verbose(target == null ? $"{_cmdlet.Activity}: this round failed ({failure.Message}); trying again."
                : $"{target.Id}: could not be read this round ({failure.Message}); still waiting.");

        /// <summary>Tells the person at the console where to act (a payer's or account holder's page), once.</summary>
        public void ActionsOpen(IReadOnlyList<ActionPage> pages) => Write(() =>
        {
            foreach (var page in pages.Take(ActionsShown))
                _cmdlet.WriteInformation(new HostInformationMessage { Message = $"{_cmdlet.Activity}: open {page.Url} to act on {page.Name}." }, HostTag);
            if (pages.Count > ActionsShown)
                _cmdlet.WriteInformation(new HostInformationMessage { Message = $"… and {pages.Count - ActionsShown} more (their WebUrl property)." }, HostTag);
        });

        public void Pausing(string status, int percentComplete) => _queue.Post(() => _progress.Update(status, percentComplete));

        private void Write(Action write) => _queue.Post(() =>
        {
            _progress.BeforeOutput();
            write();
        });
    }
}
