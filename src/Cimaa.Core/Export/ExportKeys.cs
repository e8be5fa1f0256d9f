using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cimaa.Export;

/// <summary>
/// Record keys for the duplicate check. A key is its parts, each prefixed with its length, so ("a|b", "c") and ("a", "b|c") differ;
/// its 64-bit hash is the first 8 bytes of SHA-256 over the table and the key (in the BCL, no extra dependency).
/// </summary>
internal static class ExportKeys
{
    public static string Join(params string[] parts)
    {
        var sb = new StringBuilder();
        foreach (var p in parts)
        {
            sb.Append(p.Length).Append(':').Append(p);
        }
        return sb.ToString();
    }

    public static ulong Hash(ExportTable table, string key)
    {
        var max = Encoding.UTF8.GetMaxByteCount(key.Length) + 1;
        var rented = max <= 512 ? null : ArrayPool<byte>.Shared.Rent(max);
        Span<byte> buffer = rented ?? stackalloc byte[512];
        try
        {
            buffer[0] = (byte)table;
            var n = Encoding.UTF8.GetBytes(key, buffer[1..]);
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer[..(n + 1)], digest);
            return BinaryPrimitives.ReadUInt64LittleEndian(digest);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

/// <summary>
/// Every key hash of a file, 8 bytes each with no load factor and no doubling: 256 buckets by the top byte, each a list of
/// chunks that grow from 64 to 4,096 hashes. A million keys take about 9 MB. <see cref="Repeated"/> sorts one bucket at a time
/// and returns the hashes seen more than once: the suspects the confirming pass checks against the real keys.
/// </summary>
internal sealed class KeyHashBag
{
    private const int FirstChunk = 64;
    private const int MaxChunk = 4096;
    private readonly List<ulong[]>?[] _buckets = new List<ulong[]>?[256];
    private readonly int[] _fill = new int[256];
    private readonly int[] _count = new int[256];

    public long Count { get; private set; }

    public void Add(ulong hash)
    {
        var b = (int)(hash >> 56);
        var chunks = _buckets[b] ??= [];
        if (chunks.Count == 0 || _fill[b] == chunks[^1].Length)
        {
            chunks.Add(new ulong[chunks.Count == 0 ? FirstChunk : Math.Min(MaxChunk, chunks[^1].Length * 2)]);
            _fill[b] = 0;
        }
        chunks[^1][_fill[b]++] = hash;
        _count[b]++;
        Count++;
    }

    /// <summary>The hashes added more than once, at most <paramref name="max"/> of them.</summary>
    public HashSet<ulong> Repeated(int max)
    {
        var repeated = new HashSet<ulong>();
        for (var b = 0; b < _buckets.Length && repeated.Count < max; b++)
        {
            if (_buckets[b] is not { } chunks) continue;
            var all = new ulong[_count[b]];
            var n = 0;
            for (var c = 0; c < chunks.Count; c++)
            {
                var used = c == chunks.Count - 1 ? _fill[b] : chunks[c].Length;
                Array.Copy(chunks[c], 0, all, n, used);
                n += used;
            }
            _buckets[b] = null;
            Array.Sort(all);
            for (var i = 1; i < all.Length && repeated.Count < max; i++)
            {
                if (all[i] == all[i - 1]) repeated.Add(all[i]);
            }
        }
        return repeated;
    }
}
