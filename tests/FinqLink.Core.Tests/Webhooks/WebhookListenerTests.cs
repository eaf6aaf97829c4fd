using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests.Webhooks;

/// <summary>The listener on a real loopback socket: duplicates, admission, strict parsing, and what a slow client can hold.</summary>
public sealed class WebhookListenerTests : ListenerTestBase
{
    [Fact]
    public async Task A_webhook_delivered_twice_is_marked_IsDuplicate_the_second_time()
    {
        var listener = Start();
        var duplicates = new List<bool>();
        Assert.Equal(204, await DeliverAndAcknowledge(listener, PostGenuine(listener, Body), duplicates));
        Assert.Equal(204, await DeliverAndAcknowledge(listener, PostGenuine(listener, Body), duplicates));
        var other = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("completed", "funds_received"));
        Assert.Equal(204, await DeliverAndAcknowledge(listener, PostGenuine(listener, other), duplicates));
        Assert.Equal(new[] { false, true, false }, duplicates);
        Assert.Equal(3, listener.Accepted);
    }

    [Fact]
    public async Task A_declined_webhook_is_not_a_duplicate_when_it_comes_again()
    {
        var listener = Start();
        var first = PostGenuine(listener, Body);
        (await Next(listener)).Decline();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await first).StatusCode);
        var duplicates = new List<bool>();
        Assert.Equal(204, await DeliverAndAcknowledge(listener, PostGenuine(listener, Body), duplicates));
        Assert.Equal(new[] { false }, duplicates);
    }

    [Fact]
    public async Task Behind_a_proxy_a_sender_outside_the_allowed_sources_gets_403_before_its_body_is_read()
    {
        var listener = Start(o => { o.AllowedSources = AddressList.Parse(new[] { "Production", "10.0.0.0/8" }); o.TrustedProxies = AddressList.Parse(new[] { "127.0.0.1" }); o.BodyTimeout = TimeSpan.FromMinutes(5); });
        // Headers announce a body that never comes: the answer can only come before the body is read.
        var answer = await Exchange(PortOf(listener), "POST / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.7\r\nContent-Length: 500\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403 ", answer);
        Assert.Equal(1, listener.Refused);
    }

    [Fact]
    public async Task XForwardedFor_is_believed_only_from_a_trusted_proxy()
    {
        var viaProxy = Start(o => { o.AllowedSources = AddressList.Parse(new[] { "Production" }); o.TrustedProxies = AddressList.Parse(new[] { "127.0.0.1" }); });
        Assert.Equal(204, await DeliverAndAcknowledge(viaProxy, PostGenuine(viaProxy, Body, "34.159.239.125")));
        Assert.Equal(HttpStatusCode.Forbidden, (await PostGenuine(viaProxy, Body, "34.159.239.125, 198.51.100.7")).StatusCode);

        // Without a trusted proxy the header is ignored and the loopback peer is closed at once, unanswered.
        var direct = Start(o => o.AllowedSources = AddressList.Parse(new[] { "Production" }));
        await Assert.ThrowsAsync<HttpRequestException>(() => PostGenuine(direct, Body, "34.159.239.125"));
        Assert.Equal(1, direct.Refused);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 405)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411)]
    [InlineData("POST / HTTP/1.1\r\nHost: x\r\n\r\n", 411)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400)]
    [InlineData("POST / HTTP/1.1\r\nx-signature: a\r\n  folded\r\nContent-Length: 2\r\n\r\n{}", 400)]
    [InlineData("POST http://elsewhere/ HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 400)]
    [InlineData("POST / HTTP/2.0\r\nContent-Length: 2\r\n\r\n{}", 400)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}POST / HTTP/1.1\r\n", 400)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413)]
    [InlineData("POST /other/ HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 404)]
    [InlineData("POST /hooks/ HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 401)]
    [InlineData("POST /hooks/\u001b]0;owned\u0007 HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}", 400)]
    public async Task What_a_webhook_sender_does_not_send_is_refused(string request, int status)
    {
        var listener = Start(o => o.Path = "/hooks/");
        var answer = await Exchange(PortOf(listener), request.Replace("POST / ", "POST /hooks/ ").Replace("GET / ", "GET /hooks/ "));
        Assert.StartsWith($"HTTP/1.1 {status} ", answer);
    }

    [Fact]
    public async Task Headers_longer_than_the_limit_are_refused()
    {
        var listener = Start(o => o.MaxHeaderBytes = 1024);
        var answer = await Exchange(PortOf(listener), "POST / HTTP/1.1\r\nx-padding: " + new string('a', 2000) + "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 431 ", answer);
    }

    [Fact]
    public async Task Slow_loris_sockets_are_closed_at_the_header_deadline_and_at_the_cap_while_a_genuine_webhook_is_answered()
    {
        var time = new FakeTimeProvider();
        var listener = Start(o => { o.Time = time; o.HeaderTimeout = TimeSpan.FromSeconds(10); o.MaxConnections = 3; });
        var loris = new List<NetworkStream>();
        for (var i = 0; i < 3; i++)
        {
            var stream = await Connect(PortOf(listener));
            await stream.WriteAsync(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\nx-sig"));
            loris.Add(stream);
            Assert.True(SpinWait.SpinUntil(() => listener.OpenConnections == i + 1, Generous), "the listener holds each loris");
        }

        // The cap is reached: a genuine webhook takes the place of the oldest loris and is answered.
        Assert.Equal(204, await DeliverAndAcknowledge(listener, PostGenuine(listener, Body)));
        Assert.True(await ClosedByServer(loris[0]), "the oldest loris was closed to make room");
        Assert.Equal(1, listener.Evicted);

        time.Advance(TimeSpan.FromSeconds(9)); // the genuine webhook's connection, answered, is closed after its drain
        Assert.True(SpinWait.SpinUntil(() => listener.OpenConnections == 2, Generous));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await ClosedByServer(loris[1]));
        Assert.True(await ClosedByServer(loris[2]));
        Assert.Equal(2, listener.TimedOut);
        Assert.Equal(0, listener.OpenConnections);
    }

    [Fact]
    public async Task A_body_that_stops_coming_is_closed_at_the_body_deadline()
    {
        // The header deadline is far off, so only the body's can close it before the generous wait ends.
        var listener = Start(o => { o.HeaderTimeout = TimeSpan.FromMinutes(5); o.BodyTimeout = TimeSpan.FromMilliseconds(300); });
        var stream = await Connect(PortOf(listener));
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"type\":"));
        Assert.True(await ClosedByServer(stream));
        Assert.Equal(1, listener.TimedOut);
    }
}
