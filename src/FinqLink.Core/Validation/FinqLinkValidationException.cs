using System;

namespace FinqLink.Validation
{
    /// <summary>Bad input caught before any request: names the API field and the rule it breaks.</summary>
    public sealed class FinqLinkValidationException : ArgumentException
    {
        public FinqLinkValidationException(ApiField field, string rule) : base($"{field.Path}: {rule}")
        {
            Field = field;
            Rule = rule;
        }

        public ApiField Field { get; }
        public string Rule { get; }
    }
}
