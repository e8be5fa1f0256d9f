using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Cimaa.AccessKeys;
using Cimaa.Kairos;

namespace Cimaa.Storage.Http;

/// <summary>
/// Sends one signed request to the metrics server and turns its failures into CimaaExceptions. Requests are signed the
/// standard SigV4 way (<see cref="SigV4Signer"/>: host, X-Amz-Date and X-Amz-Content-Sha256 signed, the service
/// <c>amondawa</c> and the connection's region), at the connection's clock. The secret is used for signing only: it is never
/// part of a message, a debug line or an exception.
/// </summary>
internal sealed class ServerRequester : IDisposable
{
    private const int MaxErrorBody = 64 * 1024;
    private readonly HttpClient _http;
    private readonly ConnectionSettings _settings;
    private readonly RequestCounter _counter;
    private readonly Uri _base;

    public ServerRequester(ConnectionSettings settings, RequestCounter counter, HttpMessageHandler? handler)
    {
        _settings = settings;
        _counter = counter;
        _base = settings.ServerUrl!;
        UrlText = ServerSettings.UrlText(_base);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The server as shown in messages: scheme, host, port and path.</summary>
    public string UrlText { get; }

    /// <summary>
    /// Sends <c>&lt;base&gt;/api/v1/&lt;domain&gt;/&lt;rest&gt;</c> and returns the answer once its headers arrived (within the
    /// connection's request timeout), or throws: AccessDenied for 401/403, ServerError for any other failure status (with the
    /// server's <c>errors</c>), ServerUnavailable when the server cannot be reached or does not answer in time.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string domain, string rest, byte[]? body, string operation, OpContext op)
    {
        var basePath = _base.AbsolutePath.TrimEnd('/');
        var uri = new Uri($"{_base.Scheme}://{_base.Authority}{basePath}/api/v1/{domain}/{rest}");
        var host = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        if (uri.HostNameType == UriHostNameType.IPv6 && !uri.IdnHost.StartsWith('[')) host = uri.IsDefaultPort ? $"[{uri.IdnHost}]" : $"[{uri.IdnHost}]:{uri.Port}";
        var payload = body ?? [];
        var signed = SigV4Signer.Sign(new SigV4Request(method.Method, uri.AbsolutePath, [], [new("host", host)], SigV4.PayloadHash(payload)),
            _settings.AccessKeyId!, _settings.SecretAccessKey!, _settings.Region!, _settings.Clock.GetUtcNow());
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Host = host;
        foreach (var (name, value) in signed) request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        _counter.Add(operation);
        op.Log.Debug($"HTTP {method.Method} {ServerSettings.UrlText(uri)} ({payload.Length} bytes)");
        var watch = Stopwatch.StartNew();
        HttpResponseMessage response;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(op.Token))
        {
            timeout.CancelAfter(_settings.RequestTimeout);
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (!op.Token.IsCancellationRequested && e is HttpRequestException or IOException or OperationCanceledException)
            {
                throw Unavailable(e);
            }
        }
        op.Log.Debug($"HTTP {(int)response.StatusCode} from {ServerSettings.UrlText(uri)} after {watch.ElapsedMilliseconds} ms");
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await FailureAsync(response, op.Token).ConfigureAwait(false);
        }
    }

    /// <summary>The strings of a <c>{"results":[..]}</c> answer.</summary>
    public async Task<IReadOnlyList<string>> ReadResultsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var results = await JsonSerializer.DeserializeAsync(stream, KairosJsonContext.Default.KairosResults, ct).ConfigureAwait(false);
            return results?.Results ?? throw new InvalidDataException("The answer has no results.");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw NotKairos(e);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException)
        {
            throw Unavailable(e);
        }
    }

    /// <summary>Passes a reader's events through, turning a malformed or broken answer into a CimaaException.</summary>
    public async IAsyncEnumerable<T> Read<T>(IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var e = source.GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await e.MoveNextAsync().ConfigureAwait(false)) yield break;
            }
            catch (Exception x) when (x is JsonException or InvalidDataException)
            {
                throw NotKairos(x);
            }
            catch (Exception x) when (!ct.IsCancellationRequested && x is HttpRequestException or IOException)
            {
                throw Unavailable(x);
            }
            yield return e.Current;
        }
    }

    private async Task<CimaaException> FailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var errors = await ErrorsAsync(response, ct).ConfigureAwait(false);
        var said = errors.Count > 0 ? ": " + string.Join("; ", errors) : $" ({response.ReasonPhrase ?? response.StatusCode.ToString()})";
        if (status is 401 or 403)
        {
            return new CimaaException(ServerErrorIds.AccessDenied, CimaaErrorCategory.PermissionDenied,
                $"The server at {UrlText} refused the request ({status}){said}", UrlText);
        }
        var category = status switch
        {
            400 => CimaaErrorCategory.InvalidArgument,
            404 => CimaaErrorCategory.ObjectNotFound,
            413 => CimaaErrorCategory.LimitsExceeded,
            >= 500 => CimaaErrorCategory.ResourceUnavailable,
            _ => CimaaErrorCategory.InvalidOperation,
        };
        return new CimaaException(ServerErrorIds.ServerError, category, $"The server at {UrlText} answered {status}{said}", UrlText);
    }

    /// <summary>The <c>errors</c> of a failure's body; empty when the body is not <c>{"errors":[..]}</c> (e.g. a proxy's page).</summary>
    private static async Task<IReadOnlyList<string>> ErrorsAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[MaxErrorBody];
            var length = 0;
            int n;
            while (length < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0) length += n;
            var parsed = JsonSerializer.Deserialize(buffer.AsSpan(0, length), KairosJsonContext.Default.KairosErrors);
            return parsed?.Errors?.Where(e => !string.IsNullOrWhiteSpace(e)).ToList() ?? [];
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException or NotSupportedException)
        {
            return [];
        }
    }

    private CimaaException NotKairos(Exception e) =>
        new(ServerErrorIds.ServerError, CimaaErrorCategory.InvalidData, $"The answer of the server at {UrlText} is not KairosDB JSON: {e.Message}",
            UrlText, e);

    private CimaaException Unavailable(Exception e) =>
        new(ServerErrorIds.ServerUnavailable, CimaaErrorCategory.ConnectionError, $"cannot reach the server at {UrlText} ({Reason(e)})", UrlText, e);

    private string Reason(Exception e) => NetworkFailure.Reason(e, _settings.RequestTimeout);

    public void Dispose() => _http.Dispose();
}
