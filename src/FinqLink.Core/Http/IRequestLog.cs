namespace FinqLink.Http
{
    /// <summary>Where the client reports each request: a line for -Verbose, redacted bodies for -Debug.</summary>
    public interface IRequestLog
    {
        void Verbose(string line);
        void Debug(string line);
        bool DebugEnabled { get; }
    }
}
