using System.Collections;

namespace FinqLink.Bench;

public static class Items
{
    /// <summary>Reads a sequence to its end in compiled code: how fast Core alone delivers items, without a pipeline.</summary>
    public static long Count(IEnumerable items)
    {
        long count = 0;
        foreach (var _ in items) count++;
        return count;
    }
}
