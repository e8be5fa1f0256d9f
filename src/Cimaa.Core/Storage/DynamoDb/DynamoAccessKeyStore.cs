using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Cimaa.Storage.DynamoDb;

/// <summary>
/// Access keys in <c>&lt;prefix&gt;credentials</c> (Amondawa's layout): hash <c>access_key_id</c> S; <c>secret_access_key</c> S,
/// <c>permissions</c> SS, <c>state</c> S, <c>created</c> N, <c>description</c> S. DynamoDB refuses an empty set, so a key
/// without permissions has no <c>permissions</c> attribute, and an empty description none either. Every request goes through
/// the connection's <see cref="DynamoCaller"/>.
/// </summary>
public sealed class DynamoAccessKeyStore : IAccessKeyStore
{
    private const string Id = "access_key_id";
    private readonly AmazonDynamoDBClient _client;
    private readonly DynamoCaller _caller;
    private readonly string _table;

    internal DynamoAccessKeyStore(AmazonDynamoDBClient client, DynamoCaller caller, ConnectionSettings settings)
    {
        _client = client;
        _caller = caller;
        _table = settings.CredentialsTable;
    }

    public async IAsyncEnumerable<AccessKeyItem> GetAccessKeysAsync(OpContext op)
    {
        op.Log.Verbose($"Reading the access keys from table '{_table}'");
        var request = new ScanRequest { TableName = _table, ConsistentRead = true };
        do
        {
            var response = await _caller.ReadAsync("Scan", _table, t => _client.ScanAsync(request, t), op);
            foreach (var item in response.Items ?? [])
            {
                if (FromItem(item) is { } key) yield return key;
            }
            request.ExclusiveStartKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (request.ExclusiveStartKey is not null);
    }

    public async Task<AccessKeyItem?> GetAccessKeyAsync(string accessKeyId, OpContext op)
    {
        var response = await _caller.ReadAsync("GetItem", _table, t => _client.GetItemAsync(new GetItemRequest
        {
            TableName = _table,
            Key = new() { [Id] = DynamoDbStore.S(accessKeyId) },
            ConsistentRead = true,
        }, t), op);
        return response.Item is { Count: > 0 } item ? FromItem(item) : null;
    }

    public async Task<bool> PutAccessKeyAsync(AccessKeyItem key, bool overwrite, OpContext op)
    {
        var request = new PutItemRequest(_table, ToItem(key))
        {
            ConditionExpression = overwrite ? "attribute_exists(#id)" : "attribute_not_exists(#id)",
            ExpressionAttributeNames = new() { ["#id"] = Id },
        };
        try
        {
            await _caller.WriteAsync("PutItem", _table, t => _client.PutItemAsync(request, t), op);
            return true;
        }
        catch (CimaaException e) when (e.InnerException is ConditionalCheckFailedException)
        {
            return false;
        }
    }

    public async Task<bool> DeleteAccessKeyAsync(string accessKeyId, OpContext op)
    {
        var response = await _caller.WriteAsync("DeleteItem", _table, t => _client.DeleteItemAsync(new DeleteItemRequest
        {
            TableName = _table,
            Key = new() { [Id] = DynamoDbStore.S(accessKeyId) },
            ReturnValues = ReturnValue.ALL_OLD,
        }, t), op);
        return response.Attributes is { Count: > 0 };
    }

    private static Dictionary<string, AttributeValue> ToItem(AccessKeyItem key)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Id] = DynamoDbStore.S(key.AccessKeyId),
            ["secret_access_key"] = DynamoDbStore.S(key.SecretAccessKey),
            ["state"] = DynamoDbStore.S(key.State),
            ["created"] = DynamoDbStore.N(key.Created),
        };
        if (key.Permissions.Count > 0) item["permissions"] = new AttributeValue { SS = key.Permissions.ToList() };
        if (!string.IsNullOrEmpty(key.Description)) item["description"] = DynamoDbStore.S(key.Description);
        return item;
    }

    /// <summary>The key of an item; null for an item without an id or a secret (written by another tool).</summary>
    private static AccessKeyItem? FromItem(Dictionary<string, AttributeValue> item)
    {
        if (DynamoDbStore.Str(item, Id) is not { } id || DynamoDbStore.Str(item, "secret_access_key") is not { } secret) return null;
        var permissions = item.TryGetValue("permissions", out var p)
            ? (IReadOnlyList<string>)(p.SS is { Count: > 0 } ss ? ss : p.S is { } single ? [single] : [])
            : [];
        var description = DynamoDbStore.Str(item, "description");
        return new AccessKeyItem(id, secret, permissions, DynamoDbStore.Str(item, "state") ?? "", DynamoDbStore.Long(item, "created") ?? 0,
            string.IsNullOrEmpty(description) ? null : description);
    }
}
