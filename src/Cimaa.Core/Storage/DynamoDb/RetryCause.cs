using System.Globalization;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Words the cause of a failed DynamoDB attempt for the retry warning and the final error. Throttling keeps zc.cimaa's text;
/// a 5xx answer or a network failure names the endpoint and what went wrong.
/// </summary>
internal static class RetryCause
{
    public const string Throttling = "exceeded provisioned throughput";

    /// <summary>The warning written before a retry: the cause, then <c>; waiting N seconds</c>.</summary>
    public static string Warning(Exception e, string endpoint, TimeSpan requestTimeout, TimeSpan delay) =>
        $"{Describe(e, endpoint, requestTimeout)}; waiting {delay.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds";

    /// <summary>
    /// <c>exceeded provisioned throughput</c>, <c>DynamoDB at &lt;endpoint&gt; answered 500 (InternalServerError)</c>, or
    /// <c>cannot reach DynamoDB at &lt;endpoint&gt; (connection refused)</c>.
    /// </summary>
    public static string Describe(Exception e, string endpoint, TimeSpan requestTimeout)
    {
        if (DynamoCaller.IsThrottling(e)) return Throttling;
        if (e is AmazonServiceException { StatusCode: var status } s && (int)status >= 500)
        {
            var code = string.IsNullOrEmpty(s.ErrorCode) ? status.ToString() : s.ErrorCode;
            return $"DynamoDB at {endpoint} answered {(int)status} ({code})";
        }
        return $"cannot reach DynamoDB at {endpoint} ({NetworkReason(e, requestTimeout)})";
    }

    /// <summary>The endpoint as shown to users: scheme, host, port and path, never the user info or the query.</summary>
    public static string EndpointText(Uri endpoint)
    {
        var path = endpoint.AbsolutePath == "/" ? "" : endpoint.AbsolutePath;
        return $"{endpoint.Scheme}://{endpoint.Authority}{path}";
    }

    private static string NetworkReason(Exception e, TimeSpan requestTimeout)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException socket) return SocketReason(socket);
        }
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case TimeoutException or TaskCanceledException or OperationCanceledException:
                    return $"no answer in {requestTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds";
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return "host not found";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return "TLS handshake failed";
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return "the connection closed before the answer";
                case IOException when x.InnerException is null:
                    return "the connection closed: " + x.Message;
            }
        }
        var innermost = e;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return innermost.Message;
    }

    private static string SocketReason(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.TimedOut => "connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
        _ => e.Message,
    };
}
