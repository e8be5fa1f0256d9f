namespace Cimaa.Deploy;

/// <summary>What reading a status file gave: its first bytes (at most <see cref="StatusFile.MaxBytes"/> + 1), or why it failed.</summary>
public sealed record StatusFileRead(byte[]? Content, string? Error)
{
    public static StatusFileRead Of(byte[] content) => new(content, null);

    public static StatusFileRead Failed(string reason) => new(null, reason);

    public static StatusFileRead Of(string text) => Of(System.Text.Encoding.UTF8.GetBytes(text));
}

/// <summary>Reads a status file. The only part of the check that touches the file system.</summary>
public static class StatusFile
{
    /// <summary>A status file is one short line; anything larger is malformed.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Reads no more than MaxBytes + 1 bytes, so an oversized file is seen without reading it whole.</summary>
    public static StatusFileRead Read(string path)
    {
        try
        {
            if (Directory.Exists(path)) return StatusFileRead.Failed("Is a directory");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096);
            var buffer = new byte[MaxBytes + 1];
            var length = 0;
            while (length < buffer.Length)
            {
                var n = stream.Read(buffer, length, buffer.Length - length);
                if (n == 0) break;
                length += n;
            }
            return StatusFileRead.Of(buffer[..length]);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return StatusFileRead.Failed("No such file or directory");
        }
        catch (UnauthorizedAccessException)
        {
            return StatusFileRead.Failed("Permission denied");
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            return StatusFileRead.Failed(e.Message);
        }
    }
}
