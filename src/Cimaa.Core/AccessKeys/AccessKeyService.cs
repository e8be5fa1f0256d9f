using System.Runtime.CompilerServices;
using Cimaa.Storage;

namespace Cimaa.AccessKeys;

/// <summary>A checked request of New-CimaaAccessKey: the normalized permissions and the description.</summary>
public sealed record NewAccessKeyRequest(PermissionSet Permissions, string? Description)
{
    /// <summary>True when a permission names every domain (<c>*</c>), which New-CimaaAccessKey confirms first.</summary>
    public bool GrantsAnyDomain => Permissions.GrantsAnyDomain;
}

/// <summary>
/// What Set-CimaaAccessKey changes, as given: <see cref="Permission"/> replaces the permissions, then <see cref="Add"/> and
/// <see cref="Remove"/> apply; null leaves a part as it is (an empty <see cref="Permission"/> removes every permission).
/// A null <see cref="Description"/> keeps it; an empty one clears it.
/// </summary>
public sealed record AccessKeyChange(IReadOnlyList<string?>? Permission = null, IReadOnlyList<string?>? Add = null,
    IReadOnlyList<string?>? Remove = null, AccessKeyState? State = null, string? Description = null);

/// <summary>A checked <see cref="AccessKeyChange"/>: its permissions parsed and normalized.</summary>
public sealed record AccessKeyUpdate(PermissionSet? Replace, PermissionSet? Add, PermissionSet? Remove, AccessKeyState? State, string? Description)
{
    public bool GrantsAnyDomain => Replace?.GrantsAnyDomain == true || Add?.GrantsAnyDomain == true;

    public bool IsEmpty => Replace is null && Add is null && Remove is null && State is null && Description is null;
}

/// <summary>
/// The access-key rules, above the stores: new keys with a generated id and secret, permissions parsed and normalized
/// (<c>rw</c> stored as two, ops lower case, sorted), changes, enabling and disabling, removal, and the lookup the signature
/// verifier needs. Errors: InvalidPermission (before anything is written) and AccessKeyNotFound.
/// </summary>
public sealed class AccessKeyService(IAccessKeyStore store, TimeProvider clock)
{
    /// <summary>How many fresh ids are tried when a generated id exists already (about 2^-103 each).</summary>
    private const int IdAttempts = 3;

    /// <summary>Parses permission texts (<c>domain:r|w|rw</c>); the first bad one is InvalidPermission. Null gives an empty set.</summary>
    public static PermissionSet ParsePermissions(IEnumerable<string?>? texts) => texts is null ? PermissionSet.Empty : PermissionSet.Parse(texts);

    public static NewAccessKeyRequest PrepareNew(IEnumerable<string?> permissions, string? description) =>
        new(ParsePermissions(permissions), string.IsNullOrEmpty(description) ? null : description);

    public static AccessKeyUpdate PrepareChange(AccessKeyChange change) => new(
        change.Permission is null ? null : ParsePermissions(change.Permission),
        change.Add is null ? null : ParsePermissions(change.Add),
        change.Remove is null ? null : ParsePermissions(change.Remove),
        change.State, change.Description);

    /// <summary>Creates a key with a new id and secret, active, and returns it with its secret (the only time it is given out).</summary>
    public async Task<NewAccessKey> CreateAsync(NewAccessKeyRequest request, OpContext op)
    {
        var created = Epoch.Now(clock);
        var permissions = request.Permissions.ToStrings();
        for (var attempt = 1; ; attempt++)
        {
            var item = new AccessKeyItem(AccessKeyGenerator.NewId(), AccessKeyGenerator.NewSecret(), permissions,
                AccessKeyRecord.FormatState(AccessKeyState.Active), created, request.Description);
            op.Log.Verbose($"Creating access key {item.AccessKeyId} with permissions {PermissionText(permissions)}");
            if (await store.PutAccessKeyAsync(item, overwrite: false, op))
            {
                return new NewAccessKey
                {
                    AccessKeyId = item.AccessKeyId,
                    SecretAccessKey = item.SecretAccessKey,
                    Permissions = [.. permissions],
                    Description = item.Description,
                    Created = Epoch.ToTime(created),
                };
            }
            if (attempt == IdAttempts) throw new InvalidOperationException($"{IdAttempts} generated access key ids were all taken.");
        }
    }

    /// <summary>
    /// Keys sorted by id: all of them when <paramref name="ids"/> is null or empty, else those whose id equals one of the texts or
    /// matches it as a (case-sensitive) wildcard. An exact id that matches nothing is reported to <paramref name="notFound"/>.
    /// </summary>
    public async IAsyncEnumerable<AccessKey> GetAsync(IReadOnlyList<string>? ids, Action<CimaaException>? notFound, OpContext op,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var patterns = (ids ?? []).Distinct(StringComparer.Ordinal).Select(p => new Wildcard(p)).ToList();
        if (patterns.Count > 0 && patterns.All(p => !p.IsWildcard))
        {
            var found = new List<AccessKey>();
            foreach (var p in patterns)
            {
                if (await store.GetAccessKeyAsync(p.Literal, op) is { } item) found.Add(ToAccessKey(item));
                else notFound?.Invoke(NotFound(p.Literal));
            }
            foreach (var key in found.OrderBy(k => k.AccessKeyId, StringComparer.Ordinal)) yield return key;
            yield break;
        }
        var all = new List<AccessKey>();
        await foreach (var item in store.GetAccessKeysAsync(op).WithCancellation(ct))
        {
            if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(item.AccessKeyId))) all.Add(ToAccessKey(item));
        }
        foreach (var missing in patterns.Where(p => !p.IsWildcard && !all.Any(k => p.IsMatch(k.AccessKeyId)))) notFound?.Invoke(NotFound(missing.Literal));
        foreach (var key in all.OrderBy(k => k.AccessKeyId, StringComparer.Ordinal)) yield return key;
    }

    /// <summary>Applies a checked change to one key and returns it as stored; AccessKeyNotFound when there is no such key.</summary>
    public async Task<AccessKey> SetAsync(string accessKeyId, AccessKeyUpdate update, OpContext op)
    {
        var item = await store.GetAccessKeyAsync(accessKeyId, op) ?? throw NotFound(accessKeyId);
        if (update.IsEmpty) return ToAccessKey(item);
        var permissions = new SortedSet<string>(update.Replace?.ToStrings() ?? item.Permissions, StringComparer.Ordinal);
        if (update.Add is not null) permissions.UnionWith(update.Add.ToStrings());
        if (update.Remove is not null) permissions.ExceptWith(update.Remove.ToStrings());
        var changed = item with
        {
            Permissions = permissions.ToList(),
            State = update.State is { } state ? AccessKeyRecord.FormatState(state) : item.State,
            Description = update.Description is null ? item.Description : update.Description.Length == 0 ? null : update.Description,
        };
        op.Log.Verbose($"Setting access key {accessKeyId}: permissions {PermissionText(changed.Permissions)}, state {changed.State}");
        if (!await store.PutAccessKeyAsync(changed, overwrite: true, op)) throw NotFound(accessKeyId);
        return ToAccessKey(changed);
    }

    /// <summary>Deletes a key; AccessKeyNotFound when there is none.</summary>
    public async Task RemoveAsync(string accessKeyId, OpContext op)
    {
        op.Log.Verbose($"Removing access key {accessKeyId}");
        if (!await store.DeleteAccessKeyAsync(accessKeyId, op)) throw NotFound(accessKeyId);
    }

    /// <summary>
    /// What the signature verifier needs of one key; null when there is none. Stored permissions that do not parse (written by
    /// another tool) grant nothing, and a state other than ACTIVE counts as inactive.
    /// </summary>
    public async Task<AccessKeyRecord?> LookupAsync(string accessKeyId, OpContext op) =>
        await store.GetAccessKeyAsync(accessKeyId, op) is { } item ? ToRecord(item) : null;

    /// <summary>Every key as the verifier needs it, by id (for a server that caches the table).</summary>
    public async Task<IReadOnlyDictionary<string, AccessKeyRecord>> LoadAllAsync(OpContext op)
    {
        var all = new Dictionary<string, AccessKeyRecord>(StringComparer.Ordinal);
        await foreach (var item in store.GetAccessKeysAsync(op)) all[item.AccessKeyId] = ToRecord(item);
        return all;
    }

    public static AccessKeyRecord ToRecord(AccessKeyItem item)
    {
        var permissions = new List<Permission>();
        foreach (var text in item.Permissions)
        {
            try
            {
                permissions.AddRange(Permission.Parse(text));
            }
            catch (CimaaException)
            {
                // Not a permission of this contract: it grants nothing.
            }
        }
        return new AccessKeyRecord(item.AccessKeyId, item.SecretAccessKey, new PermissionSet(permissions), StateOf(item));
    }

    public static AccessKey ToAccessKey(AccessKeyItem item) => new()
    {
        AccessKeyId = item.AccessKeyId,
        Permissions = item.Permissions.Order(StringComparer.Ordinal).ToArray(),
        State = StateOf(item),
        Created = Epoch.ToTime(item.Created),
        Description = item.Description,
    };

    private static AccessKeyState StateOf(AccessKeyItem item) => AccessKeyRecord.ParseState(item.State) ?? AccessKeyState.Inactive;

    /// <summary>Permissions as messages show them: comma-separated, or <c>(none)</c>.</summary>
    public static string PermissionText(IReadOnlyCollection<string> permissions) => permissions.Count == 0 ? "(none)" : string.Join(", ", permissions);

    public static CimaaException NotFound(string accessKeyId) =>
        new(AccessKeyErrorIds.AccessKeyNotFound, CimaaErrorCategory.ObjectNotFound, $"There is no access key '{accessKeyId}'.", accessKeyId);
}
