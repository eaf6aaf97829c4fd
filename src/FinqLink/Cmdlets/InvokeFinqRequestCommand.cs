using System;
using System.Collections;
using System.Management.Automation;
using FinqLink.Http;
using FinqLink.Paging;
using FinqLink.PowerShell.Infrastructure;

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

        /// <summary>Follow keyset pagination and write the items of -ItemsProperty from every page.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ItemsProperty { get; set; }

        [Parameter]
        [ValidateRange(1, KeysetPager.MaxPageSize)]
        public int PageSize { get; set; } = 100;

        /// <summary>Create operations are never retried when their outcome is unknown; by default paths ending in /create are.</summary>
        [Parameter]
        // A string, not RequestKind: a FinqLink.Core value type in a field would be needed before the module initializer runs.
        [ValidateSet("Read", "Create", "IdempotentUpdate")]
        public string? Kind { get; set; }

        protected override void ProcessRecord()
        {
            var kind = Kind != null ? (RequestKind)Enum.Parse(typeof(RequestKind), Kind, true)
                : Path.EndsWith("/create", StringComparison.Ordinal) ? RequestKind.Create : RequestKind.Read;
            ApiRequest request;
            try { request = ToRequest(kind); }
            catch (ArgumentException e)
            {
                WriteItemError(e, Body);
                return;
            }
            if (kind == RequestKind.Create && !ShouldProcess(request.ToString(), $"Send {Path}?", "Invoke FinqLink request")) return;
            try
            {
                if (All)
                {
                    if (ItemsProperty == null) throw new ArgumentException("ItemsProperty: required with -All (e.g. 'links' or 'transactions').");
                    var client = Client;
                    Paged.Write(this, "Invoking " + Path, PageSize,
                        (size, prefetch, onPage) => client.PageValues(request, ItemsProperty, size, ReadOptions, onPage, StopToken, prefetch), PSValues.FromPlain);
                    return;
                }
                WriteObject(PSValues.FromPlain(Run((client, ct) => client.SendForValuesAsync(request, ReadOptions, ct))));
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, Path); }
        }

        private ApiRequest ToRequest(RequestKind kind)
        {
            switch (PSValues.Plain(Body))
            {
                case null: return ApiRequest.FromValues(Path, null, kind);
                case string json: return ApiRequest.FromJson(Path, json, kind);
                case IDictionary map: return ApiRequest.FromValues(Path, map, kind);
                default: throw new ArgumentException("Body: give a hashtable or a JSON string.");
            }
        }
    }
}
