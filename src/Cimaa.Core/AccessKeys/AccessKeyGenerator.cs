using System.Security.Cryptography;

namespace Cimaa.AccessKeys;

/// <summary>
/// New access keys from the cryptographic RNG: a 20-character id of uppercase letters and digits (about 103 bits) and a
/// 40-character secret of the base64 alphabet [A-Za-z0-9+/] (240 bits), the same shapes as AWS access keys.
/// </summary>
public static class AccessKeyGenerator
{
    public const int IdLength = 20;
    public const int SecretLength = 40;
    public const string IdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    public const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string NewId() => new(RandomNumberGenerator.GetItems<char>(IdAlphabet, IdLength));

    public static string NewSecret() => new(RandomNumberGenerator.GetItems<char>(SecretAlphabet, SecretLength));

    /// <summary>True for a string of the id's shape (20 uppercase letters and digits).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: IdLength } && id.AsSpan().IndexOfAnyExcept(IdChars) < 0;

    private static readonly System.Buffers.SearchValues<char> IdChars = System.Buffers.SearchValues.Create(IdAlphabet);
}
