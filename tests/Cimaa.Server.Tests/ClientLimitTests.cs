using System.Net.Sockets;
using System.Text;

namespace Cimaa.Server.Tests;

/// <summary>
/// Kestrel's limits for slow and idle clients, shortened to a second so that the drill is quick: a client that sends its
/// headers too slowly, one that stalls in its body, and one that stays idle between requests is cut off. Each wait is
/// bounded (30 s); what is asserted is the outcome, not how long it took.
/// </summary>
public sealed class ClientLimitTests : IClassFixture<ClientLimitTests.ImpatientServer>
{
    public sealed class ImpatientServer : SqliteServer
    {
        protected override ServerOptions Configure(ServerOptions options) => options with
        {
            Timeouts = new ClientTimeouts
            {
                KeepAlive = TimeSpan.FromSeconds(1),
                RequestHeaders = TimeSpan.FromSeconds(1),
                MinBodyBytesPerSecond = 1000,
                BodyGracePeriod = TimeSpan.FromSeconds(2),
            },
        };
    }

    private readonly ImpatientServer _server;

    public ClientLimitTests(ImpatientServer server) => _server = server;

    private async Task<(TcpClient Client, NetworkStream Stream)> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", _server.BaseUri.Port);
        return (client, client.GetStream());
    }

    /// <summary>Everything the server sends until it closes the connection, or null if it is still open after 30 s.</summary>
    private static async Task<string?> ReadUntilClosedAsync(NetworkStream stream)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, bound.Token);
                if (n == 0) return Encoding.ASCII.GetString(received.ToArray());
                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (IOException)
        {
            return Encoding.ASCII.GetString(received.ToArray());
        }
    }

    [Fact]
    public async Task A_client_that_sends_its_headers_too_slowly_is_cut_off()
    {
        var (client, stream) = await ConnectAsync();
        using (client)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /api/v1/open/datapoints HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
            var answer = await ReadUntilClosedAsync(stream);
            Assert.NotNull(answer);
            Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        }
    }

    [Fact]
    public async Task A_client_that_stalls_in_its_body_is_cut_off_and_nothing_is_written()
    {
        var (client, stream) = await ConnectAsync();
        using (client)
        {
            var start = $$"""[{"name":"stalled","timestamp":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"value":1}""";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/v1/open/datapoints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{start}"));
            var answer = await ReadUntilClosedAsync(stream);
            Assert.NotNull(answer);
            Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        }
        Assert.DoesNotContain("stalled", await _server.StoredNamesAsync("open"));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_keep_alive_timeout()
    {
        var (client, stream) = await ConnectAsync();
        using (client)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var answer = await ReadUntilClosedAsync(stream);
            Assert.NotNull(answer);
            Assert.StartsWith("HTTP/1.1 200", answer);
            Assert.Contains("\"version\"", answer);
        }
    }
}
