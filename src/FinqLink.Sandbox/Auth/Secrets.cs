using System.Security.Cryptography;
using System.Text;

namespace FinqLink.Sandbox.Auth;

public static class Secrets
{
    /// <summary>Compares a presented secret with the registered one in time that does not depend on where they differ.</summary>
    public static bool FixedTimeEquals(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
