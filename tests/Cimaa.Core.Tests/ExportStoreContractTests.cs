using Cimaa.Storage;

namespace Cimaa.Core.Tests;

/// <summary>The store reads and writes that export and import need.</summary>
public abstract class ExportStoreContractTests<TBackend> : StoreContractTests<TBackend> where TBackend : IContractBackend, new()
{
    [Fact]
    public async Task ScanFaults_reads_every_agents_faults_and_no_heartbeat()
    {
        await Client.Stores.Faults.WriteFaultsAsync("b", [new("b", "x", 40, "m", 1, 2, true)], [], heartbeat: 10, Op);
        await Client.Stores.Faults.WriteFaultsAsync("a", [new("a", "y", 30, "", 3, null, false), new("a", "z", 50, "n", 4, 5, false)], [], heartbeat: null, Op);
        await Client.Stores.Faults.PutHeartbeatAsync("c", 11, Op);
        var faults = (await Client.Stores.Faults.ScanFaultsAsync(Op).ToListAsync()).OrderBy(f => f.Agent, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal);
        Assert.Equal<FaultRecord>([new("a", "y", 30, "", 3, null, false), new("a", "z", 50, "n", 4, 5, false), new("b", "x", 40, "m", 1, 2, true)], faults);
    }

    [Fact]
    public async Task A_fractional_heartbeat_is_written_as_given()
    {
        await Client.Stores.Faults.PutHeartbeatAsync("py", 1418160088.25m, Op);
        await Client.Stores.Faults.PutHeartbeatAsync("cs", 1418160089m, Op);
        var beats = await Client.Stores.Faults.GetHeartbeatsAsync(Op).ToListAsync();
        Assert.Equal<HeartbeatRecord>([new("cs", 1418160089m), new("py", 1418160088.25m)], beats);
    }

    [Fact]
    public async Task DeleteAllMetrics_leaves_no_point_and_no_index_entry()
    {
        var index = Enumerable.Range(0, 30).Select(i => new MetricIndexRecord("d|m" + i % 3, $"{i:D15}|h={i}", long.MaxValue / 2)).ToList();
        var points = Enumerable.Range(0, 60).Select(i => new DataPointRecord($"d|m{i % 3}|{i}|h={i}", i, "1", null, long.MaxValue / 2)).ToList();
        await Client.Stores.Metrics.WriteMetricsAsync(index, points, 0, Op);
        Assert.Equal(3, (await Client.Stores.Metrics.ScanMetricIndexAsync("", Op).ToListAsync()).Select(e => e.DomainMetric).Distinct().Count());
        await Client.Stores.Metrics.DeleteAllMetricsAsync(Op);
        Assert.Empty(await Client.Stores.Metrics.ScanMetricIndexAsync("", Op).ToListAsync());
        Assert.Empty(await Client.Stores.Metrics.GetDataPointsAsync("d|m0|0|h=0", 0, 3_599_999, Op).ToListAsync());
        Assert.Empty(await Client.Stores.Metrics.GetMetricIndexAsync("d|m1", null, null, Op).ToListAsync());
    }
}

public sealed class SqliteExportStoreContractTests : ExportStoreContractTests<SqliteBackend>;

public sealed class DynamoExportStoreContractTests : ExportStoreContractTests<DynamoBackend>;
