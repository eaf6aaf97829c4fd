using System;
using System.Threading;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Infrastructure;

/// <summary>What every stateful API service of the sandbox shares.</summary>
public sealed record SandboxContext(
    IdGenerator Ids, TimeProvider Time, Counters Counters, WebhookSender Webhooks, SandboxSettings Settings, CancellationToken Stopping);
