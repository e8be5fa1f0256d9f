using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Cimaa.Storage.DynamoDb;

public sealed partial class DynamoDbStore
{
    public async IAsyncEnumerable<TableStatus> InitializeAsync(TableOptions options, OpContext op)
    {
        var specs = TableSpec.For(Settings);
        var created = new List<TableSpec>();
        var results = new List<TableStatus>();
        foreach (var spec in specs)
        {
            var found = await DescribeAsync(spec.Name, op);
            if (found is null)
            {
                op.Log.Verbose($"Creating table {spec.Name}");
                await _caller.WriteAsync("CreateTable", spec.Name, t => _client.CreateTableAsync(CreateRequest(spec, options), t), op);
                created.Add(spec);
            }
            else
            {
                ValidateKeys(spec, found);
            }
        }
        await WaitActiveAsync(created, options.EffectiveTimeout, op);
        await EnableTimeToLiveAsync(specs, created, op);
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
                var described = await _caller.ReadAsync("DescribeTimeToLive", spec.Name,
                    t => _client.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = spec.Name }, t), op);
                var status = described.TimeToLiveDescription?.TimeToLiveStatus;
                if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) continue;
                op.Log.Verbose($"Enabling TTL on '{spec.TimeToLive}' of {spec.Name}");
                await _caller.WriteAsync("UpdateTimeToLive", spec.Name, t => _client.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
                {
                    TableName = spec.Name,
                    TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = spec.TimeToLive, Enabled = true },
                }, t), op);
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

    /// <summary>Throws MisconfiguredSchema when the table's keys differ from the layout.</summary>
    internal static void ValidateKeys(TableSpec spec, TableDescription found)
    {
        var types = (found.AttributeDefinitions ?? []).ToDictionary(a => a.AttributeName, a => a.AttributeType.Value);
        var foundKeys = (found.KeySchema ?? []).Select(k => (k.AttributeName, k.KeyType.Value, types.GetValueOrDefault(k.AttributeName))).ToList();
        var expected = spec.Keys.Select(k => (k.Name, k.Type.Value, (string?)k.AttrType.Value)).ToList();
        if (!foundKeys.SequenceEqual(expected))
        {
            throw new CimaaException(ErrorIds.MisconfiguredSchema, CimaaErrorCategory.MetadataError,
                $"Table '{spec.Name}' has the key schema [{TableSpec.Describe(foundKeys)}]; expected [{spec.KeySchemaText}].", spec.Name);
        }
    }

    internal async Task<TableDescription?> DescribeAsync(string table, OpContext op)
    {
        try
        {
            var response = await _caller.ReadAsync("DescribeTable", table, t => _client.DescribeTableAsync(table, t), op);
            return response.Table;
        }
        catch (CimaaException e) when (e.ErrorId == ErrorIds.TableNotFound)
        {
            return null;
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

    /// <summary>Polls DescribeTable once a second until every table is ACTIVE, reporting progress.</summary>
    private async Task WaitActiveAsync(List<TableSpec> tables, TimeSpan timeout, OpContext op)
    {
        if (tables.Count == 0) return;
        var clock = Settings.Clock;
        var start = clock.GetTimestamp();
        var pending = tables.Select(t => t.Name).ToList();
        const string activity = "Initialize-CimaaTable";
        while (true)
        {
            foreach (var name in pending.ToList())
            {
                var d = await DescribeAsync(name, op);
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
            await Task.Delay(TimeSpan.FromSeconds(1), clock, op.Token);
        }
    }
}
