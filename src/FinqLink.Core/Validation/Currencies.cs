using System;
using System.Collections.Generic;

namespace FinqLink.Validation
{
    /// <summary>ISO 4217 codes and how many minor-unit digits each allows (most 2; the ones below 0 or 3).</summary>
    public static class Currencies
    {
        private static readonly HashSet<string> Codes = new HashSet<string>(
            ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP " +
             "CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR " +
             "ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN " +
             "MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD " +
             "SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL")
            .Split(' '), StringComparer.Ordinal);

        private static readonly HashSet<string> NoMinorUnits = new HashSet<string>(
            "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF".Split(' '), StringComparer.Ordinal);

        private static readonly HashSet<string> ThreeMinorDigits = new HashSet<string>("BHD IQD JOD KWD LYD OMR TND".Split(' '), StringComparer.Ordinal);

        public static IEnumerable<string> All => Codes;

        public static bool IsKnown(string code) => Codes.Contains(code);

        public static int MinorDigits(string code) => NoMinorUnits.Contains(code) ? 0 : ThreeMinorDigits.Contains(code) ? 3 : 2;
    }
}
