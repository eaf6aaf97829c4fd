using System.Linq;
using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>The saved connection profiles (Connect-FinqLink -SaveProfile), all or by name; they hold no secret.</summary>
    [Cmdlet(VerbsCommon.Get, "FinqConnectionProfile")]
    [OutputType(typeof(ConnectionProfile))]
    public sealed class GetFinqConnectionProfileCommand : PSCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var store = new ConnectionProfileStore();
            var names = store.Names();
            foreach (var pattern in Name ?? new[] { "*" })
            {
                var matching = WildcardPattern.ContainsWildcardCharacters(pattern)
                    ? names.Where(n => new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch(n)).ToList()
                    : names.Where(n => n == pattern).ToList();
                if (matching.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    WriteError(ProfileErrors.Record(store.NotFound(pattern), pattern));
                    continue;
                }
                foreach (var name in matching)
                {
                    try { WriteObject(store.Read(name)); }
                    catch (ConnectionProfileException e) { WriteError(ProfileErrors.Record(e, name)); }
                }
            }
        }
    }
}
