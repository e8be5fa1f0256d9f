using System.Text.RegularExpressions;

namespace Cimaa.AccessKeys;

/// <summary>What a permission allows on a domain.</summary>
public enum AccessOp { Read, Write }

/// <summary>One stored permission <c>&lt;domain&gt;:r</c> or <c>&lt;domain&gt;:w</c>; the domain may be <c>*</c>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The contract's word: a key's permission, not a .NET code-access permission.")]
public readonly partial record struct Permission(string Domain, AccessOp Op)
{
    public const string AnyDomain = "*";

    /// <summary>
    /// Parses <c>&lt;domain&gt;:r|w|rw</c> (the op case-insensitive, the domain case-sensitive): one permission, or two for <c>rw</c>.
    /// Anything else is InvalidPermission.
    /// </summary>
    public static IReadOnlyList<Permission> Parse(string? text)
    {
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon < 0) throw Invalid(text);
        var domain = text[..colon];
        if (!IsDomainOrAny(domain)) throw Invalid(text);
        return text[(colon + 1)..].ToLowerInvariant() switch
        {
            "r" => [new Permission(domain, AccessOp.Read)],
            "w" => [new Permission(domain, AccessOp.Write)],
            "rw" => [new Permission(domain, AccessOp.Read), new Permission(domain, AccessOp.Write)],
            _ => throw Invalid(text),
        };
    }

    /// <summary>A domain name of the server's paths: 1-64 characters of [A-Za-z0-9_.-].</summary>
    public static bool IsDomain(string? domain) => domain is not null && DomainPattern().IsMatch(domain);

    public static bool IsDomainOrAny(string? domain) => domain == AnyDomain || IsDomain(domain);

    /// <summary>The stored form: <c>domain:r</c> or <c>domain:w</c>.</summary>
    public override string ToString() => Domain + (Op == AccessOp.Read ? ":r" : ":w");

    private static CimaaException Invalid(string? text) =>
        new(AccessKeyErrorIds.InvalidPermission, CimaaErrorCategory.InvalidArgument,
            $"'{text}' is not a permission: give <domain>:r, <domain>:w or <domain>:rw, where the domain is 1-64 characters of A-Z, a-z, 0-9, '_', '.', '-', or '*' for every domain.",
            text);

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();
}

/// <summary>The permissions of one access key. Access to domain d for op o is granted by <c>d:o</c> or <c>*:o</c>.</summary>
public sealed class PermissionSet
{
    private readonly HashSet<Permission> _set;

    public PermissionSet(IEnumerable<Permission> permissions) => _set = [.. permissions];

    public static PermissionSet Empty { get; } = new([]);

    /// <summary>Parses each text with <see cref="Permission.Parse"/>; the first bad one is InvalidPermission.</summary>
    public static PermissionSet Parse(IEnumerable<string?> texts) => new(texts.SelectMany(Permission.Parse));

    public int Count => _set.Count;

    public bool Contains(Permission permission) => _set.Contains(permission);

    public bool Allows(string domain, AccessOp op) =>
        _set.Contains(new Permission(domain, op)) || _set.Contains(new Permission(Permission.AnyDomain, op));

    /// <summary>True when a permission names every domain (<c>*</c>).</summary>
    public bool GrantsAnyDomain => _set.Any(p => p.Domain == Permission.AnyDomain);

    /// <summary>The stored strings (<c>d:r</c>, <c>d:w</c>), sorted ordinally.</summary>
    public IReadOnlyList<string> ToStrings() => _set.Select(p => p.ToString()).Order(StringComparer.Ordinal).ToList();

    public PermissionSet Union(IEnumerable<Permission> more) => new(_set.Concat(more));

    public PermissionSet Except(IEnumerable<Permission> less) => new(_set.Except(less));

    public override string ToString() => string.Join(",", ToStrings());
}
