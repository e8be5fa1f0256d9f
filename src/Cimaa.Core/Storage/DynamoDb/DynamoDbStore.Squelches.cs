using Amazon.DynamoDBv2.Model;

namespace Cimaa.Storage.DynamoDb;

/// <summary>Squelches in <c>&lt;prefix&gt;squelches</c>: hash regex; permanent is 'p' or absent; expires is optional.</summary>
public sealed partial class DynamoDbStore
{
    public async IAsyncEnumerable<SquelchRecord> GetSquelchesAsync(OpContext op)
    {
        op.Log.Verbose(ReadNotes.Squelches(Settings.SquelchesTable));
        await foreach (var item in ScanAsync(new ScanRequest { TableName = Settings.SquelchesTable }, op))
        {
            if (Str(item, "regex") is not { } regex) continue;
            yield return new SquelchRecord(regex, Str(item, "reason") ?? "", Str(item, "user") ?? "", Long(item, "time") ?? 0,
                !string.IsNullOrEmpty(Str(item, "permanent")), Long(item, "expires"));
        }
    }

    public async Task<bool> PutSquelchAsync(SquelchRecord s, bool overwrite, OpContext op)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["regex"] = S(s.Regex), ["reason"] = S(s.Reason), ["user"] = S(s.User), ["time"] = N(s.Time),
        };
        if (s.Permanent) item["permanent"] = S("p");
        if (s.Expires is { } e) item["expires"] = N(e);
        var request = new PutItemRequest(Settings.SquelchesTable, item);
        if (!overwrite)
        {
            request.ConditionExpression = "attribute_not_exists(#r)";
            request.ExpressionAttributeNames = new() { ["#r"] = "regex" };
        }
        try
        {
            await _caller.WriteAsync("PutItem", Settings.SquelchesTable, t => _client.PutItemAsync(request, t), op);
            return true;
        }
        catch (CimaaException ex) when (ex.InnerException is ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task<bool> DeleteSquelchAsync(string regex, OpContext op) =>
        DeleteAsync(Settings.SquelchesTable, new() { ["regex"] = S(regex) }, op);
}
