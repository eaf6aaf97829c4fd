using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Sandbox.Webhooks;

/// <summary>One HTTP attempt at a webhook delivery: when, how long, and what the receiver answered.</summary>
public sealed record WebhookAttempt(long Seq, WebhookDelivery Delivery, int Attempt, DateTimeOffset At, TimeSpan Duration, int? HttpStatus, string? Error);

/// <summary>
/// The delivery log in the order attempts ended, each with a sequence number a reader resumes after (the control API's
/// tail). A reader may wait for the next attempt instead of polling.
/// </summary>
public sealed class WebhookLog
{
    private readonly object _gate = new();
    private readonly List<WebhookAttempt> _attempts = new();
    private TaskCompletionSource _next = NewSignal();

    public long Last
    {
        get { lock (_gate) return _attempts.Count; }
    }

    public WebhookAttempt Add(WebhookDelivery delivery, int attempt, DateTimeOffset at, TimeSpan duration, int? httpStatus, string? error)
    {
        TaskCompletionSource signal;
        WebhookAttempt entry;
        lock (_gate)
        {
            entry = new WebhookAttempt(_attempts.Count + 1, delivery, attempt, at, duration, httpStatus, error);
            _attempts.Add(entry);
            delivery.LoggedAttempts = attempt;
            signal = _next;
            _next = NewSignal();
        }
        signal.TrySetResult();
        return entry;
    }

    /// <summary>The attempts numbered after <paramref name="after"/> and up to <paramref name="upTo"/> that <paramref name="match"/> accepts, oldest first.</summary>
    public IReadOnlyList<WebhookAttempt> Between(long after, long upTo, Func<WebhookDelivery, bool> match)
    {
        lock (_gate)
        {
            var from = (int)Math.Clamp(after, 0, _attempts.Count);
            var to = (int)Math.Clamp(upTo, from, _attempts.Count);
            return _attempts.GetRange(from, to - from).Where(a => match(a.Delivery)).ToList();
        }
    }

    /// <summary>Waits until an attempt after <paramref name="after"/> matches, <paramref name="wait"/> passes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task WaitAsync(long after, Func<WebhookDelivery, bool> match, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        while (true)
        {
            Task next;
            lock (_gate) next = _next.Task;
            if (Between(after, long.MaxValue, match).Count > 0) return;
            try { await next.WaitAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
