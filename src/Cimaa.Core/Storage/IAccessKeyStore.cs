namespace Cimaa.Storage;

/// <summary>
/// A stored access key, as the <c>&lt;prefix&gt;credentials</c> table holds it: the secret, the permission strings
/// (<c>domain:r</c>, <c>domain:w</c>), the state text (<c>ACTIVE</c> or <c>INACTIVE</c>), the creation time in epoch seconds
/// and an optional description. Never formatted into text: ToString leaves the secret out.
/// </summary>
public sealed record AccessKeyItem(string AccessKeyId, string SecretAccessKey, IReadOnlyList<string> Permissions, string State, long Created,
    string? Description)
{
    public override string ToString() => $"{AccessKeyId} {State} {string.Join(",", Permissions)}";
}

/// <summary>Access keys in the credentials table. A store only reads and writes; the rules are in <c>AccessKeyService</c>.</summary>
public interface IAccessKeyStore
{
    /// <summary>Every key (one Scan on DynamoDB). Unordered.</summary>
    IAsyncEnumerable<AccessKeyItem> GetAccessKeysAsync(OpContext op);

    /// <summary>One key by its exact id (a strongly consistent read on DynamoDB); null when there is none.</summary>
    Task<AccessKeyItem?> GetAccessKeyAsync(string accessKeyId, OpContext op);

    /// <summary>
    /// Without <paramref name="overwrite"/>, stores a new key and returns false (writing nothing) when the id exists. With it,
    /// replaces an existing key and returns false (writing nothing) when there is none, so that a key removed meanwhile is not
    /// brought back by a concurrent change.
    /// </summary>
    Task<bool> PutAccessKeyAsync(AccessKeyItem key, bool overwrite, OpContext op);

    /// <summary>Deletes a key; false when it did not exist.</summary>
    Task<bool> DeleteAccessKeyAsync(string accessKeyId, OpContext op);
}
