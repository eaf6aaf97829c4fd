using System;
using System.Collections.Generic;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Hosting;

/// <summary>The sandbox has no real security (its control API is open to whoever reaches it), so it listens on loopback unless told otherwise.</summary>
public static class ListenAddresses
{
    public static void Check(IEnumerable<string> urls, bool allowRemote)
    {
        foreach (var url in urls)
        {
            BindingAddress address;
            try { address = BindingAddress.Parse(url); }
            catch (FormatException) { throw new ArgumentException($"--urls: '{url}' is not a URL such as http://127.0.0.1:5080."); }
            if (!allowRemote && !IsLoopback(address.Host))
                throw new ArgumentException($"--urls: {url} is not a loopback address; add --allow-remote to listen on other interfaces (for example inside a container).");
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
