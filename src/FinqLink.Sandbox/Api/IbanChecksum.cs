namespace FinqLink.Sandbox.Api;

public static class IbanChecksum
{
    /// <summary>ISO 13616: move the first four characters to the end, letters to numbers, mod 97 must be 1.</summary>
    public static bool IsValid(string iban)
    {
        if (iban.Length < 15 || iban.Length > 34) return false;
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            if (c >= '0' && c <= '9') remainder = (remainder * 10 + (c - '0')) % 97;
            else if (c >= 'A' && c <= 'Z') remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
            else return false;
        }
        return char.IsLetter(iban[0]) && char.IsLetter(iban[1]) && remainder == 1;
    }
}
