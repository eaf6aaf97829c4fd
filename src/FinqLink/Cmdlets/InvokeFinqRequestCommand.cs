using System;
using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Http;
using FinqLink.Json;
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
        public RequestKind? Kind { get; set; }

        protected override void ProcessRecord()
        {
            JsonObject body;
            try { body = ToBody(Body); }
            catch (Exception e) when (e is ArgumentException || e is JsonException)
            {
                WriteItemError(e is ArgumentException ? e : new ArgumentException("Body: " + e.Message), Body);
                return;
            }
            var kind = Kind ?? (Path.EndsWith("/create", StringComparison.Ordinal) ? RequestKind.Create : RequestKind.Read);
            if (kind == RequestKind.Create && !ShouldProcess($"POST {Path} {body.ToJsonString()}", $"Send {Path}?", "Invoke FinqLink request")) return;
            var options = new RequestOptions { Kind = kind, Log = Queue };
            try
            {
                if (All)
                {
                    if (ItemsProperty == null) throw new ArgumentException("ItemsProperty: required with -All (e.g. 'links' or 'transactions').");
                    foreach (var item in KeysetPager.Enumerate<JsonElement>(Client, Path, body, ItemsProperty, PageSize, options, null, StopToken))
                        WriteObject(JsonToPS.Convert(item));
                    return;
                }
                WriteObject(JsonToPS.Convert(Run((client, ct) => client.PostAsync(Path, body, options, ct))));
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, Path); }
        }

        private static JsonObject ToBody(object? body)
        {
            switch (PSValues.Plain(body))
            {
                case null: return new JsonObject();
                case string json:
                    return JsonNode.Parse(json) as JsonObject ?? throw new ArgumentException("Body: the JSON must be an object.");
                case IDictionary map:
                    var result = new JsonObject();
                    JsonMerge.Into(result, map, "Body");
                    return result;
                default:
                    throw new ArgumentException("Body: give a hashtable or a JSON string.");
            }
        }
    }
}
