using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests.Webhooks;

/// <summary>What cheap, slow or refused clients can hold of the listener's places, memory and pipeline.</summary>
public sealed class WebhookListenerLimitsTests : ListenerTestBase
{
    private static readonly TimeSpan Far = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task An_answered_connection_counts_until_closed_and_is_the_first_closed_at_the_cap()
    {
        var time = new FakeTimeProvider();
        var listener = Start(o => { o.Time = time; o.HeaderTimeout = Far; o.BodyTimeout = Far; o.MaxConnections = 2; });
        var refused = await Connect(PortOf(listener));
        await refused.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 405 ", await ReadAnswer(refused));
        Assert.True(SpinWait.SpinUntil(() => listener.OpenConnections == 1, Generous), "answered, it still counts while it drains");

        var loris = await Connect(PortOf(listener));
        await loris.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n"));
        Assert.True(SpinWait.SpinUntil(() => listener.OpenConnections == 2, Generous));
        Assert.Equal(204, await DeliverAndAcknowledge(listener, PostGenuine(listener, Body)));
        Assert.True(await ClosedByServer(refused), "the draining connection made room");

        await loris.WriteAsync(Encoding.ASCII.GetBytes("Host: x\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 405 ", await ReadAnswer(loris)); // the one sending its headers kept its place
        Assert.Equal(1, listener.Evicted);
    }

    [Fact]
    public async Task Connections_trickling_a_large_body_make_room_for_a_genuine_webhook()
    {
        var listener = Start(o => { o.HeaderTimeout = Far; o.BodyTimeout = Far; o.MaxConnections = 2; });
        var trickles = new NetworkStream[2];
        for (var i = 0; i < trickles.Length; i++)
        {
            trickles[i] = await Connect(PortOf(listener));
            await trickles[i].WriteAsync(Encoding.ASCII.GetBytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n{\"a\":"));
            // Counted before the next connects: connections are counted as they are taken, so the order is theirs.
            var counted = i + 1;
            Assert.True(SpinWait.SpinUntil(() => listener.OpenIn(ConnectionPhase.Body) == counted, Generous), "each sends its body");
        }

        Assert.Equal(204, await DeliverAndAcknowledge(listener, PostGenuine(listener, Body)));
        Assert.True(await ClosedByServer(trickles[0]), "the oldest body was closed to make room");
        Assert.Equal(1, listener.Evicted);
    }

    [Fact]
    public async Task A_body_buffer_grows_with_the_bytes_that_arrive_not_with_the_announced_length()
    {
        var offered = new System.Collections.Generic.List<int>();
        var body = new byte[100_000];
        new Random(7).NextBytes(body);
        using var stream = new RecordingStream(body, offered);
        var read = await RequestBody.ReadAsync(stream, new byte[] { 1, 2 }, body.Length + 2, CancellationToken.None);
        Assert.Equal(body.Length + 2, read.Length);
        Assert.Equal(body, read[2..]);
        Assert.True(offered[0] <= RequestBody.FirstBufferBytes, $"the first read offered {offered[0]} bytes of room");
    }

    [Fact]
    public async Task Without_a_trusted_proxy_a_refused_sender_is_closed_at_accept_without_taking_a_place()
    {
        var listener = Start(o => { o.AllowedSources = AddressList.Parse(new[] { "Production" }); o.HeaderTimeout = Far; o.MaxConnections = 1; });
        var stream = await Connect(PortOf(listener)); // sends nothing: only the accept-time check can close it
        Assert.True(await ClosedByServer(stream));
        Assert.Equal(1, listener.Refused);
        Assert.Equal(0, listener.Evicted);
    }

    [Fact]
    public async Task Verified_webhooks_the_pipeline_does_not_take_are_answered_503_beyond_the_bound()
    {
        var time = new FakeTimeProvider();
        var listener = Start(o => { o.Time = time; o.MaxWaitingWebhooks = 1; o.PipelineTimeout = TimeSpan.FromSeconds(30); });
        var first = PostGenuine(listener, Body);
        Assert.True(SpinWait.SpinUntil(() => listener.WaitingWebhooks == 1, Generous));
        using (var second = await PostGenuine(listener, Body)) Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode); // a replay beyond the bound

        time.Advance(TimeSpan.FromSeconds(30));
        using (var answer = await first) Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode); // waited too long
        Assert.Equal(0, listener.WaitingWebhooks);
        Assert.Equal(2, listener.Deferred);

        var other = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("completed", "funds_received"));
        var third = PostGenuine(listener, other);
        var received = await Next(listener);
        Assert.Equal("funds_received", received.Event.Status); // the expired one is not handed on
        received.Acknowledge();
        using (var answer = await third) Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
    }

    [Fact]
    public async Task A_forwarding_url_is_shown_without_its_password_or_query()
    {
        var listener = Start(forwardTo: new Uri("http://relay:s3cret@127.0.0.1:1/hook?token=t0ken"));
        var post = PostGenuine(listener, Body);
        var received = await Next(listener);
        received.Acknowledge();
        (await post).Dispose();
        Assert.StartsWith("POST http://127.0.0.1:1/hook failed", received.Forwarded);
        Assert.DoesNotContain("s3cret", received.Forwarded);
        Assert.DoesNotContain("t0ken", received.Forwarded);
    }

    [Fact]
    public void A_refusal_made_with_the_standard_constructors_answers_400_never_0()
    {
        Assert.Equal(400, new HttpRefusalException().Status);
        Assert.Equal(400, new HttpRefusalException("bad").Status);
        Assert.Equal(400, new HttpRefusalException("bad", new IOException()).Status);
    }

    /// <summary>Reads until the blank line after the status line and headers, without waiting for the close.</summary>
    private static async Task<string> ReadAnswer(NetworkStream stream)
    {
        using var deadline = new CancellationTokenSource(Generous);
        var answer = new StringBuilder();
        var buffer = new byte[1024];
        while (!answer.ToString().Contains("\r\n\r\n"))
        {
            var read = await stream.ReadAsync(buffer, deadline.Token);
            if (read == 0) break;
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }
        return answer.ToString();
    }

    /// <summary>Hands out a body a little at a time and records how much room each read offered.</summary>
    private sealed class RecordingStream(byte[] data, System.Collections.Generic.List<int> offered) : MemoryStream(data)
    {
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            offered.Add(count);
            return base.ReadAsync(buffer, offset, Math.Min(count, 4096), cancellationToken);
        }
    }
}
