namespace FinqLink.Http
{
    public sealed class RequestOptions
    {
        public RequestKind Kind { get; set; } = RequestKind.Read;
        public IRequestLog? Log { get; set; }
        /// <summary>A bulk run's shared limiter; each HTTP attempt holds a slot while in flight.</summary>
        public AdaptiveConcurrencyLimiter? Limiter { get; set; }
    }
}
