using System.Runtime.CompilerServices;

namespace FinqLink.Json
{
    internal static class HotPath
    {
        /// <summary>
        /// MethodImplOptions.AggressiveOptimization (netstandard2.0 lacks the name): the method is compiled optimised on its
        /// first call. A first listing then runs its per-item code at full speed instead of unoptimised while the runtime
        /// tiers it up, which on two cores costs more than the listing itself.
        /// </summary>
        public const MethodImplOptions Optimized = (MethodImplOptions)512;
    }
}
