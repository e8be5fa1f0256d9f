using Cimaa.AccessKeys;
using Cimaa.Kairos;
using Cimaa.Storage;

namespace Cimaa.Server;

/// <summary>Everything the server runs with; built from the command line by <see cref="ServerArguments"/>.</summary>
public sealed record ServerOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8080";
    public const string DefaultRegion = "us-west-2";
    public const long DefaultMaxBodyBytes = 10L * 1024 * 1024;

    /// <summary>The store, resolved as the module resolves its connection.</summary>
    public required ConnectionSettings Store { get; init; }

    /// <summary>The region of the signatures' credential scope (and of DynamoDB when the store is DynamoDB).</summary>
    public string Region { get; init; } = DefaultRegion;

    /// <summary>Where Kestrel listens (ASP.NET Core's URL syntax).</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>Granted to requests that carry no signature.</summary>
    public PermissionSet Anonymous { get; init; } = PermissionSet.Empty;

    /// <summary>Metrics for the status page's sparklines when the page's URL names none: <c>name</c> or <c>name{tag=value,..}</c>.</summary>
    public IReadOnlyList<string> DashboardMetrics { get; init; } = [];

    /// <summary>The largest request body, as received and once decompressed (413 beyond).</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;

    /// <summary>The most points in one write body (400 beyond).</summary>
    public int MaxPoints { get; init; } = KairosLimits.DefaultMaxPoints;

    /// <summary>The server's clock: signatures' skew, the write parser's future limit, relative query times, the key cache.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How often the access keys are reloaded at most; a change takes effect within twice this.</summary>
    public TimeSpan AccessKeyRefresh { get; init; } = AccessKeyCache.DefaultRefresh;

    /// <summary>Where the access keys come from; null reads them through <see cref="ServerBackend"/>.</summary>
    public Func<CancellationToken, IAsyncEnumerable<AccessKeyRecord>>? AccessKeySource { get; init; }

    /// <summary>Kestrel's limits for slow and idle clients.</summary>
    public ClientTimeouts Timeouts { get; init; } = new();

    public KairosLimits WriteLimits => new() { MaxPoints = MaxPoints };
}

/// <summary>
/// Kestrel's limits for slow or idle clients: a connection idle between requests is closed after <see cref="KeepAlive"/>;
/// the request headers must arrive within <see cref="RequestHeaders"/>; a body must arrive at
/// <see cref="MinBodyBytesPerSecond"/> or faster once <see cref="BodyGracePeriod"/> has passed.
/// </summary>
public sealed record ClientTimeouts
{
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan RequestHeaders { get; init; } = TimeSpan.FromSeconds(30);
    public double MinBodyBytesPerSecond { get; init; } = 1024;
    /// <summary>More than Kestrel's heartbeat of one second.</summary>
    public TimeSpan BodyGracePeriod { get; init; } = TimeSpan.FromSeconds(10);
}
