using Amazon.DynamoDBv2.Model;
using static Cimaa.Storage.DynamoDb.DynamoItems;

namespace Cimaa.Storage.DynamoDb;

/// <summary>Squelches in <c>&lt;prefix&gt;squelches</c>: hash regex; permanent is 'p' or absent; expires is optional.</summary>
internal sealed class DynamoSquelchStore(DynamoTableClient table) : ISquelchStore
{
    private string Table => table.Settings.SquelchesTable;

    public async IAsyncEnumerable<SquelchRecord> GetSquelchesAsync(OpContext op)
    {
        op.Log.Verbose(ReadNotes.Squelches(Table));
        await foreach (var item in table.ScanAsync(new ScanRequest { TableName = Table }, op).ConfigureAwait(false))
        {
            if (Str(item, "regex") is not { } regex) continue;
            yield return new SquelchRecord(regex, Str(item, "reason") ?? "", Str(item, "user") ?? "", Long(item, "time") ?? 0,
                !string.IsNullOrEmpty(Str(item, "permanent")), Long(item, "expires"));
        }
    }

    public async Task<bool> PutSquelchAsync(SquelchRecord squelch, bool overwrite, OpContext op)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["regex"] = S(squelch.Regex), ["reason"] = S(squelch.Reason), ["user"] = S(squelch.User), ["time"] = N(squelch.Time),
        };
        if (squelch.Permanent) item["permanent"] = S("p");
        if (squelch.Expires is { } e) item["expires"] = N(e);
        var request = new PutItemRequest(Table, item);
        if (!overwrite)
        {
            request.ConditionExpression = "attribute_not_exists(#r)";
            request.ExpressionAttributeNames = new() { ["#r"] = "regex" };
        }
        try
        {
            await table.PutAsync(request, op).ConfigureAwait(false);
            return true;
        }
        catch (CimaaException ex) when (ex.InnerException is ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task<bool> DeleteSquelchAsync(string regex, OpContext op) => table.DeleteAsync(Table, new() { ["regex"] = S(regex) }, op);
}
