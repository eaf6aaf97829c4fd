using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace FinqLink.Bulk
{
    /// <summary>
    /// When a bulk run's progress bar is up, redrawn or down, and what it says: up half a second into the run, then redrawn
    /// about once a second with the rows done, the creates in flight, the errors, the rate and, once the row count is known,
    /// the share done and the time left. A run that ends sooner shows nothing. Time comes from a <see cref="TimeProvider"/>,
    /// so tests drive it instead of racing the machine.
    /// </summary>
    /// <remarks>
    /// pwsh's console host redraws a visible bar after every line it writes, and on Unix each redraw asks the terminal where
    /// the cursor is; a Ctrl+C during that question hangs pwsh. A bar that stayed down while anything is written would never
    /// show, since a run writes a row every few milliseconds. So the rows that come while the bar is up are held; about once a
    /// second the bar comes down, the rows held are written in one go, in order, and the bar goes back up a moment later: the
    /// terminal is asked about once a second however fast rows come, and a row reaches the pipeline at most a second late.
    /// </remarks>
    public sealed class ProgressPacer
    {
        public static readonly TimeSpan ShowAfter = TimeSpan.FromSeconds(0.5);
        private static readonly TimeSpan RedrawInterval = TimeSpan.FromSeconds(1);
        /// <summary>
        /// pwsh's console host draws a record at most every 200 ms, and a Completed record uses up that turn: a bar put back
        /// up at once after the held rows would not be drawn. So it goes back up this long after it came down.
        /// </summary>
        private static readonly TimeSpan ShowAgainAfter = TimeSpan.FromSeconds(0.3);
        /// <summary>The rate is measured over this much of the recent past, so the time left follows a run that slows down.</summary>
        private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(10);

        private readonly TimeProvider _time;
        private readonly long _started;
        private readonly Func<int> _inFlight;
        private readonly bool _wanted;
        private readonly Action<string, int> _show;
        private readonly Action _takeDown;
        private readonly Queue<Action> _held = new Queue<Action>();
        private readonly Queue<(TimeSpan At, long Done)> _samples = new Queue<(TimeSpan At, long Done)>();
        private TimeSpan? _drawnAt, _takenDownAt;
        private bool _up, _redrawSoon;
        private long _done, _errors;
        private long? _total;

        /// <param name="inFlight">The creates in flight now (read at each redraw).</param>
        /// <param name="wanted">False when progress is hidden: then rows are never held.</param>
        /// <param name="show">Puts the bar up (or redraws it) with a status line and a percentage (-1 while the row count is unknown).</param>
        /// <param name="takeDown">Takes the bar down.</param>
        public ProgressPacer(Func<int> inFlight, bool wanted, Action<string, int> show, Action takeDown)
            : this(TimeProvider.System, inFlight, wanted, show, takeDown)
        {
        }

        /// <summary>
        /// On a given clock (tests pass a fake one). Internal: the cmdlets' assembly resolves Core's dependencies only through
        /// Core, so TimeProvider stays out of the surface it sees.
        /// </summary>
        internal ProgressPacer(TimeProvider time, Func<int> inFlight, bool wanted, Action<string, int> show, Action takeDown)
        {
            _time = time;
            _started = time.GetTimestamp();
            _inFlight = inFlight;
            _wanted = wanted;
            _show = show;
            _takeDown = takeDown;
        }

        public TimeSpan Elapsed => _time.GetElapsedTime(_started);

        /// <summary>
        /// Outcomes made but not yet written: held behind the bar, or left when a write threw (-ErrorAction Stop, a later
        /// command that cut the pipeline). A run cut short reports them instead of dropping them silently.
        /// </summary>
        public int Held => _held.Count;

        /// <summary>Outcomes that reached the pipeline thread (written, or held): those a run cut short made later never did.</summary>
        public long Reached => _done;

        /// <summary>The number of rows, once known (the input ended): the bar then shows the share done and the time left.</summary>
        public void SetTotal(long total)
        {
            if (_total == total) return;
            _total = total;
            _redrawSoon = true;
        }

        /// <summary>A row's outcome: written now, or held while the bar is up.</summary>
        public void Outcome(bool failed, Action write)
        {
            _done++;
            if (failed) _errors++;
            if (_up) _held.Enqueue(write);
            else write();
            Tick();
        }

        /// <summary>Call often (while waiting, after each row): puts the bar up, redraws it or takes it down when due.</summary>
        public void Tick()
        {
            if (!_wanted) return;
            var now = Elapsed;
            if (now < ShowAfter) return;
            var due = _drawnAt is not TimeSpan drawn || now - drawn >= RedrawInterval || _redrawSoon;
            if (_up)
            {
                if (!due) return;
                if (_held.Count == 0) Draw(now);
                else TakeDownAndWriteHeld();
            }
            else if (due && (_takenDownAt is not TimeSpan down || now - down >= ShowAgainAfter))
            {
                Draw(now);
            }
        }

        /// <summary>Call before a verbose, debug or warning line: the bar comes down, after the rows held before that line.</summary>
        public void BeforeMessage() => TakeDownAndWriteHeld();

        /// <summary>The run ended: the rows held are written and the bar comes down.</summary>
        public void Complete() => TakeDownAndWriteHeld();

        private void TakeDownAndWriteHeld()
        {
            if (_up)
            {
                _takeDown();
                _up = false;
                _takenDownAt = Elapsed;
            }
            while (_held.Count > 0) _held.Dequeue()();
        }

        private void Draw(TimeSpan now)
        {
            _samples.Enqueue((now, _done));
            while (now - _samples.Peek().At > RateWindow) _samples.Dequeue();
            var (since, doneThen) = now - _samples.Peek().At >= RedrawInterval ? _samples.Peek() : (TimeSpan.Zero, 0L);
            var rate = (_done - doneThen) / Math.Max((now - since).TotalSeconds, 0.001);
            var percent = _total is long total && total > 0 ? (int)Math.Min(100, _done * 100 / total) : -1;
            _show(Status(_done, _total, _inFlight(), _errors, rate), percent);
            _up = true;
            _redrawSoon = false;
            _drawnAt = now;
        }

        /// <summary>"1200/5000 done, 16 in flight, 2 errors, 48/s, 1 min 19 s left": with the activity, 79 columns at most.</summary>
        public static string Status(long done, long? total, int inFlight, long errors, double rate)
        {
            var text = new StringBuilder();
            text.Append(Count(done)).Append(total is long all ? "/" + Count(all) : "").Append(" done, ");
            text.Append(Count(inFlight)).Append(" in flight, ");
            text.Append(Count(errors)).Append(errors == 1 ? " error, " : " errors, ");
            text.Append(rate.ToString(rate < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)).Append("/s");
            if (total is long rows && rows > done && rate > 0)
                text.Append(", ").Append(Duration(TimeSpan.FromSeconds((rows - done) / rate))).Append(" left");
            return text.ToString();
        }

        private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

        private static string Duration(TimeSpan left) =>
            left < TimeSpan.FromMinutes(1) ? $"{Math.Ceiling(left.TotalSeconds):0} s"
            : left < TimeSpan.FromHours(1) ? $"{(int)left.TotalMinutes} min {left.Seconds} s"
            : $"{(int)left.TotalHours} h {left.Minutes} min";
    }
}
