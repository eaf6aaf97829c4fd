using System;

namespace FinqLink.Validation
{
    /// <summary>Bad input caught before any request: names the field and the rule it breaks.</summary>
    public sealed class FinqLinkValidationException : ArgumentException
    {
        public FinqLinkValidationException(string field, string rule) : base($"{field}: {rule}")
        {
            Field = field;
            Rule = rule;
        }

        public string Field { get; }
        public string Rule { get; }
    }
}
