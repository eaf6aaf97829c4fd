using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.LocalSandbox
{
    /// <summary>The typed arguments of a control-API action; <see cref="ToBody"/> names their JSON fields.</summary>
    public sealed class SandboxActionArguments
    {
        public string? Status { get; set; }
        public string? ProviderId { get; set; }
        public string? Scenario { get; set; }
        /// <summary>Seconds to advance the clock by (AdvanceClock) or to set its offset to (SetClock).</summary>
        public long? Seconds { get; set; }
        /// <summary>Fault rules in the command line's syntax.</summary>
        public IReadOnlyList<string>? Faults { get; set; }

        /// <summary>The request body: <paramref name="extra"/> fields (plain values), then these arguments over them.</summary>
        public IDictionary ToBody(SandboxAction action, IDictionary? extra)
        {
            var body = new Hashtable();
            if (extra != null) foreach (DictionaryEntry entry in extra) body[entry.Key] = entry.Value;
            if (Status != null) body["status"] = Status;
            if (ProviderId != null) body["provider_id"] = ProviderId;
            if (Scenario != null) body["scenario"] = Scenario;
            if (Seconds is long seconds) body[string.Equals(action.Name, "AdvanceClock", StringComparison.Ordinal) ? "advance_seconds" : "offset_seconds"] = seconds;
            if (Faults != null) body["rules"] = Faults.Select(SandboxActions.ParseFault).ToArray();
            return body;
        }
    }
}
