using System.Collections.Generic;

namespace FinqLink.Sandbox.Auth;

/// <summary>An API client the sandbox knows: its secret, its OAuth2 public keys and its tracking rules.</summary>
public sealed class RegisteredClient
{
    public required string ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public string AppName { get; init; } = "sandbox-app";
    public List<ClientPublicKey> PublicKeys { get; init; } = new();
    /// <summary>Tracking fields this client must send on links/create and consents/create (401 otherwise).</summary>
    public List<string> RequiredTracking { get; init; } = new();
}
