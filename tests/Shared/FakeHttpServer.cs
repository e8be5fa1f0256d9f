using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Cimaa.Testing;

/// <summary>One request as the fake server received it: the raw path and query as sent, every header line, the body bytes.</summary>
public sealed record RecordedRequest(string Method, string RawPath, string? RawQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The value of a header (case-insensitive name), or null.</summary>
    public string? Header(string name) => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>The answer the fake server gives: a status, a body and its content type.</summary>
public sealed record FakeResponse(int Status, string Body = "", string ContentType = "application/json");

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, for client tests: it reads each request (Content-Length bodies),
/// records it, asks <see cref="Handler"/> for the answer and closes the connection. It runs in the test process, so nothing
/// outlives the test; Dispose stops it.
/// </summary>
public sealed class FakeHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeHttpServer(Func<RecordedRequest, FakeResponse> handler)
    {
        Handler = handler;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url { get; }

    public Func<RecordedRequest, FakeResponse> Handler { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            var stream = client.GetStream();
            var request = await ReadRequestAsync(stream, timeout.Token);
            if (request is null) return;
            Requests.Enqueue(request);
            FakeResponse response;
            try
            {
                response = Handler(request);
            }
            catch (Exception e)
            {
                response = new FakeResponse(500, "{\"errors\":[\"the fake server's handler failed: " + e.GetType().Name + "\"]}");
            }
            var body = Encoding.UTF8.GetBytes(response.Body);
            var head = $"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\n" +
                       (body.Length > 0 || response.Status != 204 ? $"Content-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\n" : "") +
                       "Connection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token);
            if (response.Status != 204) await stream.WriteAsync(body, timeout.Token);
            await stream.FlushAsync(timeout.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The client went away or the server is stopping.
        }
    }

    private static async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 65536)
        {
            if (await stream.ReadAsync(one, ct) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r') break;
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n");
        var first = lines[0].Split(' ');
        var target = first[1];
        var q = target.IndexOf('?');
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        var length = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(h => int.Parse(h.Value, CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = await stream.ReadAsync(body.AsMemory(read), ct);
            if (n == 0) return null;
            read += n;
        }
        return new RecordedRequest(first[0], q < 0 ? target : target[..q], q < 0 ? null : target[(q + 1)..], headers, body);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        413 => "Payload Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    };

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}

/// <summary>
/// A second, independent check of a standard-form SigV4 signature (AWS4-HMAC-SHA256, X-Amz-Content-Sha256 signed), written
/// from the AWS documentation and sharing no code with Cimaa.Core: the canonical request is built from the request as received.
/// It covers the requests the module sends (paths of unreserved characters and '/', no query).
/// </summary>
public static class IndependentSigV4
{
    /// <summary>Null when the signature is right for this secret, else what is wrong.</summary>
    public static string? Check(RecordedRequest request, string accessKeyId, string secret, string region, string service = "amondawa")
    {
        var auth = request.Header("Authorization");
        if (auth is null || !auth.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)) return "no AWS4-HMAC-SHA256 Authorization header";
        var parts = auth["AWS4-HMAC-SHA256 ".Length..].Split(',').Select(p => p.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var scope = parts["Credential"].Split('/');
        if (scope[0] != accessKeyId) return "another key id";
        if (scope[2] != region || scope[3] != service || scope[4] != "aws4_request") return "another scope";
        var date = request.Header("X-Amz-Date")!;
        var hash = request.Header("X-Amz-Content-Sha256");
        if (hash != Hex(SHA256.HashData(request.Body))) return "X-Amz-Content-Sha256 is not the body's hash";
        var signed = parts["SignedHeaders"].Split(';');
        var canonical = new StringBuilder();
        canonical.Append(request.Method).Append('\n').Append(request.RawPath).Append('\n').Append(request.RawQuery ?? "").Append('\n');
        foreach (var h in signed) canonical.Append(h).Append(':').Append(request.Header(h)!.Trim()).Append('\n');
        canonical.Append('\n').Append(parts["SignedHeaders"]).Append('\n').Append(hash);
        var toSign = $"AWS4-HMAC-SHA256\n{date}\n{string.Join('/', scope.Skip(1))}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var part in new[] { scope[1], region, service, "aws4_request" }) key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return expected == parts["Signature"] ? null : "the signature differs";
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
