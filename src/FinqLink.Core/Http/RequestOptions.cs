namespace FinqLink.Http
{
    /// <summary>Per-call context a caller may add: where to log, and the shared limiter and clock of a bulk run.</summary>
    public sealed class RequestOptions
    {
        public static readonly RequestOptions None = new RequestOptions();

        public IRequestLog? Log { get; set; }
        /// <summary>A bulk run's shared limiter; each HTTP attempt holds a slot while in flight.</summary>
        public AdaptiveConcurrencyLimiter? Limiter { get; set; }
        /// <summary>Learns the server's clock from every answer's Date header.</summary>
        public ServerClock? ServerClock { get; set; }
        /// <summary>Counts 429 answers and retries.</summary>
        public RequestStats? Stats { get; set; }
    }
}
