namespace FinqLink
{
    /// <summary>The documented error codes the client acts on (FinqLinkApiException.Code).</summary>
    public static class ApiErrorCodes
    {
        /// <summary>ais/consents/revoke (and data reads) on a consent that has ended: expired, failed or suspended.</summary>
        public const string ConsentNotActive = "consent_not_active";
        /// <summary>ais/jobs/create while the consent's previous refresh is too recent.</summary>
        public const string CooldownFailed = "cooldown_failed";
        public const string LinkExpired = "link_expired";
        /// <summary>No payment or AIS method matches the provider and filters given.</summary>
        public const string MethodSelectionError = "method_selection_error";
    }
}
