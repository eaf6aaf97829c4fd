using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>
/// Tests that measure what a component keeps in memory run in this collection: alone, after the parallel tests, so the
/// memory a test measures is its component's, not another test's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "Measures memory";
}
