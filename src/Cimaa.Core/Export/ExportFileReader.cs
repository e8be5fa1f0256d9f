using System.IO.Compression;
using System.Text.Json;

namespace Cimaa.Export;

/// <summary>What the reader checks records against.</summary>
/// <param name="ModuleVersion">This module's version; a file written by a newer one is refused.</param>
/// <param name="ConfigStoreKey">The target's config key names, reserved in option values as Set-CimaaConfig reserves them.</param>
public sealed record ExportReadOptions(string? ModuleVersion = null, string ConfigStoreKey = "_store", string ConfigOptionKey = "_option")
{
    /// <summary>The 64-bit key hash; tests replace it to force collisions.</summary>
    internal Func<ExportTable, string, ulong> KeyHash { get; init; } = ExportKeys.Hash;
}

/// <summary>What the validating pass found: the header and the records per table.</summary>
public sealed record ExportFileSummary(ExportHeader Header, ExportCounts Counts);

/// <summary>
/// Reads an export file. <see cref="Validate"/> reads it once, streaming, and checks everything: the header, the version, every
/// record (shape and the cmdlets' rules), duplicate keys within a table, the end line and its counts, truncation and gzip. Any
/// problem is <see cref="ExportErrorIds.InvalidExportFile"/> (InvalidData) naming the line. Only then does <see cref="Records"/>
/// read it again and yield the typed records. The file stays open in between, so both passes read the same file.
/// </summary>
/// <remarks>
/// Duplicates are found with 8 bytes per record: each key's 64-bit hash goes into a <see cref="KeyHashBag"/>, sorted bucket by
/// bucket after the pass. A hash seen twice is only a suspect; when there are suspects, one more pass collects the real keys of
/// just those hashes and compares them, so a hash collision never refuses a good file and a duplicate is always named with both
/// its lines.
/// </remarks>
public sealed class ExportFileReader : IDisposable
{
    /// <summary>The most suspects kept for the confirming pass; more means the file is full of duplicates, which the first ones show.</summary>
    private const int MaxSuspects = 100_000;

    private readonly FileStream _file;
    private readonly bool _gzip;
    private readonly ExportRecordReader _records;
    private readonly Version _module;
    private readonly Func<ExportTable, string, ulong> _hash;
    private ExportFileSummary? _summary;

    private ExportFileReader(string path, FileStream file, ExportReadOptions options)
    {
        Path = path;
        _file = file;
        _gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        _records = new ExportRecordReader(options.ConfigStoreKey, options.ConfigOptionKey);
        _hash = options.KeyHash;
        _module = ExportHeader.ParseModuleVersion(options.ModuleVersion ?? ExportHeader.CurrentModule) ?? new Version(0, 0, 0);
    }

    public string Path { get; }

    /// <summary>Opens the file for reading (shared with other readers); a missing or unreadable file is ExportFileError.</summary>
    public static ExportFileReader Open(string path, ExportReadOptions? options = null)
    {
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            return new ExportFileReader(path, file, options ?? new ExportReadOptions());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var category = e is FileNotFoundException or DirectoryNotFoundException ? CimaaErrorCategory.ObjectNotFound
                : e is UnauthorizedAccessException ? CimaaErrorCategory.PermissionDenied : CimaaErrorCategory.ReadError;
            throw new CimaaException(ExportErrorIds.ExportFileError, category, $"Cannot open '{path}': {e.Message}", path, e);
        }
    }

    /// <summary>The first pass: checks the whole file and counts its records. <paramref name="progress"/> gets (bytes read, file size).</summary>
    public ExportFileSummary Validate(Action<long, long>? progress = null, CancellationToken ct = default)
    {
        var hashes = new KeyHashBag();
        var counts = new ExportCounts();
        ExportHeader? header = null;
        foreach (var entry in Pass(progress, h => header = h, null, ct))
        {
            counts.Add(entry.Table);
            hashes.Add(_hash(entry.Table, ExportRecordReader.Key(entry)));
        }
        var suspects = hashes.Repeated(MaxSuspects);
        if (suspects.Count > 0) ConfirmDuplicates(suspects, ct);
        _summary = new ExportFileSummary(header!, counts);
        return _summary;
    }

    /// <summary>The second pass: every record of the given tables (all when null), in file order. Call <see cref="Validate"/> first.</summary>
    public IEnumerable<ExportEntry> Records(IReadOnlySet<ExportTable>? tables = null, CancellationToken ct = default)
    {
        if (_summary is null) throw new InvalidOperationException("Validate the file before reading its records.");
        foreach (var entry in Pass(null, null, tables, ct)) yield return entry;
    }

    public void Dispose() => _file.Dispose();

    /// <summary>Reads the suspects' real keys and refuses the file at the first key that repeats.</summary>
    private void ConfirmDuplicates(HashSet<ulong> suspects, CancellationToken ct)
    {
        var firstLine = new Dictionary<(ExportTable, string), long>();
        foreach (var entry in Pass(null, null, null, ct))
        {
            var key = ExportRecordReader.Key(entry);
            if (!suspects.Contains(_hash(entry.Table, key))) continue;
            if (firstLine.TryGetValue((entry.Table, key), out var first))
            {
                throw Invalid(entry.Line, $"the {ExportTables.Name(entry.Table)} record for {ExportRecordReader.Describe(entry)} repeats the key of line {first}.");
            }
            firstLine.Add((entry.Table, key), entry.Line);
        }
    }

    /// <summary>One pass over the file: the header, then each record (of <paramref name="only"/>, if given), then the end line.</summary>
    private IEnumerable<ExportEntry> Pass(Action<long, long>? progress, Action<ExportHeader>? onHeader,
        IReadOnlySet<ExportTable>? only, CancellationToken ct)
    {
        _file.Seek(0, SeekOrigin.Begin);
        var length = _file.Length;
        if (length == 0) throw Invalid(0, "the file is empty.");
        CheckCompression();
        using var source = _gzip ? new GZipStream(_file, CompressionMode.Decompress, leaveOpen: true) : (Stream)new NonClosingStream(_file);
        var lines = new LineReader(source);
        ExportHeader? header = null;
        HashSet<ExportTable>? listed = null;
        var counts = new ExportCounts();
        var ended = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            ReadOnlyMemory<byte> line;
            bool terminated;
            try
            {
                if (!lines.TryRead(out line, out terminated)) break;
            }
            catch (InvalidDataException e)
            {
                throw Invalid(lines.LineNumber + 1, $"the gzip stream is truncated or corrupt ({e.Message}).", e);
            }
            catch (ExportFormatException e)
            {
                throw Invalid(lines.LineNumber + 1, e.Message, e);
            }
            var n = lines.LineNumber;
            if (n == 1 && line.Span.StartsWith("\uFEFF"u8)) line = line[3..]; // a byte order mark left by an editor
            if (progress is not null && n % 4096 == 0) progress(_file.Position, length);
            if (ended) throw Invalid(n, "there is more after the end line.");
            using var doc = Parse(line, n, terminated);
            var root = doc.RootElement;
            if (header is null)
            {
                header = ReadHeader(root, n);
                listed = header.Tables.SelectMany(ExportTables.TablesOf).ToHashSet();
                onHeader?.Invoke(header);
                continue;
            }
            if (root.TryGetProperty(ExportRecordJson.EndMarker, out _))
            {
                CheckEnd(root, n, header, counts);
                ended = true;
                continue;
            }
            var table = RecordTable(root, n, listed!);
            counts.Add(table);
            if (only is not null && !only.Contains(table)) continue;
            ExportEntry entry;
            try
            {
                entry = _records.Read(table, root, n);
            }
            catch (ExportFormatException e)
            {
                throw Invalid(n, e.Message, e);
            }
            catch (CimaaException e)
            {
                throw Invalid(n, $"{e.ErrorId}: {e.Message}", e);
            }
            yield return entry;
        }
        if (header is null) throw Invalid(0, _gzip ? "the gzip stream holds no data: it is empty or truncated." : "the file is empty.");
        if (!ended) throw Invalid(lines.LineNumber, $"the file ends at line {lines.LineNumber} without its end line: it is truncated.");
        progress?.Invoke(length, length);
    }

    private void CheckCompression()
    {
        Span<byte> magic = stackalloc byte[2];
        var n = _file.Read(magic);
        _file.Seek(0, SeekOrigin.Begin);
        var isGzip = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        if (_gzip && !isGzip) throw Invalid(0, "the name ends in .gz, but the file is not gzip-compressed.");
        if (!_gzip && isGzip) throw Invalid(0, "the file is gzip-compressed; its name must end in .gz.");
    }

    private JsonDocument Parse(ReadOnlyMemory<byte> line, long n, bool terminated)
    {
        if (line.Length == 0) throw Invalid(n, terminated ? "the line is empty." : "the last line is incomplete: the file is truncated.");
        try
        {
            var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw Invalid(n, "the line is not a JSON object.");
            }
            return doc;
        }
        catch (JsonException e)
        {
            throw Invalid(n, terminated
                ? $"the line is not valid JSON ({e.Message})"
                : "the last line has no newline and is not valid JSON: the file is truncated.", e);
        }
    }

    private ExportHeader ReadHeader(JsonElement root, long n)
    {
        try
        {
            return ExportHeaderJson.Read(root, _module);
        }
        catch (ExportFormatException e)
        {
            throw Invalid(n, e.Message, e);
        }
    }

    private ExportTable RecordTable(JsonElement root, long n, HashSet<ExportTable> listed)
    {
        if (!root.TryGetProperty("table", out var t) || t.ValueKind != JsonValueKind.String)
            throw Invalid(n, "the record has no \"table\" string.");
        var name = t.GetString();
        if (!ExportTables.TryParse(name, out var table))
            throw Invalid(n, $"unknown table '{name}' (faults, heartbeats, squelches, config, metrics, accesskeys).");
        if (!listed.Contains(table))
            throw Invalid(n, $"a {name} record, but the header does not list '{ExportTables.IncludeOf(table)}'.");
        return table;
    }

    private void CheckEnd(JsonElement root, long n, ExportHeader header, ExportCounts counts)
    {
        try
        {
            ExportHeaderJson.CheckEnd(root, header, counts);
        }
        catch (ExportFormatException e)
        {
            throw Invalid(n, e.Message, e);
        }
    }

    private CimaaException Invalid(long line, string message, Exception? inner = null) =>
        Invalid(Path, line, message, inner);

    internal static CimaaException Invalid(string path, long line, string message, Exception? inner = null) =>
        new(ExportErrorIds.InvalidExportFile, CimaaErrorCategory.InvalidData,
            line > 0 ? $"'{path}' is not a valid export file: line {line}: {message}" : $"'{path}' is not a valid export file: {message}",
            path, inner);

    /// <summary>The plain file as the line reader's stream, without closing the file when the pass ends.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
