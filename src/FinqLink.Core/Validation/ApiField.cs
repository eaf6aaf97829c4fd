using System;
using System.Collections.Generic;

namespace FinqLink.Validation
{
    /// <summary>A request field by its place in the API's JSON ("single_transfer.amount"), with its allowed values when the set is closed.</summary>
    public sealed class ApiField
    {
        public ApiField(string path, IReadOnlyList<string>? allowed = null)
        {
            Path = path;
            Allowed = allowed;
        }

        public string Path { get; }
        public IReadOnlyList<string>? Allowed { get; }

        public override string ToString() => Path;
    }
}
