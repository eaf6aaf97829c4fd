using System;
using System.Linq;
using System.Management.Automation;
using FinqLink.Bulk;
using FinqLink.Models;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>A bulk run's summary as PowerShell shows it, and the input row merged with its link (-PassThru).</summary>
    internal static class RunSummary
    {
        /// <param name="elapsed">For a run cut short: the time until then (the run's own is set only when it ends).</param>
        /// <param name="stopReason">For a run cut short: what cut it (see <see cref="RunInterruption"/>).</param>
        public static PSObject ToPSObject(BulkRunSummary s, TimeSpan? elapsed = null, string? stopReason = null)
        {
            var summary = new PSObject();
            summary.TypeNames.Insert(0, "FinqLink.BulkRunSummary");
            void Add(string name, object? value) => summary.Properties.Add(new PSNoteProperty(name, value));
            Add("Rows", s.Rows);
            Add("Created", s.Created);
            Add("FromJournal", s.FromJournal);
            Add("Superseded", s.Superseded);
            Add("Rejected", s.Rejected);
            Add("Failed", s.Failed);
            Add("Ambiguous", s.Ambiguous);
            Add("NotSent", s.NotSent);
            Add("Reconciled", s.Reconciled);
            Add("Throttled", s.Throttled);
            Add("Retries", s.Retries);
            Add("PeakInFlight", s.PeakInFlight);
            Add("Elapsed", elapsed ?? s.Elapsed);
            var reasons = new System.Collections.Specialized.OrderedDictionary();
            foreach (var reason in s.FailuresByReason.OrderByDescending(r => r.Value)) reasons[reason.Key] = reason.Value;
            Add("FailuresByReason", reasons);
            Add("StopReason", stopReason ?? s.StopReason);
            return summary;
        }

        /// <summary>Rows taken that have no outcome yet: in flight, or waiting for an earlier row's.</summary>
        public static long Unfinished(BulkRunSummary s) => s.Rows - (s.Created + s.FromJournal + s.Rejected + s.Failed + s.Ambiguous + s.NotSent);

        public static string Describe(BulkRunSummary s) =>
            $"{s.Rows} rows: {s.Created} created ({s.Reconciled} after reconciliation), {s.FromJournal} from the journal, {s.Rejected} rejected before sending, "
            + $"{s.Failed} failed, {s.Ambiguous} ambiguous, {s.NotSent} not sent; {s.Throttled} throttled (429), {s.Retries} retries, "
            + $"at most {s.PeakInFlight} in flight, {s.Elapsed.TotalSeconds:0.0} s."
            + (s.FailuresByReason.Count > 0 ? " Failures: " + string.Join(", ", s.FailuresByReason.Select(r => $"{r.Key} {r.Value}")) + "." : "");

        /// <summary>The input row's properties, then the link's id, URL, status and expiry: so other CSV columns survive.</summary>
        public static PSObject Merge(object? row, PaymentLink link)
        {
            var merged = new PSObject();
            if (row is PSObject input)
                foreach (var property in input.Properties.Where(p => p.IsGettable))
                    merged.Properties.Add(new PSNoteProperty(property.Name, property.Value));
            void Set(string name, object? value)
            {
                if (merged.Properties[name] != null) merged.Properties.Remove(name);
                merged.Properties.Add(new PSNoteProperty(name, value));
            }
            Set("LinkId", link.LinkId);
            Set("WebUrl", link.WebUrl);
            Set("Status", link.Status);
            Set("ExpiresAt", PeopleColumns.Time(link.ExpiresAt));
            Set("FromJournal", link.FromJournal);
            return merged;
        }
    }
}
