using System;
using System.Diagnostics;
using System.Management.Automation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// A progress record that is on screen only while the cmdlet writes nothing.
    /// </summary>
    /// <remarks>
    /// pwsh's console host redraws a visible progress record after every line of output, and on Unix each redraw asks the
    /// terminal where the cursor is and waits for the answer. A Ctrl+C that lands during such a question loses the answer
    /// and pwsh waits for it forever (seen in tmux: ConsolePal.TryGetCursorPosition under ProgressPane.Show). So the
    /// record goes up only after the output has been quiet for a moment, comes down (Completed, which removes it from the
    /// host) before anything is written, and is redrawn at most once a second: the terminal is asked a handful of times a
    /// minute instead of several times per line.
    /// </remarks>
    internal sealed class QuietProgress
    {
        private static readonly TimeSpan RedrawInterval = TimeSpan.FromSeconds(1);

        private readonly Cmdlet _cmdlet;
        private readonly ProgressRecord _record;
        private readonly TimeSpan _showAfter;
        private readonly Stopwatch _quiet = Stopwatch.StartNew();
        private readonly Stopwatch _sinceDrawn = new Stopwatch();
        private bool _visible;
        private bool _changed = true;

        /// <param name="showAfter">How long the output must have been quiet before the record goes up.</param>
        public QuietProgress(Cmdlet cmdlet, string activity, string status, TimeSpan showAfter)
        {
            _cmdlet = cmdlet;
            // Activity ids tell concurrent records apart; a stable one per activity text keeps a cmdlet's record in one place.
            _record = new ProgressRecord(ActivityId(activity), activity, status);
            _showAfter = showAfter;
        }

        public bool IsShowing => _visible;

        public void Update(string status, int percentComplete = -1)
        {
            if (status == _record.StatusDescription && percentComplete == _record.PercentComplete) return;
            _record.StatusDescription = status;
            _record.PercentComplete = percentComplete;
            _changed = true;
        }

        /// <summary>Call while writing nothing: draws the record once the output has been quiet long enough.</summary>
        public void WhileQuiet()
        {
            if (_quiet.Elapsed < _showAfter || (_visible && !_changed)) return;
            if (_sinceDrawn.IsRunning && _sinceDrawn.Elapsed < RedrawInterval) return;
            _record.RecordType = ProgressRecordType.Processing;
            _cmdlet.WriteProgress(_record);
            _visible = true;
            _changed = false;
            _sinceDrawn.Restart();
        }

        /// <summary>Call before writing anything (output, errors, messages): takes the record down and restarts the quiet clock.</summary>
        public void BeforeOutput()
        {
            TakeDown();
            _quiet.Restart();
        }

        public void Complete() => TakeDown();

        private void TakeDown()
        {
            if (!_visible) return;
            _record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_record);
            _visible = false;
            _changed = true;
        }

        private static int ActivityId(string activity)
        {
            var hash = 17;
            foreach (var c in activity) hash = unchecked(hash * 31 + c);
            return 10 + (hash & 0x7FFF);
        }
    }
}
