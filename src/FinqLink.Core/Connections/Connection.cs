using System;
using FinqLink.Profiles;

namespace FinqLink.Connections
{
    /// <summary>A connection built from a request, not yet used: the client's options and what a session shows of it.</summary>
    public sealed class Connection
    {
        internal Connection(FinqLinkClientOptions options, string? signingKeyId, Uri? proxy, ConnectionProfile? profileToSave)
        {
            Options = options;
            SigningKeyId = signingKeyId;
            Proxy = proxy;
            ProfileToSave = profileToSave;
        }

        public FinqLinkClientOptions Options { get; }

        /// <summary>The kid of the key that signs the assertions, when the connection signs them.</summary>
        public string? SigningKeyId { get; }

        /// <summary>The proxy's address without its user and password: all that is ever shown of it.</summary>
        public Uri? Proxy { get; }

        /// <summary>The profile to write once the connection is proven (-SaveProfile); checked already, holds no secret.</summary>
        public ConnectionProfile? ProfileToSave { get; }
    }
}
