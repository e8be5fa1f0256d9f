using System.Globalization;
using System.Net.Sockets;

namespace Cimaa.Storage;

/// <summary>
/// Words why a request over the network got no answer, for the errors of every remote store (DynamoDB, a Cimaa server):
/// <c>connection refused</c>, <c>host not found</c>, <c>no answer in 30 seconds</c>, or the innermost message.
/// </summary>
internal static class NetworkFailure
{
    public static string Reason(Exception e, TimeSpan requestTimeout)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException socket) return SocketReason(socket);
        }
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case TimeoutException or OperationCanceledException:
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
