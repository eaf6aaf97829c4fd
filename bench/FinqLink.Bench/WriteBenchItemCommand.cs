using System.Management.Automation;

namespace FinqLink.Bench;

/// <summary>
/// Writes one ready-made object <c>-Count</c> times: the cost PowerShell itself charges per item between a compiled
/// producer and the next command, which no module can go below.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "BenchItem")]
public sealed class WriteBenchItemCommand : PSCmdlet
{
    [Parameter(Mandatory = true)]
    public long Count { get; set; }

    [Parameter(Mandatory = true)]
    public object Item { get; set; } = null!;

    protected override void EndProcessing()
    {
        for (long i = 0; i < Count; i++) WriteObject(Item);
    }
}
