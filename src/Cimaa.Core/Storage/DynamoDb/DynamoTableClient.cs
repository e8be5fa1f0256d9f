using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// What every DynamoDB store shares, one per connection: the SDK client, the retry caller (<see cref="DynamoCaller"/>, which
/// every request goes through and which counts each attempt in <see cref="Requests"/>), paging for Query and Scan, batch
/// writes that re-send UnprocessedItems, and single-item Put, Get and Delete. A store takes it in its constructor.
/// </summary>
internal sealed class DynamoTableClient : IAsyncDisposable
{
    internal const int BatchSize = 25;

    /// <summary>
    /// Items a Scan page asks for (Limit), unless the request sets its own. DynamoDB's own cap is 1 MB a page, thousands of
    /// small items such as faults or points, and the SDK holds a whole page as objects several times that size: the export bench
    /// (100,000 faults and 100,000 points) grew the heap by 30.7 MB with unlimited pages and by 12.2 MB with pages of 1,000
    /// (bench/results/export.md). Pages of 1,000 cost one request per 1,000 items.
    /// </summary>
    internal const int ScanPageSize = 1000;
    private readonly DynamoCaller _caller;

    public DynamoTableClient(ConnectionSettings settings)
    {
        Settings = settings;
        Sdk = DynamoClientFactory.Create(settings);
        _caller = new DynamoCaller(settings, Requests, () => DynamoClientFactory.EndpointText(Sdk, settings));
    }

    public ConnectionSettings Settings { get; }

    /// <summary>Requests sent, by API name; every attempt counts.</summary>
    public RequestCounter Requests { get; } = new();

    /// <summary>The SDK client. Call it through <see cref="ReadAsync"/> or <see cref="WriteAsync"/>, never directly.</summary>
    public AmazonDynamoDBClient Sdk { get; }

    /// <summary>One read request through the retry layer (up to MaxReadAttempts attempts).</summary>
    public Task<T> ReadAsync<T>(string operation, string table, Func<AmazonDynamoDBClient, CancellationToken, Task<T>> call, OpContext op) =>
        _caller.ReadAsync(operation, table, t => call(Sdk, t), op);

    /// <summary>One write request through the retry layer (up to MaxWriteAttempts attempts).</summary>
    public Task<T> WriteAsync<T>(string operation, string table, Func<AmazonDynamoDBClient, CancellationToken, Task<T>> call, OpContext op) =>
        _caller.WriteAsync(operation, table, t => call(Sdk, t), op);

    /// <summary>Pages through a Query, streaming each item as its page arrives.</summary>
    public IAsyncEnumerable<Dictionary<string, AttributeValue>> QueryAsync(QueryRequest request, OpContext op) =>
        PagesAsync("Query", request.TableName, async (start, t) =>
        {
            request.ExclusiveStartKey = start;
            var response = await Sdk.QueryAsync(request, t).ConfigureAwait(false);
            return (response.Items, response.LastEvaluatedKey);
        }, op);

    /// <summary>Pages through a Scan, <see cref="ScanPageSize"/> items a page unless the request sets Limit, streaming each item as its page arrives.</summary>
    public IAsyncEnumerable<Dictionary<string, AttributeValue>> ScanAsync(ScanRequest request, OpContext op) =>
        PagesAsync("Scan", request.TableName, async (start, t) =>
        {
            request.Limit ??= ScanPageSize;
            request.ExclusiveStartKey = start;
            var response = await Sdk.ScanAsync(request, t).ConfigureAwait(false);
            return (response.Items, response.LastEvaluatedKey);
        }, op);

    /// <summary>
    /// The one paging loop: each page is one read through the retry layer, starting at the previous page's LastEvaluatedKey,
    /// its items yielded as soon as it arrives. Nothing is buffered beyond one page.
    /// </summary>
    private async IAsyncEnumerable<Dictionary<string, AttributeValue>> PagesAsync(string operation, string table,
        Func<Dictionary<string, AttributeValue>?, CancellationToken, Task<(List<Dictionary<string, AttributeValue>>? Items, Dictionary<string, AttributeValue>? Next)>> page,
        OpContext op)
    {
        var progress = new PageProgress(table, op);
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var (items, next) = await _caller.ReadAsync(operation, table, t => page(start, t), op).ConfigureAwait(false);
            progress.Page(items?.Count ?? 0);
            foreach (var item in items ?? []) yield return item;
            start = next is { Count: > 0 } ? next : null;
        }
        while (start is not null);
        progress.Done();
    }

    /// <summary>Writes requests in batches of 25, in order (see the overload taking a count).</summary>
    public Task BatchWriteAsync(string table, IReadOnlyList<WriteRequest> writes, OpContext op) =>
        BatchWriteAsync(table, writes.Count, i => writes[i], op);

    /// <summary>
    /// Writes <paramref name="count"/> requests in batches of 25, in order, one batch after another: a batch is sent only once
    /// every earlier one is wholly processed, its UnprocessedItems re-sent with the retry layer's backoff (a StoreError when
    /// the attempts run out). Request i is made by <paramref name="write"/> only when its batch is sent, so a caller with many
    /// records holds the records, not every request's item (several times their size) for the whole write.
    /// </summary>
    public async Task BatchWriteAsync(string table, int count, Func<int, WriteRequest> write, OpContext op)
    {
        var batches = (count + BatchSize - 1) / BatchSize;
        if (batches > 1) op.Log.Verbose($"Writing {batches} batches to {table}");
        for (var i = 0; i < count; i += BatchSize)
        {
            var remaining = new List<WriteRequest>(Math.Min(BatchSize, count - i));
            for (var j = i; j < i + BatchSize && j < count; j++) remaining.Add(write(j));
            await _caller.WriteAsync("BatchWriteItem", table, async t =>
            {
                var response = await Sdk.BatchWriteItemAsync(
                    new BatchWriteItemRequest { RequestItems = new() { [table] = remaining } }, t).ConfigureAwait(false);
                if (response.UnprocessedItems is { } left && left.TryGetValue(table, out var unprocessed) && unprocessed.Count > 0)
                {
                    remaining = unprocessed;
                    throw new UnprocessedItemsException(unprocessed.Count);
                }
                return response;
            }, op).ConfigureAwait(false);
        }
    }

    public Task<PutItemResponse> PutAsync(string table, Dictionary<string, AttributeValue> item, OpContext op) =>
        PutAsync(new PutItemRequest(table, item), op);

    /// <summary>A put with the caller's options (a condition, for example).</summary>
    public Task<PutItemResponse> PutAsync(PutItemRequest request, OpContext op) =>
        WriteAsync("PutItem", request.TableName, (c, t) => c.PutItemAsync(request, t), op);

    /// <summary>One item, or null when it does not exist.</summary>
    public async Task<Dictionary<string, AttributeValue>?> GetAsync(string table, Dictionary<string, AttributeValue> key, bool consistentRead,
        OpContext op)
    {
        var response = await ReadAsync("GetItem", table, (c, t) => c.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = key,
            ConsistentRead = consistentRead,
        }, t), op).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    /// <summary>Deletes one item; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string table, Dictionary<string, AttributeValue> key, OpContext op)
    {
        var response = await WriteAsync("DeleteItem", table,
            (c, t) => c.DeleteItemAsync(new DeleteItemRequest { TableName = table, Key = key, ReturnValues = ReturnValue.ALL_OLD }, t), op)
            .ConfigureAwait(false);
        return response.Attributes is { Count: > 0 };
    }

    /// <summary>The table's description, or null when it does not exist.</summary>
    public async Task<TableDescription?> DescribeAsync(string table, OpContext op)
    {
        try
        {
            var response = await ReadAsync("DescribeTable", table, (c, t) => c.DescribeTableAsync(table, t), op).ConfigureAwait(false);
            return response.Table;
        }
        catch (CimaaException e) when (e.ErrorId == ErrorIds.TableNotFound)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        Sdk.Dispose();
        return ValueTask.CompletedTask;
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
}
