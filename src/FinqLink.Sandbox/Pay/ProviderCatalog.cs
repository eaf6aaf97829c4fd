using System;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.Sandbox.Pay;

public sealed record PaymentMethod(string Id, string ProviderId, string[] RemitterTypes, string PaymentScheme, string Env);

public sealed record AisMethod(string Id, string ProviderId, string[] AccountOwnerTypes, string InterfaceType, string InterfaceEnv);

/// <summary>One field of a bank's login: its form name, the words a payer sees, and the sandbox's test value.</summary>
public sealed record Credential(string Field, string Label, string TestValue, bool IsSecret = false);

/// <summary>A bank the sandbox imitates, with the login the docs publish for it (the first credential is the one a person identifies with).</summary>
public sealed record Provider(
    string ProviderId, string Name, string Bic, IReadOnlyList<PaymentMethod> PaymentMethods,
    IReadOnlyList<AisMethod> AisMethods, IReadOnlyList<Credential> Credentials, string AccountIban)
{
    public Credential Login => Credentials[0];
}

/// <summary>The sandbox providers: the docs' rzb_ro, bt_ro and cec_ro, plus libra_ro (funds_* statuses).</summary>
public static class ProviderCatalog
{
    public static readonly IReadOnlyList<Provider> All = new[]
    {
        new Provider("rzb_ro", "Raiffeisen Bank", "RZBRROBU",
            new[]
            {
                new PaymentMethod("rzb_ro_instant_retail", "rzb_ro", new[] { "retail" }, "instant", "sandbox"),
                new PaymentMethod("rzb_ro_domestic_corporate", "rzb_ro", new[] { "corporate" }, "domestic", "sandbox"),
            },
            new[] { new AisMethod("rzb_ro_ais", "rzb_ro", new[] { "retail", "corporate" }, "berlin_group", "sandbox") },
            new[] { new Credential("psu_id", "Customer ID", "9999999998") },
            "RO03RZBR0000069999999999"),
        new Provider("bt_ro", "Banca Transilvania", "BTRLRO22",
            new[] { new PaymentMethod("bt_ro_instant", "bt_ro", new[] { "retail", "corporate" }, "instant", "sandbox") },
            new[] { new AisMethod("bt_ro_ais", "bt_ro", new[] { "retail" }, "berlin_group", "sandbox") },
            new[] { User("testbt"), Password("testbt"), new Credential("pin", "PIN", "1234567", IsSecret: true) },
            "RO24BTRLRONCRT0000000001"),
        new Provider("cec_ro", "CEC Bank", "CECEROBU",
            new[] { new PaymentMethod("cec_ro_domestic", "cec_ro", new[] { "retail" }, "domestic", "sandbox") },
            new[] { new AisMethod("cec_ro_ais", "cec_ro", new[] { "retail" }, "custom", "sandbox") },
            new[] { User("testcecapi"), Password("testcecapi") },
            "RO42CECEAG0202RON0007466"),
        new Provider("libra_ro", "Libra Internet Bank", "BRELROBU",
            new[] { new PaymentMethod("libra_ro_sepa", "libra_ro", new[] { "retail", "corporate" }, "SEPA", "sandbox") },
            new[] { new AisMethod("libra_ro_ais", "libra_ro", new[] { "corporate" }, "berlin_group", "stage") },
            new[] { User("testlibra"), Password("testlibra") },
            "RO47BREL0005000000000001"),
    };

    public static Provider? Find(string providerId) => All.FirstOrDefault(p => p.ProviderId == providerId);

    public static bool CredentialsMatch(Provider provider, IReadOnlyDictionary<string, string?> entered) =>
        provider.Credentials.All(c => entered.TryGetValue(c.Field, out var value) && string.Equals(value?.Trim(), c.TestValue, StringComparison.Ordinal));

    private static Credential User(string value) => new("username", "User name", value);

    private static Credential Password(string value) => new("password", "Password", value, IsSecret: true);
}
