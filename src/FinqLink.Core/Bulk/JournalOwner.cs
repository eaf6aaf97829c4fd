using System;
using FinqLink.Http;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The API client whose links a journal records: its address (base URI and test path) and client id, on a
    /// line of its own (key <see cref="Key"/>), written when a run first opens the journal. A run for another client or
    /// address is refused: the journal's links do not exist there (a sandbox's, say), so answering rows from it would hand
    /// out links that were never made, and creating them would mix two clients' links in one ledger.
    /// </summary>
    public sealed class JournalOwner
    {
        /// <summary>Not a row's key (rows are "ref:" and "body:"), so ledgers and reconciliation pass it by.</summary>
        public const string Key = "api:client";

        public JournalOwner(string api, string clientId)
        {
            Api = api;
            ClientId = clientId;
        }

        /// <summary>
        /// Where the API is: its base URI without user info (https://host), with /test in test mode. Not its version:
        /// v1 and v2 reach the same links.
        /// </summary>
        public string Api { get; }

        public string ClientId { get; }

        public static JournalOwner Of(FinqLinkClientOptions options) =>
            new JournalOwner(Redactor.RedactUrl(options.Paths.BaseUri).TrimEnd('/') + (options.Paths.UseTestPath ? "/test" : ""), options.ClientId);

        /// <summary>The owner an owner line names; null for any other line.</summary>
        internal static JournalOwner? From(JournalEntry entry) =>
            entry.Key == Key && entry.Api != null && entry.ClientId != null ? new JournalOwner(entry.Api, entry.ClientId) : null;

        internal JournalEntry ToEntry() => new JournalEntry { Key = Key, State = JournalState.Owner, Api = Api, ClientId = ClientId };

        public bool IsSameAs(JournalOwner other) =>
            string.Equals(Api, other.Api, StringComparison.OrdinalIgnoreCase) && string.Equals(ClientId, other.ClientId, StringComparison.Ordinal);

        public override string ToString() => $"client {ClientId} at {Api}";
    }

    /// <summary>A run was given the journal of another API client or address (<see cref="JournalOwner"/>).</summary>
    public sealed class JournalOfAnotherClientException : System.IO.IOException
    {
        public JournalOfAnotherClientException(string journal, JournalOwner recorded, JournalOwner session)
            : base($"The journal {journal} records the links of {recorded}; this session is {session}. Its rows' links do not exist there, so it answers no row of this run.")
        {
            Recorded = recorded;
            Session = session;
        }

        /// <summary>A journal that names no client, one of whose links this session's API does not have.</summary>
        public JournalOfAnotherClientException(string journal, string missingLinkId, JournalOwner session)
            : base($"The journal {journal} names no API client, and its link {missingLinkId} is not at this session's API ({session}): it records another API's links, so it answers no row of this run.")
        {
            Session = session;
        }

        /// <summary>The client the journal names; null for a journal that names none.</summary>
        public JournalOwner? Recorded { get; }
        public JournalOwner Session { get; }
    }
}
