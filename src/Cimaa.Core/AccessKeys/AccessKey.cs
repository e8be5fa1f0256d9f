using Cimaa.AccessKeys;

namespace Cimaa;

/// <summary>
/// An access key as Get-CimaaAccessKey shows it (type name Cimaa.AccessKey). It has no secret: the secret is shown once, by
/// New-CimaaAccessKey, and never again.
/// </summary>
public sealed class AccessKey
{
    public required string AccessKeyId { get; init; }

    /// <summary>The stored permissions (<c>domain:r</c>, <c>domain:w</c>), sorted ordinally.</summary>
    public required string[] Permissions { get; init; }

    public AccessKeyState State { get; init; }

    public DateTimeOffset Created { get; init; }

    public string? Description { get; init; }

    public override string ToString() => AccessKeyId;
}

/// <summary>
/// A key just created by New-CimaaAccessKey (type name Cimaa.NewAccessKey): the only object that carries the secret.
/// ToString gives the id alone, so that the secret shows only where it is asked for by name.
/// </summary>
public sealed class NewAccessKey
{
    public required string AccessKeyId { get; init; }

    public required string SecretAccessKey { get; init; }

    public required string[] Permissions { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset Created { get; init; }

    public override string ToString() => AccessKeyId;
}
