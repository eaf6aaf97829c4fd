namespace FinqLink.Http
{
    /// <summary>Where the client reports each request: a line for -Verbose, redacted bodies for -Debug.</summary>
    public interface IRequestLog
    {
        void Verbose(string line);
        /// <summary>Something the user should know although nothing failed (a bulk run shares an expiry lane, say).</summary>
        void Warning(string line);
        void Debug(string line);
        /// <summary>False when nobody reads -Verbose: a line built per request would be built for nothing.</summary>
        bool VerboseEnabled { get; }
        bool DebugEnabled { get; }
    }
}
