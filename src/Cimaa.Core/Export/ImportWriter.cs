using Cimaa.Metrics;
using Cimaa.Storage;

namespace Cimaa.Export;

/// <summary>
/// Writes imported records in batches with the stores' own writes: faults per agent (WriteFaultsAsync, up to 500 at a time),
/// heartbeats, squelches (overwriting) and options one by one, points 1,000 at a time with the index rows of their columns
/// (WriteMetricsAsync). Up to the fault store's WriteConcurrency writes are in flight; all of one table's writes finish before the
/// next table's start, so heartbeats (after the faults in the file) are written after every fault, as Set-CimaaFault does.
/// </summary>
internal sealed class ImportWriter(StoreBackend stores, MetricIndexCache indexCache, OpContext op, long total)
{
    private const int FaultBatch = 500;
    private const int MetricBatch = 1000;
    private const int RecentColumns = 10_000;
    private const string Activity = "Import-CimaaDatabase";

    private readonly long[] _written = new long[Enum.GetValues<ExportTable>().Length];
    private readonly List<Task> _pending = [];
    private readonly List<FaultRecord> _faults = [];
    private readonly List<MetricPointRecord> _points = [];
    private readonly Dictionary<(string, string), long> _columns = [];
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(op.Token);
    private ExportTable? _table;
    private long _done;
    private int _lastPercent = -1;

    public HashSet<string> ConfigStores { get; } = new(StringComparer.Ordinal);

    public long Written(ExportTable table) => Interlocked.Read(ref _written[(int)table]);

    private OpContext Op => op with { Token = _cancel.Token };

    public async Task AddAsync(ExportEntry entry)
    {
        if (_table != entry.Table)
        {
            await FlushAsync();
            _table = entry.Table;
        }
        switch (entry.Record)
        {
            case FaultRecord f:
                if (_faults.Count > 0 && (_faults[0].Agent != f.Agent || _faults.Count >= FaultBatch)) await FlushFaultsAsync();
                _faults.Add(f);
                break;
            case HeartbeatRecord h:
                await SubmitAsync(ExportTable.Heartbeats, 1, () => stores.Faults.PutHeartbeatAsync(h.Agent, h.Updated, Op));
                break;
            case SquelchRecord s:
                await SubmitAsync(ExportTable.Squelches, 1, () => stores.Squelches.PutSquelchAsync(s, overwrite: true, Op));
                break;
            case ConfigOption o:
                ConfigStores.Add(o.Store);
                await SubmitAsync(ExportTable.Config, 1, () => stores.Config.PutConfigOptionAsync(o.Store, o.Option, o.Values, Op));
                break;
            case MetricPointRecord p:
                _points.Add(p);
                if (_points.Count >= MetricBatch) await FlushPointsAsync();
                break;
        }
    }

    /// <summary>Sends what is buffered and waits for every write in flight.</summary>
    public async Task FlushAsync()
    {
        await FlushFaultsAsync();
        await FlushPointsAsync();
        try
        {
            await Task.WhenAll(_pending);
        }
        finally
        {
            _pending.Clear();
        }
    }

    /// <summary>After a failure: stops the writes in flight and waits for them, so nothing runs after the import ends.</summary>
    public async Task AbortAsync()
    {
        await _cancel.CancelAsync();
        foreach (var t in _pending)
        {
            try { await t; } catch { /* the first failure is the one reported */ }
        }
        _pending.Clear();
    }

    private Task FlushFaultsAsync()
    {
        if (_faults.Count == 0) return Task.CompletedTask;
        var batch = _faults.ToList();
        _faults.Clear();
        return SubmitAsync(ExportTable.Faults, batch.Count, () => stores.Faults.WriteFaultsAsync(batch[0].Agent, batch, [], heartbeat: null, Op));
    }

    /// <summary>The points, and the index rows of their columns: each row expires at the end of its column plus the retention its points carry.</summary>
    private Task FlushPointsAsync()
    {
        if (_points.Count == 0) return Task.CompletedTask;
        var points = new List<DataPointRecord>(_points.Count);
        var index = new Dictionary<(string, string), MetricIndexRecord>();
        foreach (var p in _points)
        {
            var baseTime = MetricKeys.BaseTime(p.TimestampMs);
            var tagString = MetricKeys.TagString(p.Tags);
            points.Add(new DataPointRecord(MetricKeys.Key(p.Domain, p.Name, baseTime, tagString), p.TimestampMs - baseTime, p.Number, p.Json, p.Expires));
            var retention = MetricKeys.Retention(p.TimestampMs, p.Expires);
            var row = new MetricIndexRecord(MetricKeys.DomainMetric(p.Domain, p.Name), MetricKeys.BaseTag(baseTime, tagString),
                MetricKeys.IndexExpires(baseTime, retention));
            var id = (row.DomainMetric, row.BaseTag);
            if (_columns.TryGetValue(id, out var written) && written >= row.Expires) continue;
            if (!index.TryGetValue(id, out var other) || other.Expires < row.Expires) index[id] = row;
        }
        _points.Clear();
        if (_columns.Count > RecentColumns) _columns.Clear();
        foreach (var row in index.Values) _columns[(row.DomainMetric, row.BaseTag)] = row.Expires;
        var rows = index.Values.ToList();
        var now = Epoch.Now(stores.Settings.Clock);
        return SubmitAsync(ExportTable.Metrics, points.Count, async () =>
        {
            await stores.Metrics.WriteMetricsAsync(rows, points, now, Op);
            foreach (var row in rows) indexCache.Add(row.DomainMetric, row.BaseTag);
        });
    }

    /// <summary>Starts a write once fewer than WriteConcurrency are in flight; a failed write fails the import here.</summary>
    private async Task SubmitAsync(ExportTable table, int records, Func<Task> write)
    {
        while (_pending.Count >= Math.Max(1, stores.Faults.WriteConcurrency))
        {
            var done = await Task.WhenAny(_pending);
            _pending.Remove(done);
            await done;
        }
        _pending.Add(RunAsync(table, records, write));
    }

    private async Task RunAsync(ExportTable table, int records, Func<Task> write)
    {
        await write();
        Interlocked.Add(ref _written[(int)table], records);
        var done = Interlocked.Add(ref _done, records);
        var percent = (int)(done * 100 / Math.Max(1, total));
        if (percent != Volatile.Read(ref _lastPercent) && Interlocked.Exchange(ref _lastPercent, percent) != percent)
            op.Log.Progress(new ProgressReport(ExportService.ProgressActivity, Activity, $"{done} of {total} records written", percent));
    }
}
