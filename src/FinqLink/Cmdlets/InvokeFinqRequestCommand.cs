using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using FinqLink.Http;
using FinqLink.Paging;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Services;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Calls any FinqLink operation with the session's authentication: the escape hatch for API features the module
    /// has no cmdlet for yet. Answers come back as PSCustomObjects.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FinqRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class InvokeFinqRequestCommand : FinqCmdlet
    {
        /// <summary>The operation, e.g. "links/list" or "ais/jobs/get" (version and /test come from the session).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidatePattern("^[a-z_]+(/[a-z_]+)+$")]
        public string Path { get; set; } = "";

        /// <summary>The JSON body: a hashtable or a JSON string. client_id and credentials are added by the session.</summary>
        [Parameter(Position = 1, ValueFromPipeline = true)]
        public object? Body { get; set; }

        /// <summary>Follow keyset pagination and write the items from every page.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>Where the items sit in each page; known for the documented lists (links, balances, transactions).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ItemsProperty { get; set; }

        [Parameter]
        [ValidateRange(1, PageOptions.MaxPageSize)]
        public int PageSize { get; set; } = 100;

        /// <summary>Create operations are never retried when their outcome is unknown; by default paths ending in /create are.</summary>
        [Parameter]
        // A string, not RequestKind: a FinqLink.Core value type in a field would be needed before the module initializer runs.
        [ValidateSet("Read", "Create", "IdempotentUpdate")]
        public string? Kind { get; set; }

        protected override void ProcessRecord()
        {
            var kind = Kind != null ? (RequestKind)Enum.Parse(typeof(RequestKind), Kind, true) : RawRequestService.KindOf(Path);
            var body = PSValues.Plain(Body);
            try
            {
                var described = RawRequestService.Describe(Path, body, kind);
                if (kind == RequestKind.Create && !ShouldProcess(described, $"Send {Path}?", "Invoke FinqLink request")) return;
                if (All)
                {
                    WritePages("Invoking " + Path, PageSize, (client, paging, options, ct) => client.Raw.List(Path, body, ItemsProperty, paging, options, ct), PSValues.FromPlain);
                    return;
                }
                WriteObject(PSValues.FromPlain(Run((client, options, ct) => client.Raw.SendAsync(Path, body, kind, options, ct))));
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, Body ?? Path); }
        }
    }
}
