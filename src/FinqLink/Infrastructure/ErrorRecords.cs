using System;
using System.Globalization;
using System.Management.Automation;
using FinqLink.Bulk;
using FinqLink.Validation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Maps client failures to ErrorRecords with stable ids (FinqLink.Api.&lt;code&gt;, FinqLink.InvalidInput.&lt;Parameter&gt;, …),
    /// a category, the input as target, and a recommendation that fits the failure.
    /// </summary>
    internal static class ErrorRecords
    {
        /// <param name="row">Names the input row (its reference) in the message, for bulk input.</param>
        /// <param name="columnOf">The input's column a parameter was bound from (a CSV header such as Iban), to name it too.</param>
        public static ErrorRecord From(Exception exception, object? target, string? row = null, Func<string, string?>? columnOf = null)
        {
            var prefix = string.IsNullOrEmpty(row) ? "" : row + ": ";
            switch (exception)
            {
                case FinqLinkValidationException v:
                    var parameter = ParameterNames.Of(v.Field);
                    var column = columnOf?.Invoke(parameter);
                    var named = column == null || string.Equals(column, parameter, StringComparison.OrdinalIgnoreCase) ? "-" + parameter : $"-{parameter} (column {column})";
                    return Record(new ArgumentException($"{prefix}{named}: {ParameterNames.Translate(v.Rule)}", v), "FinqLink.InvalidInput." + parameter,
                        ErrorCategory.InvalidArgument, target, v.Field == ApiFields.Amount ? AmountAdvice : "Fix the value; nothing was sent.");
                case FinqLinkApiException api:
                    return Record(Prefixed(api, prefix), "FinqLink.Api." + (api.Code ?? ((int)api.StatusCode).ToString(CultureInfo.InvariantCulture)), ApiAdvice.Category(api), target, ApiAdvice.For(api));
                case FinqLinkOutcomeUnknownException unknown:
                    return Record(Prefixed(unknown, prefix), "FinqLink.OutcomeUnknown", ErrorCategory.OperationTimeout, target,
                        "The link may exist: before sending this row again, look for it (Get-FinqLink -CreatedAfter <when the run started>). A new run, with or without -JournalPath, cannot know about it; a run given -JournalPath from the start settles such rows itself.");
                case BulkRowException bulk:
                    return Record(bulk, "FinqLink.Bulk." + bulk.Problem, BulkCategory(bulk.Problem), target, null);
                case FinqLinkCredentialException hook:
                    return Record(Prefixed(hook, prefix), "FinqLink.CredentialHookFailed", ErrorCategory.AuthenticationError, target,
                        "Run the -Signer or -AccessTokenProvider script by itself to see what it outputs; it must output one signature or one token.");
                case FinqLinkTransportException transport:
                    return Record(Prefixed(transport, prefix), "FinqLink.Transport", ErrorCategory.ConnectionError, target,
                        "Check the network, the base URI and any proxy; nothing reached FinqLink.");
                case JournalInUseException inUse:
                    return Record(inUse, "FinqLink.JournalInUse", ErrorCategory.ResourceBusy, target, "Wait for the other run to finish, or give each run its own -JournalPath.");
                case JournalOfAnotherClientException other:
                    return Record(other, "FinqLink.JournalOfAnotherClient", ErrorCategory.InvalidOperation, target,
                        $"Give this run a -JournalPath of its own: a journal records the links of one API client at one address{(other.Recorded == null ? "" : $" ({other.Recorded})")}.");
                case JournalWriteException write:
                    return Record(write, "FinqLink.JournalWriteFailed", ErrorCategory.WriteError, target, "Free space (or fix permissions) and run again with the same -JournalPath.");
                case ArgumentException argument:
                    return Record(Prefixed(argument, prefix), "FinqLink.InvalidArgument", ErrorCategory.InvalidArgument, target, null);
                case System.IO.IOException io:
                    return Record(io, "FinqLink.IO", ErrorCategory.WriteError, target, null);
                case FormatException format:
                    return Record(format, "FinqLink.InvalidFormat", ErrorCategory.InvalidData, target, null);
                default:
                    return Record(Prefixed(exception, prefix), "FinqLink.Unexpected", ErrorCategory.NotSpecified, target, null);
            }
        }

        private const string AmountAdvice =
            "Write amounts as digits with an optional '.' decimal part (1250.50). For a CSV in a local format, name its culture with -AmountCulture (for example ro-RO).";

        private static ErrorRecord Record(Exception exception, string id, ErrorCategory category, object? target, string? advice)
        {
            var record = new ErrorRecord(exception, id, category, target);
            if (advice != null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = advice };
            return record;
        }

        /// <summary>The same failure, its message starting with the row it belongs to.</summary>
        private static Exception Prefixed(Exception e, string prefix) => prefix.Length == 0 ? e : new RowFailure(prefix + e.Message, e);

        private static ErrorCategory BulkCategory(BulkRowProblem problem) => problem switch
        {
            BulkRowProblem.Duplicate => ErrorCategory.InvalidArgument,
            BulkRowProblem.Changed => ErrorCategory.InvalidData,
            BulkRowProblem.NotSent => ErrorCategory.OperationStopped,
            BulkRowProblem.NotCreated => ErrorCategory.InvalidResult,
            _ => ErrorCategory.InvalidResult,
        };

        /// <summary>Wraps a failure to name its row; the original stays as the inner exception.</summary>
        private sealed class RowFailure : Exception
        {
            public RowFailure(string message, Exception inner) : base(message, inner) { }
        }
    }
}
