using System.Threading;

namespace FinqLink.Sandbox.Infrastructure;

/// <summary>What really happened, for tests that check "nothing created twice".</summary>
public sealed class Counters
{
    private long _requests, _linksCreated, _duplicateLinks, _consentsCreated, _jobsCreated, _faultsInjected, _tokensIssued;

    public long Requests => Interlocked.Read(ref _requests);
    public long LinksCreated => Interlocked.Read(ref _linksCreated);
    /// <summary>Links created with a single_transfer identical to an earlier one of the same client.</summary>
    public long DuplicateLinks => Interlocked.Read(ref _duplicateLinks);
    public long ConsentsCreated => Interlocked.Read(ref _consentsCreated);
    public long JobsCreated => Interlocked.Read(ref _jobsCreated);
    public long FaultsInjected => Interlocked.Read(ref _faultsInjected);
    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    public void Request() => Interlocked.Increment(ref _requests);
    public void LinkCreated(bool duplicate)
    {
        Interlocked.Increment(ref _linksCreated);
        if (duplicate) Interlocked.Increment(ref _duplicateLinks);
    }
    public void ConsentCreated() => Interlocked.Increment(ref _consentsCreated);
    public void JobCreated() => Interlocked.Increment(ref _jobsCreated);
    public void FaultInjected() => Interlocked.Increment(ref _faultsInjected);
    public void TokenIssued() => Interlocked.Increment(ref _tokensIssued);
}
