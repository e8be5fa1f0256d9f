using Cimaa.AccessKeys;
using Cimaa.Storage;
using Cimaa.Testing;

namespace Cimaa.Server.Tests;

/// <summary>
/// The status page's servers: the known data (<see cref="ReportData"/>) seeded once, relative to the time of seeding, and its
/// two metrics as the --dashboard-metric list. Unsigned requests get only <c>open:rw</c> (no status:r) unless a subclass grants it.
/// </summary>
public interface IStatusServer
{
    ServerFixture Server { get; }

    /// <summary>Seeds the store once; the time it was seeded at.</summary>
    Task<DateTimeOffset> SeededAsync();
}

internal static class StatusSeed
{
    public static ServerOptions Options(ServerOptions options, string? anonymous) => options with
    {
        DashboardMetrics = ReportData.Metrics,
        Anonymous = anonymous is null ? options.Anonymous : PermissionSet.Parse(["open:rw", .. anonymous.Split(',')]),
    };

    public static Task<DateTimeOffset> Once(ref Task<DateTimeOffset>? seeded, ServerFixture server)
    {
        return seeded ??= Seed(server.Settings);

        static async Task<DateTimeOffset> Seed(ConnectionSettings settings)
        {
            var now = DateTimeOffset.UtcNow;
            await ReportData.SeedAsync(settings, now);
            return now;
        }
    }
}

public class SqliteStatusServer : SqliteServer, IStatusServer
{
    private Task<DateTimeOffset>? _seeded;
    protected virtual string? AnonymousGrant => null;
    public ServerFixture Server => this;
    public Task<DateTimeOffset> SeededAsync() { lock (this) return StatusSeed.Once(ref _seeded, this); }
    protected override ServerOptions Configure(ServerOptions options) => StatusSeed.Options(base.Configure(options), AnonymousGrant);
}

public class DynamoStatusServer : DynamoServer, IStatusServer
{
    private Task<DateTimeOffset>? _seeded;
    protected virtual string? AnonymousGrant => null;
    public ServerFixture Server => this;
    public Task<DateTimeOffset> SeededAsync() { lock (this) return StatusSeed.Once(ref _seeded, this); }
    protected override ServerOptions Configure(ServerOptions options) => StatusSeed.Options(base.Configure(options), AnonymousGrant);
}

/// <summary>Unsigned requests may read the status page: <c>--anonymous status:r</c>.</summary>
public sealed class SqliteOpenStatusServer : SqliteStatusServer
{
    protected override string? AnonymousGrant => "status:r";
}

public sealed class DynamoOpenStatusServer : DynamoStatusServer
{
    protected override string? AnonymousGrant => "status:r";
}
