using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using Cimaa.AccessKeys;
using Microsoft.AspNetCore.Http;

namespace Cimaa.Server;

/// <summary>Why a body was refused: the HTTP status and the message for <c>{"errors":[..]}</c>.</summary>
public readonly record struct BodyError(int Status, string Message);

/// <summary>
/// A request body held in memory (a pooled buffer, returned on dispose), read with a size limit, with the SHA-256 of the
/// bytes as received computed while they arrive (the signature's payload hash).
/// </summary>
public sealed class RequestBody : IDisposable
{
    private byte[]? _buffer;
    private byte[]? _decoded;
    private int _decodedLength;

    private RequestBody(byte[] buffer, int length, string sha256)
    {
        _buffer = buffer;
        Length = length;
        Sha256 = sha256;
    }

    public int Length { get; }

    /// <summary>Hex SHA-256 of the body as received (before any Content-Encoding is undone).</summary>
    public string Sha256 { get; }

    /// <summary>The body as received.</summary>
    public ReadOnlySpan<byte> Raw => _buffer.AsSpan(0, Length);

    /// <summary>The body after <see cref="Decode"/> (the raw body when it was not encoded).</summary>
    public ReadOnlySpan<byte> Content => _decoded is null ? Raw : _decoded.AsSpan(0, _decodedLength);

    public static readonly RequestBody Empty = new([], 0, SigV4.EmptyPayloadHash);

    /// <summary>Reads the whole body, refusing (413) one over <paramref name="maxBytes"/> without reading past the limit.</summary>
    public static async Task<(RequestBody? Body, BodyError? Error)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes, ""));
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(request.ContentLength ?? 16 * 1024, 1, Math.Min(maxBytes + 1, 1 << 20)));
        var length = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes) break;
                    buffer = Grow(buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                }
                var n = await request.Body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (n == 0) break;
                hash.AppendData(buffer, length, n);
                length += n;
                if (length > maxBytes) break;
            }
        }
        catch (BadHttpRequestException e)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(maxBytes, "") : new BodyError(e.StatusCode, "the request body could not be read: " + e.Message));
        }
        if (length > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, TooLarge(maxBytes, ""));
        }
        return (new RequestBody(buffer, length, SigV4.Hex(hash.GetHashAndReset())), null);
    }

    /// <summary>
    /// Undoes <c>Content-Encoding: gzip</c> (or none, or identity), refusing (413) a body that decompresses to more than
    /// <paramref name="maxBytes"/>, which stops a gzip bomb after that many bytes, and (400) one that is not gzip.
    /// </summary>
    public BodyError? Decode(string? contentEncoding, long maxBytes)
    {
        var encoding = contentEncoding?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(encoding) || encoding == "identity") return null;
        if (encoding is not ("gzip" or "x-gzip"))
            return new BodyError(StatusCodes.Status415UnsupportedMediaType, $"Content-Encoding '{contentEncoding}' is not supported: send gzip or none");
        var output = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(Length * 4L, 16 * 1024), maxBytes + 1));
        var length = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(_buffer!, 0, Length, writable: false), CompressionMode.Decompress);
            while (true)
            {
                if (length == output.Length)
                {
                    if (length > maxBytes) break;
                    output = Grow(output, (int)Math.Min((long)output.Length * 2, maxBytes + 1));
                }
                var n = gzip.Read(output, length, output.Length - length);
                if (n == 0) break;
                length += n;
                if (length > maxBytes) break;
            }
        }
        catch (InvalidDataException)
        {
            ArrayPool<byte>.Shared.Return(output);
            return new BodyError(StatusCodes.Status400BadRequest, "the body is not valid gzip (Content-Encoding: gzip)");
        }
        if (length > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(output);
            return TooLarge(maxBytes, " once decompressed");
        }
        _decoded = output;
        _decodedLength = length;
        return null;
    }

    public void Dispose()
    {
        if (_buffer is { Length: > 0 } b) ArrayPool<byte>.Shared.Return(b);
        if (_decoded is { } d) ArrayPool<byte>.Shared.Return(d);
        _buffer = null;
        _decoded = null;
    }

    private static BodyError TooLarge(long maxBytes, string when) =>
        new(StatusCodes.Status413PayloadTooLarge, $"the request body is over the limit of {maxBytes} bytes{when}");

    private static byte[] Grow(byte[] buffer, int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        buffer.AsSpan().CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
