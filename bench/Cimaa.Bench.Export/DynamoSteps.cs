using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Cimaa;
using Cimaa.Export;
using Cimaa.Storage;

/// <summary>The DynamoDB rows: import into dynalite, export from it, and a raw AWSSDK Scan of the same tables as the baseline.</summary>
internal static class DynamoSteps
{
    /// <summary>The stores' Scan page (DynamoTableClient.ScanPageSize, internal to Core).</summary>
    public const int PageSize = 1000;

    public static ConnectionSettings Settings(string endpoint, string prefix) => new()
    {
        Kind = StoreKind.DynamoDB,
        EndpointUrl = new Uri(endpoint),
        Region = "us-east-1",
        AccessKeyId = "AKIDBENCH",
        SecretAccessKey = "bench-secret",
        TablePrefix = prefix,
    };

    public static async Task CreateTablesAsync(string endpoint, string prefix)
    {
        await using var client = StoreFactory.Open(Settings(endpoint, prefix));
        await AsyncStreams.ToListAsync(client.Tables.InitializeAsync(new TableOptions(), OpContext.None));
    }

    public static Func<Task<long>> Import(string file, string endpoint, string prefix)
    {
        var service = StoreFactory.Open(Settings(endpoint, prefix)).Import;
        return async () =>
        {
            using var plan = service.Plan(file, null, ImportMode.Merge, OpContext.None);
            return (await service.ImportAsync(plan, plan.Include, OpContext.None)).Sum(s => s.Records);
        };
    }

    public static Func<Task<long>> Export(string endpoint, string prefix, string file)
    {
        var service = StoreFactory.Open(Settings(endpoint, prefix)).Export;
        return async () => (await service.ExportAsync(new ExportRequest(file, ExportTables.DefaultInclude, null, true), OpContext.None)).Sum(s => s.Records);
    }

    /// <summary>
    /// Every item of the faults, squelches, config, datapoints and index tables, page by page, every attribute touched; pages of
    /// <see cref="PageSize"/> items, as the stores' Scans ask for.
    /// </summary>
    public static Func<Task<long>> Scan(string endpoint, string prefix)
    {
        var client = new AmazonDynamoDBClient(new BasicAWSCredentials("AKIDBENCH", "bench-secret"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
        var settings = Settings(endpoint, prefix);
        string[] tables = [settings.FaultsTable, settings.SquelchesTable, settings.ConfigTable, settings.DataPointsTable, settings.DataPointsIndexTable];
        return async () =>
        {
            long items = 0, check = 0;
            foreach (var table in tables)
            {
                var request = new ScanRequest { TableName = table, Limit = PageSize };
                do
                {
                    var page = await client.ScanAsync(request);
                    foreach (var item in page.Items ?? [])
                    {
                        items++;
                        foreach (var (_, v) in item) check += (v.S ?? v.N ?? "").Length;
                    }
                    request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
                }
                while (request.ExclusiveStartKey is not null);
            }
            return items + (check & 0);
        };
    }
}
