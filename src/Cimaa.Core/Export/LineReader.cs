namespace Cimaa.Export;

/// <summary>
/// Reads '\n'-terminated lines of bytes from a stream with one reusable buffer (grown up to <see cref="MaxLineBytes"/>), and
/// says whether the last line had its newline. A '\r' before the '\n' is dropped.
/// </summary>
internal sealed class LineReader(Stream stream)
{
    /// <summary>The longest line accepted: well above the largest record (a 400 KB option, escaped).</summary>
    public const int MaxLineBytes = 16 * 1024 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The number of the line last returned (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// The next line, valid until the next call; false at the end. <paramref name="terminated"/> is false only for a last line
    /// that has no newline. Throws <see cref="ExportFormatException"/> for a line over the limit; read errors (a truncated or
    /// corrupt gzip stream) pass through.
    /// </summary>
    public bool TryRead(out ReadOnlyMemory<byte> line, out bool terminated)
    {
        var scanFrom = _start;
        while (true)
        {
            var nl = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (nl >= 0)
            {
                LineNumber++;
                var length = nl - _start;
                if (length > 0 && _buffer[nl - 1] == (byte)'\r') length--;
                line = new ReadOnlyMemory<byte>(_buffer, _start, length);
                terminated = true;
                _start = nl + 1;
                return true;
            }
            if (_eof)
            {
                if (_start == _end)
                {
                    line = default;
                    terminated = true;
                    return false;
                }
                LineNumber++;
                line = new ReadOnlyMemory<byte>(_buffer, _start, _end - _start);
                terminated = false;
                _start = _end;
                return true;
            }
            scanFrom = _end - _start;
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineBytes)
                throw new ExportFormatException($"line {LineNumber + 1} is longer than {MaxLineBytes / (1024 * 1024)} MB.");
            Array.Resize(ref _buffer, Math.Min(MaxLineBytes, _buffer.Length * 2));
        }
        var n = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }
}
