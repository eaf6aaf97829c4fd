using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using FinqLink.Bulk;
using FinqLink.Ledger;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Get-FinqLink -JournalPath: a bulk run's journal as its ledger, with statuses brought up to date.</summary>
    public sealed partial class GetFinqLinkCommand
    {
        /// <summary>The journal New-FinqLink -JournalPath wrote: a local path or a storage URL. Writes one row per journal row, in input order.</summary>
        [Parameter(Mandatory = true, ParameterSetName = JournalSet)]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; } = "";

        /// <summary>Only rows whose link is still open: not paid, failed or expired.</summary>
        [Parameter(ParameterSetName = JournalSet)]
        public SwitchParameter Open { get; set; }

        /// <summary>Stores the totals per currency (rows, links, paid and open with their amounts, expired, failed) in this variable.</summary>
        [Parameter(ParameterSetName = JournalSet)]
        [ValidateNotNullOrEmpty]
        public string? SummaryVariable { get; set; }

        private void ReadLedger()
        {
            var location = JournalLocation.Resolve(this, JournalPath);
            IJournalStore store;
            LedgerIndex index;
            try
            {
                store = Run((_, _, ct) => JournalStores.OpenAsync(location, null, ct));
                try { index = new JournalLedger(store).Index(); }
                catch { store.Dispose(); throw; }
            }
            catch (Exception e) when (e is IOException || e is FormatException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                ThrowTerminatingError(ErrorRecords.From(e, JournalPath));
                return;
            }
            using (store)
            {
                if (store.Repaired is string repaired) WriteWarning("Journal repaired: " + repaired);
                var ledger = new JournalLedger(store);
                try
                {
                    var refresh = Run((client, options, ct) => LedgerStatusRefresh.RunAsync(index, client.Links, options, () => DateTimeOffset.UtcNow, ct));
                    this.WriteVerboseIfRequested($"Get-FinqLink: {index.Rows} journal rows; statuses read in {refresh.Requests} requests ({refresh.Pages} links/list pages over {refresh.Windows} creation windows"
                        + $", {refresh.ReadOneByOne} links/get); {refresh.Changed} changes, recorded in the journal as their rows are written.");
                    if (refresh.NotListed > 0)
                        WriteWarning($"{refresh.NotListed} links were not in the listing of their creation window; their rows show the status the journal knows (is this the journal of this session's client?).");
                    foreach (var unread in refresh.Unread)
                        WriteWarning($"The status of link {unread.Key} could not be read ({unread.Value.Message}); its row shows the status the journal knows.");
                }
                catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException)
                {
                    WriteError(ErrorRecords.From(e, JournalPath));
                    WriteWarning("The statuses could not be brought up to date; the rows show the statuses the journal knows.");
                }
                var now = DateTimeOffset.UtcNow;
                var summary = new LedgerSummary(now);
                ulong skip = PagingParameters?.Skip ?? 0, first = PagingParameters?.First ?? ulong.MaxValue, matched = 0;
                foreach (var row in ledger.Rows(index, StopToken))
                {
                    summary.Add(row);
                    if (Status != null && !Status.Contains(row.Status)) continue;
                    if (Open && row.Standing(now) != LedgerStanding.Open) continue;
                    // Every row is summed; -Skip and -First choose only what is written.
                    if (matched++ >= skip && matched - skip <= first) WriteObject(PeopleColumns.Row(row));
                }
                this.WriteVerboseIfRequested($"Get-FinqLink: the journal was read {ledger.Passes + 1} times (once for the statuses, then for the rows).");
                if (ledger.NotRecorded is Exception notRecorded)
                    WriteWarning($"The statuses learned could not be recorded in the journal ({notRecorded.Message}); the rows show them all the same.");
                if (PagingParameters?.IncludeTotalCount == true) WriteObject(PagingParameters.NewTotalCount(matched, 1.0));
                if (SummaryVariable != null) SessionState.PSVariable.Set(SummaryVariable, summary.Totals.ToArray());
            }
        }
    }
}
