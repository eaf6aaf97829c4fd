using System;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading;
using FinqLink.Http;
using FinqLink.Paging;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Streams a keyset-paged list to the pipeline, honouring -First/-Skip/-IncludeTotalCount and showing progress.</summary>
    internal static class Paged
    {
        public static void Write<T>(PSCmdlet cmdlet, FinqLinkClient client, string resource, JsonObject body, string itemsProperty,
            int pageSize, RequestOptions options, string activity, CancellationToken cancellationToken, Func<T, object> project)
        {
            var paging = cmdlet.PagingParameters;
            var skip = paging?.Skip ?? 0UL;
            var first = paging?.First ?? ulong.MaxValue;
            if (first == 0) return;
            var needed = first == ulong.MaxValue ? ulong.MaxValue : skip + first;
            var size = (int)Math.Min((ulong)pageSize, Math.Min(needed, KeysetPager.MaxPageSize));

            var progress = new ProgressRecord(Math.Abs(activity.GetHashCode() % 1000) + 10, activity, "Requesting the first page");
            ulong index = 0, written = 0;
            var pages = KeysetPager.Enumerate<T>(client, resource, body, itemsProperty, size, options,
                page =>
                {
                    progress.StatusDescription = $"Page {page.PageNumber}: {page.ItemsSoFar} so far" + (page.More ? ", more to come" : "");
                    cmdlet.WriteProgress(progress);
                }, cancellationToken);
            try
            {
                foreach (var item in pages)
                {
                    if (index++ < skip) continue;
                    cmdlet.WriteObject(project(item));
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
