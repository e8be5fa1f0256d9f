using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Cimaa.Storage.DynamoDb;

/// <summary>Initialize-CimaaTable on DynamoDB: creates the missing tables, waits until they are ACTIVE, validates the others, asks for TTL.</summary>
internal sealed class DynamoTableSetup(DynamoTableClient table) : ITableStore
{
    private ConnectionSettings Settings => table.Settings;

    public async IAsyncEnumerable<TableStatus> InitializeAsync(TableOptions options, OpContext op)
    {
        var specs = TableSpec.For(Settings);
        var created = new List<TableSpec>();
        foreach (var spec in specs)
        {
            var found = await table.DescribeAsync(spec.Name, op).ConfigureAwait(false);
            if (found is null)
            {
                op.Log.Verbose($"Creating table {spec.Name}");
                await table.WriteAsync("CreateTable", spec.Name, (c, t) => c.CreateTableAsync(CreateRequest(spec, options), t), op).ConfigureAwait(false);
                created.Add(spec);
            }
            else
            {
                spec.Validate(found);
            }
        }
        await WaitActiveAsync(created.Select(s => s.Name).ToList(), options.EffectiveTimeout, op).ConfigureAwait(false);
        await EnableTimeToLiveAsync(specs, created, op).ConfigureAwait(false);
        foreach (var spec in specs)
        {
            yield return new TableStatus
            {
                Table = spec.Name,
                Status = created.Contains(spec) ? "Created" : "Exists",
                KeySchema = spec.KeySchemaText,
            };
        }
    }

    /// <summary>
    /// Turns on TTL for the tables that age their items. On a server without TTL (dynalite answers UnknownOperationException)
    /// expired items are skipped on read but stay stored. That is said once per table, as a warning, by the run that created
    /// it (when its TTL is first found not enabled); later runs, in any process, find the table and say it only with -Verbose.
    /// </summary>
    private async Task EnableTimeToLiveAsync(IReadOnlyList<TableSpec> specs, IReadOnlyCollection<TableSpec> created, OpContext op)
    {
        var aging = specs.Where(s => s.TimeToLive is not null).ToList();
        for (var i = 0; i < aging.Count; i++)
        {
            var spec = aging[i];
            try
            {
                var described = await table.ReadAsync("DescribeTimeToLive", spec.Name,
                    (c, t) => c.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = spec.Name }, t), op).ConfigureAwait(false);
                var status = described.TimeToLiveDescription?.TimeToLiveStatus;
                if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) continue;
                op.Log.Verbose($"Enabling TTL on '{spec.TimeToLive}' of {spec.Name}");
                await table.WriteAsync("UpdateTimeToLive", spec.Name, (c, t) => c.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
                {
                    TableName = spec.Name,
                    TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = spec.TimeToLive, Enabled = true },
                }, t), op).ConfigureAwait(false);
            }
            catch (CimaaException e) when (e.InnerException is AmazonDynamoDBException { ErrorCode: "UnknownOperationException" }
                or AmazonServiceException { ErrorCode: "UnknownOperationException" })
            {
                // The server has no TTL at all: the remaining tables would be refused too, so they are not asked.
                var refused = aging.Skip(i).ToList();
                var fresh = refused.Where(created.Contains).Select(s => s.Name).ToList();
                var known = refused.Where(s => !created.Contains(s)).Select(s => s.Name).ToList();
                const string why = "this DynamoDB server does not support TTL (UpdateTimeToLive: UnknownOperationException), so " +
                    "expired metric points are skipped on read but not deleted";
                if (fresh.Count > 0) op.Log.Warning($"TTL is not enabled on {string.Join(", ", fresh)}: {why}.");
                if (known.Count > 0) op.Log.Verbose($"TTL is not enabled on {string.Join(", ", known)}: {why}.");
                return;
            }
        }
    }

    private static CreateTableRequest CreateRequest(TableSpec spec, TableOptions options)
    {
        var request = new CreateTableRequest
        {
            TableName = spec.Name,
            KeySchema = spec.Keys.Select(k => new KeySchemaElement(k.Name, k.Type)).ToList(),
            AttributeDefinitions = spec.Keys.Select(k => new AttributeDefinition(k.Name, k.AttrType))
                .Concat(spec.ExtraAttributes.Select(a => new AttributeDefinition(a.Name, a.Type))).ToList(),
            BillingMode = options.Provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST,
        };
        if (options.Provisioned) request.ProvisionedThroughput = new ProvisionedThroughput(options.ReadCapacity, options.WriteCapacity);
        if (spec.Index is not null) request.LocalSecondaryIndexes = [spec.Index];
        return request;
    }

    /// <summary>
    /// Waits until every table is ACTIVE, reporting progress: one DescribeTable per pending table, then a pause of
    /// TablePollInterval on the connection's clock, until the timeout (measured on the same clock) has passed.
    /// </summary>
    internal async Task WaitActiveAsync(IReadOnlyList<string> tables, TimeSpan timeout, OpContext op)
    {
        if (tables.Count == 0) return;
        var clock = Settings.Clock;
        var start = clock.GetTimestamp();
        var pending = tables.ToList();
        const string activity = "Initialize-CimaaTable";
        while (true)
        {
            foreach (var name in pending.ToList())
            {
                var d = await table.DescribeAsync(name, op).ConfigureAwait(false);
                if (d?.TableStatus == Amazon.DynamoDBv2.TableStatus.ACTIVE) pending.Remove(name);
            }
            var done = tables.Count - pending.Count;
            if (pending.Count == 0)
            {
                op.Log.Progress(new ProgressReport(1, activity, "All tables are ACTIVE", 100, Completed: true));
                return;
            }
            op.Log.Progress(new ProgressReport(1, activity, $"Waiting for {string.Join(", ", pending)} to become ACTIVE",
                done * 100 / tables.Count));
            if (clock.GetElapsedTime(start) >= timeout)
            {
                op.Log.Progress(new ProgressReport(1, activity, "Timed out", Completed: true));
                throw new CimaaException(ErrorIds.TableTimeout, CimaaErrorCategory.OperationTimeout,
                    $"The tables {string.Join(", ", pending)} were not ACTIVE after {timeout.TotalSeconds:0} seconds.", pending[0]);
            }
            await Task.Delay(Settings.TablePollInterval, clock, op.Token).ConfigureAwait(false);
        }
    }
}
