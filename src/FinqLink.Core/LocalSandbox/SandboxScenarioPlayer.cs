using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Models;
using FinqLink.Models.Data;
using FinqLink.Options;

namespace FinqLink.LocalSandbox
{
    /// <summary>What a scenario left: the link or consent as the API shows it at the end, and the webhooks the story caused.</summary>
    public sealed class SandboxScenarioResult
    {
        internal SandboxScenarioResult(object final, IReadOnlyList<SandboxWebhookDelivery> webhooks)
        {
            Final = final;
            Webhooks = webhooks;
        }

        /// <summary>A <see cref="PaymentLink"/> or a <see cref="Consent"/>.</summary>
        public object Final { get; }
        /// <summary>Every delivery attempt about the link or consent (and its jobs), in the order the webhooks were sent.</summary>
        public IReadOnlyList<SandboxWebhookDelivery> Webhooks { get; }
    }

    /// <summary>
    /// Plays a <see cref="SandboxScenario"/>: creates the link or consent through the API with the session's client, drives it
    /// with the control API (approvals, the sandbox clock) and waits, on the sandbox's delivery log, until it reached its end
    /// and every webhook it caused was attempted once. Never waits real time for an expiry: the clock moves instead.
    /// </summary>
    public sealed class SandboxScenarioPlayer
    {
        /// <summary>The longest a story may take; the bank takes a few steps of a few hundred milliseconds.</summary>
        public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
        private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(20);
        private const decimal Amount = 10.00m;
        private const string Currency = "RON";

        private readonly FinqLinkClient _client;
        private readonly SandboxControlClient _control;
        private readonly RequestOptions _options;
        private readonly Action<string> _say;

        /// <param name="say">Receives one line per step, for -Verbose.</param>
        public SandboxScenarioPlayer(FinqLinkClient client, SandboxControlClient control, RequestOptions options, Action<string> say)
        {
            _client = client;
            _control = control;
            _options = options;
            _say = say;
        }

        /// <summary>Further fields of the create request (plain values); they add to or override the scenario's.</summary>
        public IDictionary? CreateFields { get; set; }

        /// <param name="providerId">The bank the payer or account holder picks; null lets the sandbox pick (LinkPaid: one that does not confirm funds).</param>
        public async Task<SandboxScenarioResult> PlayAsync(SandboxScenario scenario, string? providerId, string webhookUrl, CancellationToken cancellationToken)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Deadline);
            var story = new Story(scenario);
            try
            {
                var final = scenario.IsLink
                    ? (object)await PlayLinkAsync(story, providerId, webhookUrl, deadline.Token).ConfigureAwait(false)
                    : await PlayConsentAsync(story, providerId, webhookUrl, deadline.Token).ConfigureAwait(false);
                return new SandboxScenarioResult(final, story.InSendingOrder());
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{scenario.Name}: {story.Id ?? "the story"} did not reach {scenario.Ending} within {Deadline.TotalSeconds:0} s " +
                    $"(its last webhook said {story.LastStatus ?? "nothing"}).");
            }
        }

        private async Task<PaymentLink> PlayLinkAsync(Story story, string? providerId, string webhookUrl, CancellationToken cancellationToken)
        {
            var scenario = story.Scenario;
            if (scenario.Name == "LinkPaid") providerId = await BankWithoutFundsConfirmationAsync(providerId, cancellationToken).ConfigureAwait(false);
            var options = new LinkCreateOptions
            {
                Amount = Amount, Currency = Currency, RemittanceInformation = "Sandbox scenario " + scenario.Name, WebhookUrl = webhookUrl,
                ProviderId = providerId == null ? null : new[] { providerId },
                ExpiresIn = scenario.Move == ScenarioMove.Expire ? SandboxScenario.ExpiresIn : (TimeSpan?)null,
                AdditionalProperties = CreateFields,
            };
            var created = await _client.Links.CreateAsync(options, _options, cancellationToken).ConfigureAwait(false);
            story.Id = created.LinkId;
            _say($"{scenario.Name}: created link {created.LinkId} through the API; its webhooks go to {webhookUrl}.");
            if (scenario.Move == ScenarioMove.Expire) await MoveClockPastAsync(created.ExpiresAt, "link", cancellationToken).ConfigureAwait(false);
            else
            {
                await ApproveAsync("ApproveLink", story, providerId, cancellationToken).ConfigureAwait(false);
                await story.UntilStatusAsync(_control, scenario.Ending, cancellationToken).ConfigureAwait(false);
            }
            await story.UntilSettledAsync(_control, cancellationToken).ConfigureAwait(false);

            var final = await _client.Links.GetAsync(created.LinkId, _options, cancellationToken).ConfigureAwait(false);
            // The amount the link was made for, unless -Body sent another transfer, which the output must not misstate.
            if (CreateFields?.Contains("single_transfer") != true)
            {
                final.Amount = Amount;
                final.Currency = Currency;
                final.RemittanceInformation = options.RemittanceInformation;
            }
            var expired = scenario.Move == ScenarioMove.Expire;
            if (final.Status != scenario.Ending || (final.IsExpired == true) != expired)
                throw new InvalidOperationException($"{scenario.Name}: link {final.LinkId} ended {final.Status}{(final.IsExpired == true ? " (expired)" : "")}, not {scenario.Ending}{(expired ? " (expired)" : "")}.");
            return final;
        }

        private async Task<Consent> PlayConsentAsync(Story story, string? providerId, string webhookUrl, CancellationToken cancellationToken)
        {
            var scenario = story.Scenario;
            var options = new ConsentCreateOptions
            {
                WebhookUrl = webhookUrl, ProviderId = providerId == null ? null : new[] { providerId },
                ExpiresIn = scenario.Move == ScenarioMove.Expire ? SandboxScenario.ExpiresIn : (TimeSpan?)null,
                AdditionalProperties = CreateFields,
            };
            var created = await _client.Consents.CreateAsync(options, _options, cancellationToken).ConfigureAwait(false);
            story.Id = created.ConsentId;
            _say($"{scenario.Name}: created consent {created.ConsentId} through the API; its webhooks go to {webhookUrl}.");
            if (scenario.Move == ScenarioMove.Expire)
            {
                await MoveClockPastAsync(created.ExpiresAt, "consent's link", cancellationToken).ConfigureAwait(false);
                // The sandbox expires a consent when it is next read, as FinqLink's API shows it.
                await _client.Consents.GetAsync(created.ConsentId, _options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ApproveAsync("ApproveConsent", story, providerId, cancellationToken).ConfigureAwait(false);
                if (scenario.Move == ScenarioMove.ApproveThenRevoke)
                {
                    await story.UntilStatusAsync(_control, "active", cancellationToken).ConfigureAwait(false);
                    await _client.Consents.RevokeAsync(created.ConsentId, _options, cancellationToken).ConfigureAwait(false);
                    _say($"{scenario.Name}: revoked consent {created.ConsentId} through the API.");
                }
            }
            await story.UntilStatusAsync(_control, scenario.Ending, cancellationToken).ConfigureAwait(false);
            await story.UntilSettledAsync(_control, cancellationToken).ConfigureAwait(false);

            var final = await _client.Consents.GetAsync(created.ConsentId, _options, cancellationToken).ConfigureAwait(false);
            if (final.Status != scenario.Ending)
                throw new InvalidOperationException($"{scenario.Name}: consent {final.ConsentId} ended {final.Status}, not {scenario.Ending}.");
            return final;
        }

        /// <summary>The payer or account holder approves; the bank then walks the flow in the background, one webhook per step.</summary>
        private async Task ApproveAsync(string action, Story story, string? providerId, CancellationToken cancellationToken)
        {
            var body = new Hashtable();
            if (providerId != null) body["provider_id"] = providerId;
            if (story.Scenario.BankScenario != null) body["scenario"] = story.Scenario.BankScenario;
            await _control.SendAsync(SandboxActions.Find(action), story.Id, body, cancellationToken).ConfigureAwait(false);
            _say($"{story.Scenario.Name}: approved {(providerId == null ? "" : "at " + providerId + " ")}through the control API" +
                (story.Scenario.BankScenario == null ? "." : $"; the bank's scenario is {story.Scenario.BankScenario}."));
        }

        /// <summary>Moves the sandbox clock one second past <paramref name="expiresAt"/> (AdvanceClock), which every later read sees.</summary>
        private async Task MoveClockPastAsync(DateTimeOffset? expiresAt, string what, CancellationToken cancellationToken)
        {
            if (expiresAt is not DateTimeOffset expiry) throw new InvalidOperationException($"The sandbox did not say when the {what} expires.");
            var clock = await _control.SendAsync(SandboxActions.Find("GetClock"), null, null, cancellationToken).ConfigureAwait(false) as PlainObject;
            var now = DateTimeOffset.Parse(clock?["now"] as string ?? throw new InvalidOperationException("The sandbox clock did not say the time."), CultureInfo.InvariantCulture);
            var seconds = Math.Max(1, (long)Math.Ceiling((expiry - now).TotalSeconds) + 1);
            await _control.SendAsync(SandboxActions.Find("AdvanceClock"), null, new Hashtable { ["advance_seconds"] = seconds }, cancellationToken).ConfigureAwait(false);
            _say($"Moved the sandbox clock {seconds} s ahead, past the {what}'s expiry ({expiry:yyyy-MM-dd HH:mm:ss}Z).");
        }

        /// <summary>LinkPaid must end completed: a bank whose creditor bank confirms funds would go on to funds_received.</summary>
        private async Task<string> BankWithoutFundsConfirmationAsync(string? providerId, CancellationToken cancellationToken)
        {
            var settings = await _control.SendAsync(SandboxActions.Find("GetSettings"), null, null, cancellationToken).ConfigureAwait(false) as PlainObject;
            var confirming = (settings?["funds_confirmation_providers"] as object?[] ?? Array.Empty<object?>()).OfType<string>().ToList();
            if (providerId != null)
            {
                if (confirming.Contains(providerId))
                    throw new ArgumentException($"ProviderId: {providerId} confirms funds, so a paid link goes on to funds_received. Use -Trigger LinkFundsReceived, or another bank.");
                return providerId;
            }
            var providers = await _client.Providers.ListAsync(null, _options, cancellationToken).ConfigureAwait(false);
            return providers.Select(p => p.ProviderId).FirstOrDefault(p => !confirming.Contains(p))
                ?? throw new InvalidOperationException("Every sandbox bank confirms funds (funds_confirmation_providers), so no link can end completed.");
        }

        /// <summary>A story under way: its id, and what the delivery log said about it so far.</summary>
        private sealed class Story
        {
            private readonly List<SandboxWebhookDelivery> _webhooks = new List<SandboxWebhookDelivery>();
            private long _cursor;

            public Story(SandboxScenario scenario) => Scenario = scenario;

            public SandboxScenario Scenario { get; }
            public string? Id { get; set; }
            public string? LastStatus => _webhooks.OrderBy(w => w.DeliveryId).LastOrDefault()?.Status;

            /// <summary>Until a webhook that says <paramref name="status"/> was attempted.</summary>
            public async Task UntilStatusAsync(SandboxControlClient control, string status, CancellationToken cancellationToken)
            {
                while (!_webhooks.Any(w => w.Status == status)) await ReadAsync(control, LogWait, cancellationToken).ConfigureAwait(false);
            }

            /// <summary>Until every webhook about the object so far was attempted at least once.</summary>
            public async Task UntilSettledAsync(SandboxControlClient control, CancellationToken cancellationToken)
            {
                var wait = TimeSpan.Zero;
                while (await ReadAsync(control, wait, cancellationToken).ConfigureAwait(false) > 0) wait = LogWait;
            }

            public IReadOnlyList<SandboxWebhookDelivery> InSendingOrder() => _webhooks.OrderBy(w => w.DeliveryId).ThenBy(w => w.Attempt).ToList();

            /// <summary>Reads what the log has after the last read (waiting up to <paramref name="wait"/> for it); answers the deliveries still pending.</summary>
            private async Task<int> ReadAsync(SandboxControlClient control, TimeSpan wait, CancellationToken cancellationToken)
            {
                var page = await control.GetWebhookLogAsync(_cursor, Id, wait, cancellationToken).ConfigureAwait(false);
                _webhooks.AddRange(page.Entries);
                _cursor = page.Last;
                return page.Pending;
            }
        }
    }
}
