namespace FinqLink.Http
{
    public enum RequestKind
    {
        /// <summary>Reads: safe to retry on 429, 5xx and transport faults.</summary>
        Read,
        /// <summary>Creates: retried only when the server certainly did nothing (429, a refused connection, 401 before a token refresh).</summary>
        Create,
        /// <summary>Changes that end in the same state however often they are sent (revoking a consent): retried like reads.</summary>
        IdempotentUpdate,
    }
}
