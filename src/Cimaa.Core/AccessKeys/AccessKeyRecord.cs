namespace Cimaa.AccessKeys;

/// <summary>Whether a key may be used; stored as <c>ACTIVE</c> or <c>INACTIVE</c>.</summary>
public enum AccessKeyState { Active, Inactive }

/// <summary>What the signature verifier needs of one key: its secret, permissions and state.</summary>
public sealed record AccessKeyRecord(string AccessKeyId, string SecretAccessKey, PermissionSet Permissions, AccessKeyState State)
{
    public bool IsActive => State == AccessKeyState.Active;

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => $"{AccessKeyId} {State} {Permissions}";

    public static string FormatState(AccessKeyState state) => state == AccessKeyState.Active ? "ACTIVE" : "INACTIVE";

    /// <summary>The stored text as a state; null for anything but ACTIVE or INACTIVE.</summary>
    public static AccessKeyState? ParseState(string? text) => text switch
    {
        "ACTIVE" => AccessKeyState.Active,
        "INACTIVE" => AccessKeyState.Inactive,
        _ => null,
    };
}

/// <summary>Looks an access key up by id; null when there is no such key.</summary>
public delegate AccessKeyRecord? AccessKeyLookup(string accessKeyId);
