using System.Reflection;
using Cimaa.Testing;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// A fresh store of one kind for a cmdlet scenario: an SQLite file in a temporary folder, or a fresh table prefix on the
/// shared dynalite; its tables initialized. Its connection is Connect-Cimaa's, moved onto a <see cref="ManualClock"/> through
/// the hidden seam <c>CimaaConnection.WithClock</c>, and scripts run with it as every Cimaa cmdlet's -Connection default.
/// Old heartbeats and squelches are made as a user makes them, by writing them while the clock is early.
/// </summary>
public sealed class TestStore : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly IDisposable _connection;

    public static TheoryData<string> Kinds => new() { "Local", "DynamoDB" };

    public TestStore(string kind, DateTimeOffset? start = null)
    {
        Clock = new ManualClock(start ?? new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        Variables = new()
        {
            ["db"] = _dir.File("t.db"),
            ["endpoint"] = DynaliteServer.Shared.Endpoint,
            ["prefix"] = "ts" + Guid.NewGuid().ToString("N")[..12],
        };
        var connected = Ps.Run($"""
            $c = {Connect(kind)} -PassThru
            Initialize-CimaaTable -Connection $c -WarningAction SilentlyContinue | Out-Null
            $c
            """, Variables).ThrowIfFailed();
        _connection = WithClock(connected.Output.Single().BaseObject, Clock);
        Variables["connection"] = _connection;
    }

    public ManualClock Clock { get; }

    /// <summary>$db, $endpoint, $prefix and $connection, for the scripts.</summary>
    public Dictionary<string, object> Variables { get; }

    public string DatabasePath => (string)Variables["db"];

    /// <summary>The Connect-Cimaa command for a kind of store (with $db, or $endpoint and $prefix).</summary>
    public static string Connect(string kind) =>
        kind == "Local" ? "Connect-Cimaa -Path $db" : "Connect-Cimaa -EndpointUrl $endpoint -TablePrefix $prefix";

    /// <summary>A local $PSDefaultParameterValues, so that nothing leaks into the next script of the pooled runspace.</summary>
    private const string UseConnection = "$PSDefaultParameterValues = @{ '*-Cimaa*:Connection' = $connection }\n";

    public PsResult Run(string script) => Ps.Run(UseConnection + script, Variables);

    public PsResult RunWithHost(string script, TextWriter output) => Ps.RunWithHost(UseConnection + script, output, Variables);

    /// <summary>Runs the script with the clock set to <paramref name="time"/> (and leaves it there).</summary>
    public PsResult RunAt(DateTimeOffset time, string script)
    {
        Clock.Set(time);
        return Run(script).ThrowIfFailed();
    }

    /// <summary>The seam: the module's connection with its settings' clock replaced (internal, so by reflection).</summary>
    private static IDisposable WithClock(object connection, TimeProvider clock) =>
        (IDisposable)connection.GetType().GetMethod("WithClock", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(connection, [clock])!;

    public void Dispose()
    {
        _connection.Dispose();
        _dir.Dispose();
    }
}
