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
/// A set of 64-bit hashes in one open-addressing array (8 bytes a slot, at most 3/4 full): a million keys take 16 MB, where a
/// HashSet&lt;ulong&gt; would take about 40. Zero marks an empty slot, so the hash 0 is stored as 1 (a collision that the
/// confirming pass sorts out like any other).
/// </summary>
internal sealed class KeyHashSet
{
    private ulong[] _slots = new ulong[1024];
    private int _count;

    public int Count => _count;

    /// <summary>False when the hash was already in the set.</summary>
    public bool Add(ulong hash)
    {
        if (hash == 0) hash = 1;
        if ((_count + 1) * 4L > _slots.Length * 3L) Grow();
        return Insert(_slots, hash) && ++_count > 0;
    }

    private static bool Insert(ulong[] slots, ulong hash)
    {
        var mask = slots.Length - 1;
        var i = (int)(hash & (ulong)mask);
        while (true)
        {
            var s = slots[i];
            if (s == 0)
            {
                slots[i] = hash;
                return true;
            }
            if (s == hash) return false;
            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var bigger = new ulong[_slots.Length * 2];
        foreach (var s in _slots)
        {
            if (s != 0) Insert(bigger, s);
        }
        _slots = bigger;
    }
}
