using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>Admission alone: how many rows are taken ahead, how many are in flight, and when the run stops.</summary>
public sealed class AdmissionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Rows_are_taken_twice_the_throttle_ahead_and_a_place_is_given_back_once()
    {
        using var admission = new Admission(throttleLimit: 3, maxConsecutiveTransportFailures: 10);
        var places = new List<IDisposable>();
        for (var i = 0; i < 6; i++) places.Add(await admission.TakeRowAsync(CancellationToken.None).WaitAsync(Deadline));
        var seventh = admission.TakeRowAsync(CancellationToken.None);
        Assert.False(seventh.IsCompleted, "a seventh row was taken at a throttle limit of 3");

        places[0].Dispose();
        places[0].Dispose();                  // a second give-back must not make room for two
        await seventh.WaitAsync(Deadline);
        Assert.False(admission.TakeRowAsync(CancellationToken.None).IsCompleted, "one place given back twice let two rows in");
    }

    [Fact]
    public async Task With_a_journal_rows_are_taken_four_times_the_throttle_ahead()
    {
        // Rows waiting for their journal entry to be on disk hold places too: the requests must not run dry meanwhile.
        using var admission = new Admission(throttleLimit: 3, maxConsecutiveTransportFailures: 10, journaled: true);
        for (var i = 0; i < 12; i++) await admission.TakeRowAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.False(admission.TakeRowAsync(CancellationToken.None).IsCompleted, "a thirteenth row was taken at a throttle limit of 3");
    }

    [Fact]
    public async Task At_most_the_throttle_limit_are_in_flight_and_the_peak_is_counted()
    {
        using var admission = new Admission(throttleLimit: 2, maxConsecutiveTransportFailures: 10);
        var first = await admission.EnterFlightAsync(CancellationToken.None).WaitAsync(Deadline);
        var second = await admission.EnterFlightAsync(CancellationToken.None).WaitAsync(Deadline);
        var third = admission.EnterFlightAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        first.Dispose();
        (await third.WaitAsync(Deadline)).Dispose();
        second.Dispose();
        Assert.Equal(2, admission.PeakInFlight);
    }

    [Fact]
    public async Task Consecutive_unreachable_requests_stop_the_run_and_a_reached_one_resets_the_count()
    {
        var stops = new List<string>();
        using var admission = new Admission(throttleLimit: 1, maxConsecutiveTransportFailures: 3, stops.Add);
        admission.Reached(false);
        admission.Reached(false);
        admission.Reached(true);
        admission.Reached(false);
        admission.Reached(false);
        Assert.Null(admission.StopReason);
        admission.Reached(false);
        Assert.Contains("3 rows in a row could not reach the API", admission.StopReason);
        admission.Stop("a later reason");
        Assert.Equal(new[] { admission.StopReason }, stops);     // told once, and the first reason stays

        // A row waiting for its turn is refused once the run has stopped, and gives its place in flight back.
        await Assert.ThrowsAsync<RunStoppedException>(() => admission.EnterFlightAsync(CancellationToken.None).WaitAsync(Deadline));
        await Assert.ThrowsAsync<RunStoppedException>(() => admission.EnterFlightAsync(CancellationToken.None).WaitAsync(Deadline));
    }
}
