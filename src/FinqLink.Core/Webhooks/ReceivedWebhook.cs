using System;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// A webhook that passed verification, not yet answered: the caller hands it on and then calls <see cref="Acknowledge"/>
    /// (204), or <see cref="Decline"/> (503) when it could not, so FinqLink delivers it again. Acknowledging only after
    /// the hand-off means a webhook is never answered as received and then lost.
    /// </summary>
    public sealed class ReceivedWebhook : IDisposable
    {
        private readonly Func<int, bool> _answer;
        private readonly Action _onAcknowledged;
        private bool _acknowledged;

        internal ReceivedWebhook(WebhookEvent webhook, string bodyDigest, string? forwarded, Func<int, bool> answer, Action onAcknowledged)
        {
            Event = webhook;
            BodyDigest = bodyDigest;
            Forwarded = forwarded;
            _answer = answer;
            _onAcknowledged = onAcknowledged;
        }

        public WebhookEvent Event { get; }
        /// <summary>The body's SHA-256 (Base64): what tells a redelivery from a new webhook.</summary>
        public string BodyDigest { get; }
        /// <summary>"POST http://… -> 200", the failure, or null when not forwarded.</summary>
        public string? Forwarded { get; }

        /// <summary>Answers 204. The webhook counts as taken (and its body as seen) even if the sender stopped waiting.</summary>
        public void Acknowledge()
        {
            if (_acknowledged) return;
            _acknowledged = true;
            _answer(204);
            _onAcknowledged();
        }

        /// <summary>Not taken: FinqLink retries it later. Disposing an unanswered webhook declines it.</summary>
        public void Decline() => _answer(503);

        public void Dispose() => Decline();
    }
}
