using System;
using System.Net;
using FinqLink.Webhooks;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FinqLink.Core.Tests.Webhooks;

/// <summary>Who may send webhooks (addresses, ranges, presets, X-Forwarded-For) and which bodies were taken before.</summary>
public sealed class WebhookAdmissionTests
{
    private static AddressList List(params string[] texts) => AddressList.Parse(texts);

    [Theory]
    [InlineData("34.89.170.122", "34.89.170.122", true)]
    [InlineData("34.89.170.122", "34.89.170.123", false)]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.130/25", "192.168.1.200", true)]
    [InlineData("192.168.1.130/25", "192.168.1.127", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("10.0.0.0/8", "2001:db8::1", false)]
    [InlineData("Test", "34.89.170.122", true)]
    [InlineData("production", "34.159.239.125", true)]
    [InlineData("Production", "34.89.170.122", false)]
    public void Addresses_ranges_and_presets_match_what_they_name(string range, string address, bool matches) =>
        Assert.Equal(matches, AddressRange.Parse(range).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("34.89.170")]
    [InlineData("034.089.170.122")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("finqlink.example")]
    [InlineData("Staging")]
    public void Anything_else_is_refused_with_what_is_accepted(string text)
    {
        var e = Assert.Throws<FormatException>(() => AddressRange.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }

    [Fact]
    public void XForwardedFor_is_ignored_unless_the_peer_is_a_trusted_proxy()
    {
        var peer = IPAddress.Parse("203.0.113.9");
        Assert.Equal(peer, ClientAddress.Resolve(peer, "34.159.239.125", List()));
        Assert.Equal(peer, ClientAddress.Resolve(peer, "34.159.239.125", List("10.0.0.0/8")));
    }

    [Fact]
    public void From_trusted_proxies_the_rightmost_untrusted_hop_is_the_sender()
    {
        var proxy = IPAddress.Parse("10.0.0.5");
        var proxies = List("10.0.0.0/8");
        Assert.Equal(IPAddress.Parse("34.159.239.125"), ClientAddress.Resolve(proxy, "34.159.239.125", proxies));
        // A sender that writes its own X-Forwarded-For only adds entries to the left of what the proxy appended.
        Assert.Equal(IPAddress.Parse("198.51.100.7"), ClientAddress.Resolve(proxy, "34.159.239.125, 198.51.100.7", proxies));
        Assert.Equal(IPAddress.Parse("34.159.239.125"), ClientAddress.Resolve(proxy, "34.159.239.125, 10.1.1.1", proxies)); // a chain of trusted proxies
        Assert.Equal(IPAddress.Parse("2001:db8::1"), ClientAddress.Resolve(proxy, "[2001:db8::1]:443", proxies));
        Assert.Equal(IPAddress.Parse("34.159.239.125"), ClientAddress.Resolve(proxy, "34.159.239.125:5123", proxies));
        Assert.Equal(proxy, ClientAddress.Resolve(proxy, null, proxies)); // without the header, the proxy itself sent it
        Assert.Null(ClientAddress.Resolve(proxy, "unknown", proxies));
        Assert.Null(ClientAddress.Resolve(proxy, "34.159.239", proxies));
        Assert.Equal(IPAddress.Parse("127.0.0.1"), ClientAddress.Resolve(IPAddress.Parse("::ffff:127.0.0.1"), null, List("127.0.0.1")));
    }

    [Fact]
    public void A_body_is_a_duplicate_within_the_window_and_not_after_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero));
        var window = new DuplicateWindow(TimeSpan.FromMinutes(10), 100, time);
        var digest = DuplicateWindow.Digest("{\"status\":\"completed\"}"u8.ToArray());
        Assert.False(window.WasTaken(digest));
        window.RememberTaken(digest);
        Assert.True(window.WasTaken(digest));
        Assert.False(window.WasTaken(DuplicateWindow.Digest("{\"status\":\"completed\" }"u8.ToArray())), "one byte more is another body");
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.True(window.WasTaken(digest));
        window.RememberTaken(digest);
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.True(window.WasTaken(digest), "taking it again restarts its window");
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(window.WasTaken(digest));
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public void The_window_holds_at_most_its_capacity_and_forgets_the_oldest_first()
    {
        var time = new FakeTimeProvider();
        var window = new DuplicateWindow(TimeSpan.FromDays(1), 3, time);
        for (var i = 0; i < 5; i++)
        {
            window.RememberTaken($"body-{i}");
            time.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(3, window.Count);
        Assert.False(window.WasTaken("body-1"));
        Assert.True(window.WasTaken("body-2"));
        Assert.True(window.WasTaken("body-4"));
    }

    [Fact]
    public void A_zero_window_remembers_nothing()
    {
        var window = new DuplicateWindow(TimeSpan.Zero, 10);
        window.RememberTaken("body");
        Assert.False(window.WasTaken("body"));
    }
}
