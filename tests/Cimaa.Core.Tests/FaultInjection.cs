using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace Cimaa.Core.Tests;

/// <summary>
/// An SDK HttpClientFactory whose handler can answer with throttling errors or HTTP 500, refuse connections, or forward a
/// BatchWriteItem with only part of its items and report the rest as UnprocessedItems, as real DynamoDB does under load.
/// </summary>
public sealed class FaultInjectingFactory : HttpClientFactory
{
    public FaultInjectingHandler Handler { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(Handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
}

public sealed class FaultInjectingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Random _random = new(42);
    private readonly object _gate = new();
    private int _throttleNext;
    private int _serverErrorNext;

    /// <summary>Answer the next N requests with a throttling error.</summary>
    public void ThrottleNext(int count) => Interlocked.Exchange(ref _throttleNext, count);

    /// <summary>Answer the next N requests with HTTP 500 InternalServerError.</summary>
    public void ServerErrorNext(int count) => Interlocked.Exchange(ref _serverErrorNext, count);

    /// <summary>Fail every request as a refused connection would, without sending it.</summary>
    public bool RefuseAll { get; set; }

    /// <summary>Throttle every request.</summary>
    public bool ThrottleAll { get; set; }

    /// <summary>Fraction of requests (0..1) answered with a throttling error.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>Fraction of BatchWriteItem requests that process only part of their items.</summary>
    public double PartialBatchRate { get; set; }

    /// <summary>A partial batch processes the last items and reports the first ones unprocessed (default: the other way round).</summary>
    public bool PartialBatchKeepsTail { get; set; }

    /// <summary>When set, every request's operation (the X-Amz-Target's last part) and JSON body, in the order they were sent.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Operation, JsonNode Body)>? Recorded { get; set; }

    /// <summary>Only requests whose X-Amz-Target ends with one of these are affected (all when empty).</summary>
    public string[] Operations { get; set; } = [];

    private int _requests;
    private int _throttled;
    private int _partialBatches;

    public int Requests => Volatile.Read(ref _requests);
    public int Throttled => Volatile.Read(ref _throttled);
    public int PartialBatches => Volatile.Read(ref _partialBatches);

    /// <summary>Starts the request count again from 0 (what <see cref="OnRequest"/> is given next is 1).</summary>
    public void ResetRequests() => Interlocked.Exchange(ref _requests, 0);

    /// <summary>Called with the running request count before each request is handled (the kill drill uses it).</summary>
    public Action<int>? OnRequest { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        OnRequest?.Invoke(Interlocked.Increment(ref _requests));
        var target = request.Headers.TryGetValues("X-Amz-Target", out var t) ? t.First() : "";
        if (Recorded is { } recorded && request.Content is not null)
            recorded.Enqueue((target[(target.LastIndexOf('.') + 1)..], JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken))!));
        var affected = Operations.Length == 0 || Operations.Any(o => target.EndsWith("." + o, StringComparison.Ordinal));
        if (affected && RefuseAll)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"Connection refused ({request.RequestUri?.Authority})",
                new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
        }
        if (affected && Take(ref _serverErrorNext))
        {
            return ServerError();
        }
        if (affected && (ThrottleAll || Take(ref _throttleNext) || Chance(ThrottleRate)))
        {
            Interlocked.Increment(ref _throttled);
            return Throttle();
        }
        if (affected && target.EndsWith(".BatchWriteItem", StringComparison.Ordinal) && Chance(PartialBatchRate))
        {
            return await PartialBatch(request, cancellationToken);
        }
        return await base.SendAsync(request, cancellationToken);
    }

    private static bool Take(ref int counter)
    {
        while (true)
        {
            var n = Volatile.Read(ref counter);
            if (n <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, n - 1, n) == n) return true;
        }
    }

    private bool Chance(double rate)
    {
        if (rate <= 0) return false;
        lock (_gate) return _random.NextDouble() < rate;
    }

    private static HttpResponseMessage Throttle() => new(HttpStatusCode.BadRequest)
    {
        Content = new StringContent(
            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}",
            Encoding.UTF8, "application/x-amz-json-1.0"),
    };

    private static HttpResponseMessage ServerError() => new(HttpStatusCode.InternalServerError)
    {
        Content = new StringContent(
            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"Internal server error\"}",
            Encoding.UTF8, "application/x-amz-json-1.0"),
    };

    /// <summary>Sends the first part of the batch on, and reports the rest as UnprocessedItems.</summary>
    private async Task<HttpResponseMessage> PartialBatch(HttpRequestMessage request, CancellationToken ct)
    {
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(ct))!.AsObject();
        var items = body["RequestItems"]!.AsObject();
        var (table, writesNode) = items.First();
        var writes = writesNode!.AsArray();
        if (writes.Count < 2) return await base.SendAsync(request, ct);
        Interlocked.Increment(ref _partialBatches);
        int keep;
        lock (_gate) keep = _random.Next(1, writes.Count);
        var all = writes.Select(w => w!.DeepClone()).ToList();
        if (PartialBatchKeepsTail) all.Reverse();
        var sent = new JsonArray(all.Take(keep).ToArray());
        var left = new JsonArray(all.Skip(keep).ToArray());
        var forward = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = new StringContent(new JsonObject { ["RequestItems"] = new JsonObject { [table] = sent } }.ToJsonString(), Encoding.UTF8),
        };
        foreach (var h in request.Headers) forward.Headers.TryAddWithoutValidation(h.Key, h.Value);
        forward.Content.Headers.ContentType = request.Content.Headers.ContentType;
        // The signature covers the original body; dynalite does not check signatures.
        var response = await base.SendAsync(forward, ct);
        response.EnsureSuccessStatusCode();
        var answer = new JsonObject { ["UnprocessedItems"] = new JsonObject { [table] = left } }.ToJsonString();
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(answer, Encoding.UTF8, "application/x-amz-json-1.0"),
        };
    }
}
