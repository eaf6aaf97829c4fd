using System;
using System.Collections.Generic;
using System.Management.Automation;
using FinqLink.Paging;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Streams a keyset-paged list to the pipeline, honouring -First/-Skip/-IncludeTotalCount and showing progress.</summary>
    internal static class Paged
    {
        /// <param name="open">Starts the list with the paging to use.</param>
        public static void Write<T>(FinqCmdlet cmdlet, string activity, int pageSize, Func<PageOptions, IEnumerable<T>> open)
        {
            var paging = cmdlet.PagingParameters;
            var skip = paging?.Skip ?? 0UL;
            var first = paging?.First ?? ulong.MaxValue;
            if (first == 0) return;
            var needed = first == ulong.MaxValue ? ulong.MaxValue : skip + first;

            var progress = new ProgressRecord(Math.Abs(activity.GetHashCode() % 1000) + 10, activity, "Requesting the first page");
            ulong index = 0, written = 0;
            var options = new PageOptions
            {
                PageSize = (int)Math.Min((ulong)pageSize, Math.Min(needed, PageOptions.MaxPageSize)),
                // Without -First every page will be read, so the next one is fetched while this one goes down the pipeline.
                Prefetch = first == ulong.MaxValue,
                WaitFor = page => cmdlet.Queue.PumpUntil(() => page.IsCompleted, cmdlet.StopToken),
                OnPage = page =>
                {
                    // The request's -Verbose line was logged off the pipeline thread; write it before the page's items.
                    cmdlet.Queue.Drain();
                    progress.StatusDescription = $"Page {page.PageNumber}: {page.ItemsSoFar} so far" + (page.More ? ", more to come" : "");
                    cmdlet.WriteProgress(progress);
                },
            };
            try
            {
                foreach (var item in open(options))
                {
                    if (index++ < skip) continue;
                    cmdlet.WriteObject(item);
                    if (++written >= first) break;
                }
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                cmdlet.WriteProgress(progress);
            }
            if (paging?.IncludeTotalCount == true)
                cmdlet.WriteObject(paging.NewTotalCount(index, 0.0));
        }
    }
}
