using System.Management.Automation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>What to do about an API error: the advice fits its status and code, and support is asked only for server faults.</summary>
    internal static class ApiAdvice
    {
        public static ErrorCategory Category(FinqLinkApiException api)
        {
            switch ((int)api.StatusCode)
            {
                case 400:
                    return api.Code == ApiErrorCodes.ConsentNotActive || api.Code == ApiErrorCodes.LinkExpired ? ErrorCategory.InvalidOperation
                        : api.Code == ApiErrorCodes.CooldownFailed ? ErrorCategory.LimitsExceeded : ErrorCategory.InvalidArgument;
                case 401: return ErrorCategory.AuthenticationError;
                case 403: return ErrorCategory.PermissionDenied;
                case 404: return ErrorCategory.ObjectNotFound;
                case 429: return ErrorCategory.LimitsExceeded;
                default: return (int)api.StatusCode >= 500 ? ErrorCategory.ResourceUnavailable : ErrorCategory.NotSpecified;
            }
        }

        public static string For(FinqLinkApiException api)
        {
            var status = (int)api.StatusCode;
            switch (api.Code)
            {
                case ApiErrorCodes.ConsentNotActive: return "The consent is expired, revoked, failed or suspended: ask the account holder for a new one (New-FinqConsent).";
                case ApiErrorCodes.CooldownFailed: return "A refresh ran too recently: wait for the cooldown, or read the data of the last refresh.";
                case ApiErrorCodes.LinkExpired: return "The link has expired: create a new one.";
                case ApiErrorCodes.MethodSelectionError: return "No payment or AIS method matches the provider and filters given: check -ProviderId and the filters (Get-FinqProvider -IncludePaymentMethods).";
            }
            if (status == 401) return "Check the session's credentials (Get-FinqSession) and reconnect; a client configured to require tracking ids also answers 401 without them.";
            if (status == 403) return "The API client is not allowed to do this (for example FinqLink Data is not enabled for it): ask Finqware.";
            if (status == 404) return "Check the id: it does not exist for this API client.";
            if (status == 429) return "The API is throttling: lower -ThrottleLimit or try again later.";
            if (status >= 500)
                return api.RequestId != null || api.ErrorId != null
                    ? $"A fault on FinqLink's side. If it persists, quote request_id {api.RequestId ?? "(none)"} and error_id {api.ErrorId ?? "(none)"} to Finqware support."
                    : "A fault on FinqLink's side (or in between); try again later.";
            return "FinqLink refused the request as sent: check the values (nothing was created).";
        }
    }
}
