using Amazon.DynamoDBv2.Model;
using static Cimaa.Storage.DynamoDb.DynamoItems;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Access keys in <c>&lt;prefix&gt;credentials</c> (Amondawa's layout): hash <c>access_key_id</c> S; <c>secret_access_key</c> S,
/// <c>permissions</c> SS, <c>state</c> S, <c>created</c> N, <c>description</c> S. DynamoDB refuses an empty set, so a key
/// without permissions has no <c>permissions</c> attribute, and an empty description none either.
/// </summary>
internal sealed class DynamoAccessKeyStore(DynamoTableClient table) : IAccessKeyStore
{
    private const string Id = "access_key_id";

    private string Table => table.Settings.CredentialsTable;

    public async IAsyncEnumerable<AccessKeyItem> GetAccessKeysAsync(OpContext op)
    {
        op.Log.Verbose($"Reading the access keys from table '{Table}'");
        await foreach (var item in table.ScanAsync(new ScanRequest { TableName = Table, ConsistentRead = true }, op).ConfigureAwait(false))
        {
            if (FromItem(item) is { } key) yield return key;
        }
    }

    public async Task<AccessKeyItem?> GetAccessKeyAsync(string accessKeyId, OpContext op) =>
        await table.GetAsync(Table, new() { [Id] = S(accessKeyId) }, consistentRead: true, op).ConfigureAwait(false) is { } item
            ? FromItem(item)
            : null;

    public async Task<bool> PutAccessKeyAsync(AccessKeyItem key, bool overwrite, OpContext op)
    {
        var request = new PutItemRequest(Table, ToItem(key))
        {
            ConditionExpression = overwrite ? "attribute_exists(#id)" : "attribute_not_exists(#id)",
            ExpressionAttributeNames = new() { ["#id"] = Id },
        };
        try
        {
            await table.PutAsync(request, op).ConfigureAwait(false);
            return true;
        }
        catch (CimaaException e) when (e.InnerException is ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public Task<bool> DeleteAccessKeyAsync(string accessKeyId, OpContext op) => table.DeleteAsync(Table, new() { [Id] = S(accessKeyId) }, op);

    private static Dictionary<string, AttributeValue> ToItem(AccessKeyItem key)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Id] = S(key.AccessKeyId),
            ["secret_access_key"] = S(key.SecretAccessKey),
            ["state"] = S(key.State),
            ["created"] = N(key.Created),
        };
        if (key.Permissions.Count > 0) item["permissions"] = new AttributeValue { SS = key.Permissions.ToList() };
        if (!string.IsNullOrEmpty(key.Description)) item["description"] = S(key.Description);
        return item;
    }

    /// <summary>The key of an item; null for an item without an id or a secret (written by another tool).</summary>
    private static AccessKeyItem? FromItem(Dictionary<string, AttributeValue> item)
    {
        if (Str(item, Id) is not { } id || Str(item, "secret_access_key") is not { } secret) return null;
        var permissions = item.TryGetValue("permissions", out var p)
            ? (IReadOnlyList<string>)(p.SS is { Count: > 0 } ss ? ss : p.S is { } single ? [single] : [])
            : [];
        var description = Str(item, "description");
        return new AccessKeyItem(id, secret, permissions, Str(item, "state") ?? "", Long(item, "created") ?? 0,
            string.IsNullOrEmpty(description) ? null : description);
    }
}
