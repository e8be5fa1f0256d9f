using System.Runtime.CompilerServices;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cimaa.Storage.DynamoDb;

/// <summary>The DynamoDB store, in the zc.cimaa table layout. Every request goes through <see cref="DynamoCaller"/>.</summary>
public sealed partial class DynamoDbStore : ICimaaStore
{
    internal const int BatchSize = 25;
    private readonly AmazonDynamoDBClient _client;
    private readonly DynamoCaller _caller;

    public DynamoDbStore(ConnectionSettings settings)
    {
        Settings = settings;
        _client = DynamoClientFactory.Create(settings);
        _caller = new DynamoCaller(settings, Requests, () => DynamoClientFactory.EndpointText(_client, settings));
    }

    public StoreKind Kind => StoreKind.DynamoDB;
    public ConnectionSettings Settings { get; }
    public RequestCounter Requests { get; } = new();
    public int WriteConcurrency => 8;

    internal AmazonDynamoDBClient Client => _client;

    internal DynamoCaller Caller => _caller;

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Pages through a Query, streaming each item as its page arrives.</summary>
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAsync(QueryRequest request, OpContext op,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var progress = new PageProgress(request.TableName, op);
        do
        {
            var response = await _caller.ReadAsync("Query", request.TableName, t => _client.QueryAsync(request, t), op);
            progress.Page(response.Items?.Count ?? 0);
            foreach (var item in response.Items ?? []) yield return item;
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);
        progress.Done();
    }

    /// <summary>Pages through a Scan, streaming each item as its page arrives.</summary>
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> ScanAsync(ScanRequest request, OpContext op)
    {
        var progress = new PageProgress(request.TableName, op);
        do
        {
            var response = await _caller.ReadAsync("Scan", request.TableName, t => _client.ScanAsync(request, t), op);
            progress.Page(response.Items?.Count ?? 0);
            foreach (var item in response.Items ?? []) yield return item;
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);
        progress.Done();
    }

    /// <summary>
    /// Reports a read that spans pages: a verbose line and a progress record from the second page on (the total is
    /// unknown, so no percentage), and a completed record at the end. A one-page read reports nothing.
    /// </summary>
    private sealed class PageProgress(string table, OpContext op)
    {
        private const int ActivityId = 3;
        private int _pages;
        private long _items;

        public void Page(int items)
        {
            _pages++;
            _items += items;
            if (_pages < 2) return;
            op.Log.Verbose($"Read page {_pages} of {table}");
            op.Log.Progress(new ProgressReport(ActivityId, $"Reading {table}", $"Page {_pages}, {_items} items"));
        }

        public void Done()
        {
            if (_pages > 1) op.Log.Progress(new ProgressReport(ActivityId, $"Reading {table}", $"{_items} items", 100, Completed: true));
        }
    }

    /// <summary>Writes requests in batches of 25, re-sending UnprocessedItems with the retry layer's backoff.</summary>
    private async Task BatchWriteAsync(string table, IReadOnlyList<WriteRequest> writes, OpContext op)
    {
        var batches = (writes.Count + BatchSize - 1) / BatchSize;
        if (batches > 1) op.Log.Verbose($"Writing {batches} batches to {table}");
        for (var i = 0; i < writes.Count; i += BatchSize)
        {
            var remaining = writes.Skip(i).Take(BatchSize).ToList();
            await _caller.WriteAsync("BatchWriteItem", table, async t =>
            {
                var response = await _client.BatchWriteItemAsync(
                    new BatchWriteItemRequest { RequestItems = new() { [table] = remaining } }, t);
                if (response.UnprocessedItems is { } left && left.TryGetValue(table, out var unprocessed) && unprocessed.Count > 0)
                {
                    remaining = unprocessed;
                    throw new UnprocessedItemsException(unprocessed.Count);
                }
                return response;
            }, op);
        }
    }

    private Task PutAsync(string table, Dictionary<string, AttributeValue> item, OpContext op) =>
        _caller.WriteAsync("PutItem", table, t => _client.PutItemAsync(new PutItemRequest(table, item), t), op);

    /// <summary>Deletes one item; false when it did not exist.</summary>
    private async Task<bool> DeleteAsync(string table, Dictionary<string, AttributeValue> key, OpContext op)
    {
        var response = await _caller.WriteAsync("DeleteItem", table,
            t => _client.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = key, ReturnValues = ReturnValue.ALL_OLD }, t), op);
        return response.Attributes is { Count: > 0 };
    }

    internal static AttributeValue S(string value) => new() { S = value };
    internal static AttributeValue N(long value) => new() { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    internal static long? Long(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is { } n
            ? (long)decimal.Parse(n, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>An N read exactly, fractions kept (zc.cimaa writes time.time()).</summary>
    internal static decimal? Exact(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) && v.N is { } n
            ? decimal.Parse(n, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    internal static string? Str(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var v) ? v.S ?? v.N : null;
}
