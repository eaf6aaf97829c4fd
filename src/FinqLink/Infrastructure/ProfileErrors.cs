using System.Management.Automation;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Profile failures as ErrorRecords: FinqLink.Profile.NotFound, .Invalid or .Unavailable, with the profile's name as target.</summary>
    internal static class ProfileErrors
    {
        public static ErrorRecord Record(ConnectionProfileException e, string? name) =>
            new ErrorRecord(e, "FinqLink.Profile." + e.Error, e.Error switch
            {
                ConnectionProfileError.NotFound => ErrorCategory.ObjectNotFound,
                ConnectionProfileError.Unavailable => ErrorCategory.ResourceUnavailable,
                _ => ErrorCategory.InvalidData,
            }, name);
    }
}
