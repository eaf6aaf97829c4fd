using System;
using System.Management.Automation;
using System.Net;
using FinqLink.Validation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Maps client failures to ErrorRecords with stable ids (FinqLink.Api.&lt;code&gt;, FinqLink.InvalidInput.&lt;Field&gt;, …).</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            switch (exception)
            {
                case FinqLinkValidationException v:
                    return new ErrorRecord(v, "FinqLink.InvalidInput." + v.Field, ErrorCategory.InvalidArgument, target);
                case FinqLinkApiException api:
                    var record = new ErrorRecord(api, "FinqLink.Api." + (api.Code ?? ((int)api.StatusCode).ToString()), Category(api), target);
                    record.ErrorDetails = new ErrorDetails(api.Message) { RecommendedAction = Advice(api) };
                    return record;
                case FinqLinkOutcomeUnknownException unknown:
                    return new ErrorRecord(unknown, "FinqLink.OutcomeUnknown", ErrorCategory.OperationTimeout, target)
                    {
                        ErrorDetails = new ErrorDetails(unknown.Message)
                        {
                            RecommendedAction = "Run again with the same -JournalPath: the journal finds out whether the link exists before creating it.",
                        },
                    };
                case FinqLinkTransportException transport:
                    return new ErrorRecord(transport, "FinqLink.Transport", ErrorCategory.ConnectionError, target);
                case ArgumentException argument:
                    return new ErrorRecord(argument, "FinqLink.InvalidArgument", ErrorCategory.InvalidArgument, target);
                case System.IO.IOException io:
                    return new ErrorRecord(io, "FinqLink.IO", ErrorCategory.WriteError, target);
                case FormatException format:
                    return new ErrorRecord(format, "FinqLink.InvalidFormat", ErrorCategory.InvalidData, target);
                default:
                    return new ErrorRecord(exception, "FinqLink.Unexpected", ErrorCategory.NotSpecified, target);
            }
        }

        private static ErrorCategory Category(FinqLinkApiException api)
        {
            switch ((int)api.StatusCode)
            {
                case 400:
                    return api.Code == "consent_not_active" || api.Code == "link_expired" ? ErrorCategory.InvalidOperation
                        : api.Code == "cooldown_failed" ? ErrorCategory.LimitsExceeded : ErrorCategory.InvalidArgument;
                case 401: return ErrorCategory.AuthenticationError;
                case 403: return ErrorCategory.PermissionDenied;
                case 404: return ErrorCategory.ObjectNotFound;
                case 429: return ErrorCategory.LimitsExceeded;
                default: return (int)api.StatusCode >= 500 ? ErrorCategory.ResourceUnavailable : ErrorCategory.NotSpecified;
            }
        }

        private static string Advice(FinqLinkApiException api)
        {
            var ids = $"request_id {api.RequestId ?? "-"}, error_id {api.ErrorId ?? "-"}";
            if (api.StatusCode == HttpStatusCode.Unauthorized) return $"Check the session's credentials (Get-FinqSession) and reconnect. Quote {ids} to Finqware support.";
            if ((int)api.StatusCode == 429) return $"The API is throttling: lower -ThrottleLimit or retry later. ({ids})";
            return $"Quote {ids} to Finqware support if this persists.";
        }
    }
}
