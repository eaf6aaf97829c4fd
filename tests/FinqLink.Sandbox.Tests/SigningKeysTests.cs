using System.Linq;
using FinqLink.Sandbox.Webhooks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The webhook signing keys are made when first needed; the kids still tell their order.</summary>
public sealed class SigningKeysTests
{
    [Fact]
    public void Keys_made_on_first_use_publish_the_second_as_current_and_the_first_as_previous()
    {
        var jwks = new SigningKeys().Jwks()["keys"]!.AsArray();
        Assert.Equal(["sandbox-002", "sandbox-001"], jwks.Select(k => ((string)k!["kid"]!)[..11]));
    }

    [Fact]
    public void A_rotation_before_any_other_use_follows_the_first_two_keys()
    {
        var keys = new SigningKeys();
        var rotated = keys.Rotate("ES256");
        Assert.StartsWith("sandbox-003-", rotated, System.StringComparison.Ordinal);
        var jwks = keys.Jwks()["keys"]!.AsArray();
        Assert.Equal([rotated, "sandbox-002"], jwks.Select(k => (string)k!["kid"]!).Select((kid, i) => i == 0 ? kid : kid[..11]));
        Assert.Equal(["ES256", "RS256"], jwks.Select(k => (string)k!["alg"]!));
    }
}
