namespace FinqLink.Webhooks
{
    /// <summary>The verdict on one webhook: valid, or why not.</summary>
    public sealed class WebhookVerification
    {
        private WebhookVerification(bool isValid, string? keyId, string? algorithm, string? failure)
        {
            IsValid = isValid;
            KeyId = keyId;
            Algorithm = algorithm;
            Failure = failure;
        }

        public bool IsValid { get; }
        public string? KeyId { get; }
        public string? Algorithm { get; }
        public string? Failure { get; }

        internal static WebhookVerification Valid(string kid, string alg) => new WebhookVerification(true, kid, alg, null);
        internal static WebhookVerification Invalid(string reason, string? kid = null) => new WebhookVerification(false, kid, null, reason);

        public override string ToString() => IsValid ? $"valid ({KeyId}, {Algorithm})" : "invalid: " + Failure;
    }
}
