using Cimaa.AccessKeys;

namespace Cimaa.Server.Tests;

/// <summary>An access key of the tests: id, secret and the permissions it is stored with.</summary>
public sealed record TestKey(string Id, string Secret, string[] Permissions, bool Active = true)
{
    public AccessKeyRecord Record => new(Id, Secret, PermissionSet.Parse(Permissions), Active ? AccessKeyState.Active : AccessKeyState.Inactive);
}

/// <summary>The keys every test server knows: one per permission shape of the contract, an all-domains key and an inactive one.</summary>
public static class TestKeys
{
    public static readonly TestKey All = new("AKIDALL0000000000001", "allSecretAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1+", ["*:rw"]);
    public static readonly TestKey WebRead = new("AKIDWEBREAD000000001", "webReadSecretBBBBBBBBBBBBBBBBBBBBBBBBBB2/", ["web:r"]);
    public static readonly TestKey WebWrite = new("AKIDWEBWRITE00000001", "webWriteSecretCCCCCCCCCCCCCCCCCCCCCCCCC3", ["web:w"]);
    public static readonly TestKey AnyRead = new("AKIDANYREAD000000001", "anyReadSecretDDDDDDDDDDDDDDDDDDDDDDDDDD4", ["*:r"]);
    public static readonly TestKey AnyWrite = new("AKIDANYWRITE00000001", "anyWriteSecretEEEEEEEEEEEEEEEEEEEEEEEEE5", ["*:w"]);
    /// <summary>The status page only: status:r, no metric domain.</summary>
    public static readonly TestKey StatusRead = new("AKIDSTATUSREAD000001", "statusReadSecretHHHHHHHHHHHHHHHHHHHHHHH8", ["status:r"]);
    public static readonly TestKey Inactive = new("AKIDINACTIVE00000001", "inactiveSecretFFFFFFFFFFFFFFFFFFFFFFFFF6", ["*:rw"], Active: false);

    /// <summary>Never stored: the server does not know it.</summary>
    public static readonly TestKey Unknown = new("AKIDUNKNOWN000000001", "unknownSecretGGGGGGGGGGGGGGGGGGGGGGGGGG7", ["*:rw"]);

    public static IReadOnlyList<TestKey> Stored { get; } = [All, WebRead, WebWrite, AnyRead, AnyWrite, StatusRead, Inactive];

    public static IEnumerable<string> Secrets => Stored.Append(Unknown).Select(k => k.Secret);
}
