using System.Net;
using System.Net.Sockets;
using Cimaa.Faults;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Core.Tests;

/// <summary>What a retry's warning says: throttling keeps zc.cimaa's text; a 5xx or a network failure names the cause and the endpoint.</summary>
public class RetryWarningTests
{
    private const string Waiting = @"; waiting [0-9]+(\.[0-9]{1,3})? seconds$";

    /// <summary>A loopback port that nothing listens on: connections to it are refused.</summary>
    private static int RefusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static ConnectionSettings Settings(Uri? endpoint, string region = "us-east-1", object? factory = null, int reads = 3) =>
        TestStores.Dynamo(httpFactory: factory, reads: reads) with { EndpointUrl = endpoint, Region = region, RequestTimeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_refused_connection_names_the_endpoint_and_the_cause_and_the_final_error_says_it_too()
    {
        var port = RefusedPort();
        await using var store = StoreFactory.Open(Settings(new Uri($"http://127.0.0.1:{port}")));
        var log = new RecordingLog();
        var e = await Assert.ThrowsAsync<CimaaException>(async () =>
            await store.Faults.GetAsync(new FaultQuery(["web1"]), log.Context).ToListAsync());
        Assert.Equal(2, log.Warnings.Count);
        Assert.All(log.Warnings, w => Assert.Matches($@"^cannot reach DynamoDB at http://127\.0\.0\.1:{port} \(connection refused\){Waiting}", w));
        Assert.Equal(ErrorIds.DynamoDbUnavailable, e.ErrorId);
        Assert.Equal($"error reading dynamodb in 3 tries: cannot reach DynamoDB at http://127.0.0.1:{port} (connection refused)", e.Message);
    }

    [Fact]
    public async Task A_5xx_answer_names_the_endpoint_the_status_and_the_error_code()
    {
        var factory = new FaultInjectingFactory();
        await using var store = await TestStores.OpenInitialized(TestStores.Dynamo(httpFactory: factory));
        factory.Handler.ServerErrorNext(2);
        var log = new RecordingLog();
        Assert.Empty(await store.Faults.GetAsync(new FaultQuery(["web1"]), log.Context).ToListAsync());
        var endpoint = DynaliteServer.Shared.Endpoint.ToString().TrimEnd('/');
        Assert.Equal(2, log.Warnings.Count);
        Assert.All(log.Warnings, w => Assert.Matches($@"^DynamoDB at {Regex(endpoint)} answered 500 \(InternalServerError\){Waiting}", w));
    }

    [Fact]
    public async Task Throttling_keeps_the_zc_cimaa_text()
    {
        var factory = new FaultInjectingFactory();
        await using var store = await TestStores.OpenInitialized(TestStores.Dynamo(httpFactory: factory));
        factory.Handler.ThrottleNext(1);
        var log = new RecordingLog();
        await store.Faults.GetAsync(new FaultQuery(["web1"]), log.Context).ToListAsync();
        Assert.Matches($"^exceeded provisioned throughput{Waiting}", Assert.Single(log.Warnings));
    }

    [Theory]
    [InlineData("eu-west-1", "https://dynamodb.eu-west-1.amazonaws.com")]
    [InlineData("cn-north-1", "https://dynamodb.cn-north-1.amazonaws.com.cn")]
    public async Task Without_an_endpoint_url_the_warning_names_the_regional_endpoint(string region, string expected)
    {
        // The handler refuses every request itself, so nothing leaves this machine.
        var factory = new FaultInjectingFactory();
        factory.Handler.RefuseAll = true;
        await using var store = StoreFactory.Open(Settings(null, region, factory, reads: 2));
        var log = new RecordingLog();
        await Assert.ThrowsAsync<CimaaException>(async () =>
            await store.Faults.GetAsync(new FaultQuery(["web1"]), log.Context).ToListAsync());
        Assert.Matches($@"^cannot reach DynamoDB at {Regex(expected)} \(connection refused\){Waiting}", Assert.Single(log.Warnings));
    }

    [Fact]
    public async Task User_info_in_the_endpoint_url_is_never_shown()
    {
        var port = RefusedPort();
        await using var store = StoreFactory.Open(Settings(new Uri($"http://user:hunter2@127.0.0.1:{port}"), reads: 2));
        var log = new RecordingLog();
        var e = await Assert.ThrowsAsync<CimaaException>(async () =>
            await store.Faults.GetAsync(new FaultQuery(["web1"]), log.Context).ToListAsync());
        var warning = Assert.Single(log.Warnings);
        Assert.StartsWith($"cannot reach DynamoDB at http://127.0.0.1:{port} (", warning);
        Assert.DoesNotContain("hunter2", warning + e.Message);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
