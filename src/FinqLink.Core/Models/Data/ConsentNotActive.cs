namespace FinqLink.Models.Data
{
    /// <summary>ais/consents/revoke answers consent_not_active for a consent that has already ended (expired, failed, suspended).</summary>
    public static class ConsentNotActive
    {
        public const string Code = "consent_not_active";

        public static bool Is(FinqLinkApiException e) => e.Code == Code;
    }
}
